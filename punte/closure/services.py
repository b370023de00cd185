"""Follow-up, closure, reopening and transfer: validated, audited, one transaction each."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from punte.accounts.actor import Actor
from punte.accounts.models import Organization
from punte.accounts.roles import Action, Role
from punte.audit.services import audit_record
from punte.cases.models import Case, CaseFact, Person, PersonLookup
from punte.cases.services import Identity, case_code_next, case_guard, person_lookups, pseudonym_new
from punte.consent.models import Purpose
from punte.consent.services import consent_require
from punte.core.errors import PermissionDenied, ValidationError
from punte.core.validation import full_clean
from punte.plans.models import ApprovalStep
from punte.plans.services import approval_chain

from .models import Closure, FollowUp, Reopening, Transfer

CLOSED = {"Closed", "ClosedReferred"}
# What may travel with a transfer; the caseworker chooses, the name is always needed.
TRANSFERABLE = ["birth_date", "cnp", "chosen_name", "phone", "address", "gender", "citizenship"]
CASE_FACTS = [
    "trafficking_status",
    "relationship_to_trafficker",
    "age_when_trafficked",
    "recruitment_country",
    "recruitment_county",
    "exploitation_country",
    "exploitation_county",
    "county",
]


def _set_case(actor: Actor, case: Case, **changes: Any) -> None:
    Case.objects.filter(pk=case.pk).update(**changes, version=F("version") + 1, updated_at=timezone.now())
    case.refresh_from_db()
    audit_record(actor=actor, action="case.update", target=case, fields=sorted(changes))


def followup_plan(*, actor: Actor, case: Case, planned_on: date) -> FollowUp:
    case_guard(actor, case)
    if case.status in CLOSED:
        raise ValidationError(_("The case is closed; reopen it to plan a follow-up."))
    followup = FollowUp(case=case, planned_on=planned_on, created_by=actor.user)
    full_clean(followup)
    with transaction.atomic():
        followup.save()
        audit_record(actor=actor, action="followup.plan", target=followup, fields=["planned_on"])
    return followup


def followup_record(*, actor: Actor, followup: FollowUp, done_on: date, outcome: str, note: str = "") -> FollowUp:
    """Record a follow-up contact. The case enters change strengthening (HTCDS status FollowUp)."""
    case = followup.case
    case_guard(actor, case)
    if followup.done_on is not None:
        raise ValidationError(_("This follow-up was already recorded."))
    if outcome not in FollowUp.Outcome.values:
        raise ValidationError(details={"outcome": [_("Choose an outcome.")]})
    if done_on > timezone.localdate():
        raise ValidationError(details={"done_on": [_("The date cannot be in the future.")]})
    with transaction.atomic():
        followup.done_on, followup.outcome, followup.note, followup.done_by = done_on, outcome, note.strip(), actor.user
        followup.save(update_fields=["done_on", "outcome", "note", "done_by"])
        audit_record(actor=actor, action="followup.record", target=followup, fields=["done_on", "outcome", "note"])
        changes: dict[str, Any] = {}
        if case.status != "FollowUp":
            changes["status"] = "FollowUp"
        if Case.Stage.values.index(case.stage) < Case.Stage.values.index(Case.Stage.CHANGE_STRENGTHENING):
            changes["stage"] = Case.Stage.CHANGE_STRENGTHENING
        if changes:
            _set_case(actor, case, **changes)
    return followup


def closure_request(*, actor: Actor, case: Case, reason: str, details: str = "") -> Closure:
    case_guard(actor, case)
    if case.status in CLOSED:
        raise ValidationError(_("The case is already closed."))
    if reason not in Closure.Reason.values:
        raise ValidationError(details={"reason": [_("Choose why the case is closed.")]})
    if reason == Closure.Reason.OTHER and not details.strip():
        raise ValidationError(details={"details": [_("Say why the case is closed.")]})
    if Closure.objects.filter(case=case, status=Closure.Status.PENDING).exists():
        raise ValidationError(_("A closure is already waiting for approval."))
    closure = Closure(case=case, reason=reason, details=details.strip(), requested_by=actor.user)
    full_clean(closure)
    with transaction.atomic():
        closure.save()
        audit_record(actor=actor, action="closure.request", target=closure, fields=["reason", "details"])
    return closure


def closure_decide(*, actor: Actor, closure: Closure, approve: bool, comment: str = "") -> Closure:
    """The organization's closure chain decides, step by step (a supervisor by default); no one
    approves the closure she requested. Approval closes the case; rejection needs a comment."""
    case = closure.case
    case_guard(actor, case, Action.CASE_VIEW)
    if closure.status != Closure.Status.PENDING:
        raise ValidationError(_("This closure is not waiting for a decision."))
    chain = approval_chain(case.organization_id, ApprovalStep.Subject.CLOSURE)
    if actor.role != chain[closure.step]:
        raise PermissionDenied(_("This step of the approval is for: %(role)s.") % {"role": Role(chain[closure.step]).label})
    if actor.user is not None and closure.requested_by_id == actor.user.pk:
        raise PermissionDenied(_("Someone other than the person who asked for the closure must approve it."))
    if not approve and not comment.strip():
        raise ValidationError(details={"comment": [_("Say why the case stays open.")]})
    with transaction.atomic():
        locked = Closure.objects.select_for_update().get(pk=closure.pk)
        if locked.status != Closure.Status.PENDING or locked.step != closure.step:
            raise ValidationError(_("Someone decided on this closure at the same moment. Reload the page."))
        if approve and closure.step + 1 < len(chain):
            locked.step += 1
            locked.save(update_fields=["step"])
            audit_record(actor=actor, action="closure.approve_step", target=locked, fields=["step"])
            return locked
        locked.status = Closure.Status.APPROVED if approve else Closure.Status.REJECTED
        locked.decided_at, locked.decided_by, locked.comment = timezone.now(), actor.user, comment.strip()
        locked.save(update_fields=["status", "decided_at", "decided_by", "comment"])
        audit_record(actor=actor, action=f"closure.{locked.status}", target=locked, fields=["status", "comment"])
        if approve:
            _set_case(actor, case, status="Closed", stage=Case.Stage.CLOSED, closed_at=timezone.now())
    return locked


def case_reopen(*, actor: Actor, case: Case, reason: str) -> Reopening:
    """Reopen a closed case at any time (rehabilitation lifelong if needed). The risk is assessed
    again; the earlier closure stays in the history."""
    case_guard(actor, case)
    if case.status not in CLOSED:
        raise ValidationError(_("The case is open."))
    if Transfer.objects.filter(case=case).exists():
        raise ValidationError(_("This case was transferred; the receiving organization works on it now."))
    if not reason.strip():
        raise ValidationError(details={"reason": [_("Say why the case is reopened.")]})
    reopening = Reopening(case=case, reason=reason.strip(), reopened_by=actor.user, previous_status=case.status)
    full_clean(reopening)
    with transaction.atomic():
        reopening.save()
        audit_record(actor=actor, action="case.reopen", target=case, fields=["status", "stage"])
        _set_case(actor, case, status="Active", stage=Case.Stage.INITIAL_ASSESSMENT, closed_at=None)
    return reopening


def case_transfer(*, actor: Actor, case: Case, to_organization: Organization, fields: list[str]) -> Transfer:
    """Transfer the case to another organization with her consent to share her data with it. The
    receiving organization gets a new person record with her name and only the chosen fields,
    and a new case at intake with the case facts; this case closes as referred elsewhere."""
    user = case_guard(actor, case)
    if case.status in CLOSED:
        raise ValidationError(_("The case is closed."))
    if to_organization.pk == case.organization_id or not to_organization.is_active:
        raise ValidationError(details={"to_organization": [_("Choose another, active organization.")]})
    unknown = sorted(set(fields) - set(TRANSFERABLE))
    if unknown:
        raise ValidationError(
            details={"fields": [_("These cannot be transferred: %(fields)s.") % {"fields": ", ".join(unknown)}]}
        )
    consent_require(case=case, purpose=Purpose.DATA_SHARING, recipient=to_organization)
    source = case.person
    with transaction.atomic():
        person = Person(
            organization=to_organization,
            pseudonym=pseudonym_new(to_organization.pk),
            first_name=source.first_name,
            last_name=source.last_name,
            created_by=actor.user,
            **{name: getattr(source, name) for name in fields},
        )
        full_clean(person)
        person.save()
        identity = Identity(person.first_name, person.last_name, person.birth_date, person.cnp)
        PersonLookup.objects.bulk_create(
            [
                PersonLookup(organization=to_organization, person=person, kind=k, digest=d)
                for k, d in person_lookups(to_organization.pk, identity)
            ]
        )
        new_case = Case(
            organization=to_organization,
            person=person,
            stage=Case.Stage.INTAKE,
            **{name: getattr(case, name) for name in CASE_FACTS},
        )
        new_case.code = case_code_next(new_case)
        full_clean(new_case)
        new_case.save()
        CaseFact.objects.bulk_create([CaseFact(case=new_case, field=f.field, value=f.value) for f in case.facts.all()])
        transfer = Transfer.objects.create(
            case=case,
            to_organization=to_organization,
            new_case=new_case,
            fields_shared=["first_name", "last_name", *sorted(fields)],
            transferred_by=user,
        )
        audit_record(actor=actor, action="case.transfer", target=transfer, fields=transfer.fields_shared)
        audit_record(
            actor=actor,
            action="case.transfer_in",
            target=new_case,
            fields=transfer.fields_shared,
            organization_id=to_organization.pk,
        )
        _set_case(actor, case, status="ClosedReferred", stage=Case.Stage.CLOSED, closed_at=timezone.now())
    return transfer

"""`/api/v1/referrals`, `/api/v1/persons/search` and `/api/v1/cases`: intake, triage and case facts.

Lists show case codes and pseudonyms only, never names, CNPs, contacts or what a referral says.
Identifying values travel in request bodies, never in URLs, so they stay out of logs.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from pydantic import ConfigDict

from punte.accounts.actor import Actor
from punte.accounts.models import User
from punte.accounts.roles import Action
from punte.accounts.selectors import user_visible_to
from punte.audit.services import audit_access
from punte.cases import selectors, services
from punte.cases.cnp import cnp_parse
from punte.cases.models import Case, Referral
from punte.core.errors import NotFound, ValidationError

from .base import ERRORS, api, requires
from .endpoints import actor_of

INTAKE = ["intake"]
CASES = ["cases"]


class Body(Schema):
    """A request body: an unknown field is refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# Referrals


class ReferralOut(Schema):
    id: int
    received_on: date
    source: str
    source_organization: str
    channel: str
    urgency: str
    status: str
    decided_at: datetime | None
    case: int | None = Field(None, description="The case opened from this referral")

    @staticmethod
    def resolve_case(obj: Referral) -> int | None:
        case: Case | None = getattr(obj, "case", None)  # a missing reverse one-to-one raises AttributeError
        return case.pk if case is not None else None


class ReferralCreatedOut(ReferralOut):
    summary: str


class ReferralDetailOut(ReferralCreatedOut):
    """What triage reads: the encrypted fields too, which lists never load."""

    referrer_contact: str
    decision_reason: str


class ReferralQuery(Schema):
    status: str = Field(Referral.Status.NEW.value, description="new, case_opened or not_opened; empty for all")


class ReferralIn(Body):
    received_on: date
    source: str = Field(..., description=", ".join(Referral.Source.values))
    channel: str = Field(..., description=", ".join(Referral.Channel.values))
    urgency: str = Field(Referral.Urgency.ROUTINE.value, description=", ".join(Referral.Urgency.values))
    summary: str = Field(..., min_length=1, description="What is known")
    source_organization: str = Field("", max_length=200)
    referrer_contact: str = ""


class NewPersonIn(Body):
    first_name: str = Field(..., min_length=1)
    last_name: str = Field(..., min_length=1)
    birth_date: date | None = None
    cnp: str = ""
    chosen_name: str = ""
    phone: str = ""
    address: str = ""
    gender: str = "NonSpecifiedUnknown"
    citizenship: str = "RO"


class OpenCaseIn(Body):
    person: int | None = Field(None, description="An existing person of your organization")
    new_person: NewPersonIn | None = Field(None, description="Register the person and open the case in one step")
    caseworker: int | None = Field(None, description="A user of your organization; you when omitted")


class DeclineIn(Body):
    reason: str = Field(..., min_length=1)


# Persons


class PersonSearchIn(Body):
    first_name: str = Field(..., min_length=1)
    last_name: str = Field(..., min_length=1)
    birth_date: date | None = None
    cnp: str = ""


class CandidateOut(Schema):
    """A person who may be the one being registered: ids and pseudonyms only."""

    id: int
    pseudonym: str
    reasons: list[str] = Field(..., description="cnp, name_birth, similar_name")
    score: int
    cases: list[str]

    @staticmethod
    def resolve_id(obj: selectors.Candidate) -> int:
        return obj.person.pk

    @staticmethod
    def resolve_pseudonym(obj: selectors.Candidate) -> str:
        return obj.person.pseudonym

    @staticmethod
    def resolve_cases(obj: selectors.Candidate) -> list[str]:
        return [case.code for case in obj.person.cases.all()]


# Cases


class CaseOut(Schema):
    id: int
    code: str
    pseudonym: str
    status: str
    stage: str
    risk_level: str
    caseworker: str | None
    county: str | None = Field(None, alias="county_id")
    opened_at: datetime
    version: int

    @staticmethod
    def resolve_pseudonym(obj: Case) -> str:
        return obj.person.pseudonym

    @staticmethod
    def resolve_caseworker(obj: Case) -> str | None:
        return obj.caseworker.username if obj.caseworker is not None else None


class CaseDetailOut(CaseOut):
    trafficking_status: str
    relationship_to_trafficker: str
    age_when_trafficked: int | None
    recruitment_country: str
    recruitment_county: str | None = Field(None, alias="recruitment_county_id")
    exploitation_country: str
    exploitation_county: str | None = Field(None, alias="exploitation_county_id")
    exploitation_types: list[str]
    control_methods: list[str]
    recruitment_methods: list[str]

    @staticmethod
    def resolve_exploitation_types(obj: Case) -> list[str]:
        return services.case_facts(obj)["exploitation_types"]

    @staticmethod
    def resolve_control_methods(obj: Case) -> list[str]:
        return services.case_facts(obj)["control_methods"]

    @staticmethod
    def resolve_recruitment_methods(obj: Case) -> list[str]:
        return services.case_facts(obj)["recruitment_methods"]


class CaseQuery(Schema):
    q: str = Field("", description="Part of the case code or pseudonym")
    status: str = ""
    stage: str = ""
    risk_level: str = ""
    caseworker: int | None = Field(None, description="A user id")
    county: str = Field("", description="ISO 3166-2:RO code, e.g. RO-CJ")
    exploitation_type: str = Field("", description="An HTCDS vic_TypeOfExploitation value")


class CasePatch(Body):
    """The version you read, and the facts to change. Counties are ISO 3166-2:RO codes (null or ""
    clears them); multi-valued facts are lists of HTCDS value names and replace the stored list."""

    version: int = Field(..., ge=1)
    trafficking_status: str | None = None
    relationship_to_trafficker: str | None = None
    age_when_trafficked: int | None = None
    recruitment_country: str | None = None
    recruitment_county: str | None = None
    exploitation_country: str | None = None
    exploitation_county: str | None = None
    county: str | None = None
    exploitation_types: list[str] | None = None
    control_methods: list[str] | None = None
    recruitment_methods: list[str] | None = None


def _case_detail(actor: Actor, pk: int) -> Case:
    """The case with its multi-valued facts loaded once for the three resolvers."""
    case = selectors.case_get(actor=actor, pk=pk)
    prefetch_related_objects([case], "facts")
    return case


# Referrals


@api.get("/referrals", response={200: list[ReferralOut], **ERRORS}, tags=INTAKE, auth=requires(Action.REFERRAL_CREATE))
@paginate(LimitOffsetPagination)
def referrals_list(request: HttpRequest, filters: Query[ReferralQuery]) -> Any:
    status = filters.status
    if status and status not in Referral.Status.values:
        raise ValidationError(
            details={"status": [_("Choose one of: %(values)s.") % {"values": ", ".join(Referral.Status.values)}]}
        )
    return selectors.referral_queue(actor=actor_of(request), status=status)


@api.post("/referrals", response={201: ReferralCreatedOut, **ERRORS}, tags=INTAKE, auth=requires(Action.REFERRAL_CREATE))
def referrals_create(request: HttpRequest, payload: ReferralIn) -> Status[Any]:
    referral = services.referral_create(actor=actor_of(request), **payload.dict())
    return Status(201, referral)


@api.get(
    "/referrals/{referral_id}", response={200: ReferralDetailOut, **ERRORS}, tags=INTAKE, auth=requires(Action.REFERRAL_TRIAGE)
)
def referrals_get(request: HttpRequest, referral_id: int) -> Any:
    actor = actor_of(request)
    referral = selectors.referral_get(actor=actor, pk=referral_id)
    audit_access(actor=actor, target=referral)  # the summary and the referrer's contact are protected
    return referral


@api.post(
    "/referrals/{referral_id}/open-case",
    response={201: CaseDetailOut, **ERRORS},
    tags=INTAKE,
    auth=requires(Action.REFERRAL_TRIAGE),
    summary="Open a case for an existing or a new person",
)
def referrals_open_case(request: HttpRequest, referral_id: int, payload: OpenCaseIn) -> Status[Any]:
    actor = actor_of(request)
    if (payload.person is None) == (payload.new_person is None):
        message = _("Give either an existing person or a new person, not both.")
        raise ValidationError(details={"person": [message], "new_person": [message]})
    referral = selectors.referral_get(actor=actor, pk=referral_id)
    caseworker: User | None = None
    if payload.caseworker is not None:
        # The id names a colleague; whether she may hold the case is the service's rule.
        caseworker = user_visible_to(actor).filter(pk=payload.caseworker).first()
        if caseworker is None:
            raise ValidationError(details={"caseworker": [_("Unknown user.")]})
    if payload.new_person is not None:
        try:
            case = services.referral_open_case_for_new_person(
                actor=actor, referral=referral, caseworker=caseworker, **payload.new_person.dict()
            )
        except ValidationError as error:
            # Errors about the person are named after the new_person fields they concern.
            person_fields = set(payload.new_person.dict())
            details = {
                (f"new_person.{name}" if name in person_fields else name): messages for name, messages in error.details.items()
            }
            raise ValidationError(error.message, details=details) from error
    else:
        assert payload.person is not None
        try:
            person = selectors.person_get(actor=actor, pk=payload.person)
        except NotFound as error:
            raise ValidationError(details={"person": [_("Choose a person registered by your organization.")]}) from error
        case = services.referral_open_case(actor=actor, referral=referral, person=person, caseworker=caseworker)
    return Status(201, _case_detail(actor, case.pk))


@api.post(
    "/referrals/{referral_id}/decline",
    response={200: ReferralDetailOut, **ERRORS},
    tags=INTAKE,
    auth=requires(Action.REFERRAL_TRIAGE),
    summary="Record that no case is opened, and why",
)
def referrals_decline(request: HttpRequest, referral_id: int, payload: DeclineIn) -> Any:
    actor = actor_of(request)
    referral = selectors.referral_get(actor=actor, pk=referral_id)
    return services.referral_decline(actor=actor, referral=referral, reason=payload.reason)


# Persons


@api.post(
    "/persons/search",
    response={200: list[CandidateOut], **ERRORS},
    tags=INTAKE,
    auth=requires(Action.REFERRAL_TRIAGE),
    summary="Persons of your organization who may be the one you are registering",
    description="A POST so that names and CNPs stay out of URLs and logs. Answers with ids and pseudonyms only.",
)
def persons_search(request: HttpRequest, payload: PersonSearchIn) -> Any:
    cnp = payload.cnp.strip()
    if cnp:
        try:
            cnp_parse(cnp)
        except DjangoValidationError as error:
            raise ValidationError(details={"cnp": list(error.messages)}) from error
    identity = services.Identity(
        first_name=payload.first_name, last_name=payload.last_name, birth_date=payload.birth_date, cnp=cnp
    )
    return selectors.person_candidates(actor=actor_of(request), identity=identity)


# Cases


@api.get("/cases", response={200: list[CaseOut], **ERRORS}, tags=CASES, auth=requires(Action.CASE_VIEW))
@paginate(LimitOffsetPagination)
def cases_list(request: HttpRequest, filters: Query[CaseQuery]) -> Any:
    case_filters = selectors.CaseFilters(
        query=filters.q.strip(),
        status=filters.status,
        stage=filters.stage,
        risk_level=filters.risk_level,
        caseworker_id=filters.caseworker,
        county=filters.county,
        exploitation_type=filters.exploitation_type,
    )
    return selectors.case_list(actor=actor_of(request), filters=case_filters)


@api.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS}, tags=CASES, auth=requires(Action.CASE_VIEW))
def cases_get(request: HttpRequest, case_id: int) -> Any:
    actor = actor_of(request)
    case = _case_detail(actor, case_id)
    audit_access(actor=actor, target=case)
    return case


@api.patch(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    tags=CASES,
    auth=requires(Action.CASE_EDIT),
    summary="Change case facts",
    description="Send the `version` you read: if someone saved the case since, the answer is 409 and names what they changed.",
)
def cases_update(request: HttpRequest, case_id: int, payload: CasePatch) -> Any:
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, pk=case_id)
    changes = payload.dict(exclude_unset=True)
    version: int = changes.pop("version")
    for name in services.MULTI_FACTS:
        if name in changes and changes[name] is None:
            changes[name] = []  # null clears a multi-valued fact
    services.case_update_facts(actor=actor, case=case, version=version, **changes)
    return _case_detail(actor, case.pk)

"""The demo data: synthetic, complete enough to show every page, and loaded twice without harm."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from punte.accounts.actor import SYSTEM
from punte.accounts.models import Organization, User
from punte.accounts.roles import Role
from punte.assessments.models import Alert, Task
from punte.audit.services import audit_verify
from punte.cases.models import Case, Referral
from punte.demo.services import demo_seed


@pytest.mark.usefixtures("reference")
def test_demo_seed_is_synthetic_complete_and_idempotent() -> None:
    first = demo_seed(actor=SYSTEM)
    assert first.organizations == 8
    assert first.cases == 5
    assert all(name.endswith("(demo)") for name in Organization.objects.values_list("name", flat=True))
    roles = set(User.objects.filter(username__in=[u for u, *_ in first.logins]).values_list("memberships__role", flat=True))
    assert roles == set(Role.values)
    assert Referral.objects.filter(status=Referral.Status.NEW).count() == 2
    assert Referral.objects.filter(status=Referral.Status.NOT_OPENED).count() == 1
    assert all("Demonstrație" in r.summary for r in Referral.objects.all())
    assert all(case.person.cnp[7:9] == "48" for case in Case.objects.select_related("person"))
    assert set(Case.objects.values_list("risk_level", flat=True)) == {"high", "low", "immediate", "medium", ""}
    assert set(Case.objects.values_list("stage", flat=True)) == {
        "psychological_assessment",
        "intervention_plan",
        "complex_evaluation",
        "initial_assessment",
    }
    assert Task.objects.filter(kind="safety_plan").count() == 2
    assert Alert.objects.filter(recipient__username="supervisor").count() == 2
    second = demo_seed(actor=SYSTEM)
    assert (second.organizations, second.users, second.memberships, second.cases) == (0, 0, 0, 0)
    assert audit_verify() == []


@pytest.mark.usefixtures("reference")
@override_settings(DEBUG=False)
def test_demo_seed_is_refused_outside_development() -> None:
    with pytest.raises(CommandError) as raised:
        call_command("demo_seed")
    assert raised.value.returncode == 2
    assert not Organization.objects.exists()

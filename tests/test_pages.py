"""Pages: each role's home, the organization switcher, administration forms with good and bad
input, and query counts of every list that do not grow with the rows."""

import pytest
from django.test import Client
from django.urls import reverse

from punte.accounts.models import Membership, Organization, User
from punte.accounts.roles import Role
from punte.audit.models import AuditEvent
from tests.base import OrganizationFactory, UserFactory, World, assert_queries_flat, verified_client


@pytest.mark.parametrize("role", list(Role))
def test_home_shows_what_the_role_works_with(world: World, role: Role) -> None:
    response = verified_client(world.user(role)).get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.organization.name in html
    assert "Your recent sign-ins" in html
    navigation_targets = {
        reverse("accounts:organization_list"): role == Role.ADMINISTRATOR,
        reverse("accounts:user_list"): role == Role.ADMINISTRATOR,
        reverse("audit:event_list"): role in {Role.SUPERVISOR, Role.ADMINISTRATOR},
        reverse("reference:county_list"): True,
    }
    for url, shown in navigation_targets.items():
        assert (f'href="{url}"' in html) is shown, f"{role}: link to {url} shown={not shown}"
    assert ("Your team" in html) is (role not in {Role.PARTNER_PROVIDER, Role.MENTOR, Role.ANALYST})
    assert ("This installation" in html) is (role == Role.ADMINISTRATOR)
    assert ("Latest activity in your organization" in html) is (role in {Role.SUPERVISOR, Role.ADMINISTRATOR})


def test_home_of_someone_without_an_organization_says_so(world: World) -> None:
    response = verified_client(world.no_membership).get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You do not belong to any active organization" in html
    assert reverse("reference:county_list") not in html


def test_organization_switcher_changes_where_the_user_acts(world: World) -> None:
    user = world.user(Role.CASEWORKER)
    Membership.objects.create(user=user, organization=world.other_organization, role=Role.SUPERVISOR)
    client = verified_client(user)
    html = client.get(reverse("core:home")).content.decode()
    assert 'id="org-switch"' in html
    response = client.post(reverse("accounts:organization_switch"), {"organization": world.other_organization.pk, "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("core:home")).content.decode()
    assert f"You are working in {world.other_organization.name} as Supervisor" in html
    # Supervisors of the other organization see its audit trail, not the first one's.
    assert client.get(reverse("audit:event_list")).status_code == 200


def test_organization_switcher_refuses_a_foreign_organization(world: World) -> None:
    client = verified_client(world.user(Role.CASEWORKER))
    response = client.post(reverse("accounts:organization_switch"), {"organization": world.hidden_organization.pk}, follow=True)
    assert "You do not belong to that organization." in response.content.decode()
    assert f"You are working in {world.organization.name}" in client.get(reverse("core:home")).content.decode()


def test_organization_switcher_does_not_redirect_off_site(world: World) -> None:
    client = verified_client(world.user(Role.CASEWORKER))
    response = client.post(
        reverse("accounts:organization_switch"), {"organization": world.organization.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_create_organization_page(world: World) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    response = client.post(
        reverse("accounts:organization_create"), {"name": "Fundația Nouă", "kind": "ngo", "county": "RO-MM", "is_active": "on"}
    )
    organization = Organization.objects.get(name="Fundația Nouă")
    assert response["Location"] == reverse("accounts:organization_detail", kwargs={"pk": organization.pk})
    assert organization.county_id == "RO-MM"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "ngo", "county": "RO-CJ"}, "This field is required."),
        ({"name": "X", "kind": "bank", "county": "RO-CJ"}, "Select a valid choice."),
        ({"name": "X", "kind": "ngo", "county": "RO-ZZ"}, "Select a valid choice."),
        ({"name": "Asociația de test Cluj", "kind": "ngo", "county": "RO-CJ"}, "already exists"),
    ],
)
def test_create_organization_page_refuses_bad_input(world: World, data: dict[str, str], message: str) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    before = (Organization.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("accounts:organization_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Organization.objects.count(), AuditEvent.objects.count()) == before


def test_create_user_page_shows_the_one_time_password_once(world: World) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "new.worker", "organization": world.organization.pk, "role": "caseworker", "first_name": "Nou"},
    )
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="new.worker")
    assert user.check_password(password)
    assert user.must_change_password
    assert password in response.content.decode()
    assert password not in client.get(reverse("accounts:user_detail", kwargs={"pk": user.pk})).content.decode()


def test_create_user_page_refuses_a_taken_username(world: World) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    before = (User.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("accounts:user_create"), {"username": "caseworker", "organization": world.organization.pk, "role": "caseworker"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert (User.objects.count(), AuditEvent.objects.count()) == before


def test_membership_role_change_and_refusal_to_demote_oneself(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    client = verified_client(admin)
    membership = world.other_supervisor.memberships.get()
    client.post(reverse("accounts:membership_edit", kwargs={"pk": membership.pk}), {"role": "caseworker", "is_active": "on"})
    membership.refresh_from_db()
    assert membership.role == Role.CASEWORKER
    own = admin.memberships.get()
    response = client.post(
        reverse("accounts:membership_edit", kwargs={"pk": own.pk}), {"role": "caseworker", "is_active": "on"}, follow=True
    )
    assert "You cannot remove your own administrator role." in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMINISTRATOR


def test_deactivated_user_cannot_act(world: World) -> None:
    admin_client = verified_client(world.user(Role.ADMINISTRATOR))
    target = world.user(Role.CASEWORKER)
    target_client = verified_client(target)
    admin_client.post(reverse("accounts:user_edit", kwargs={"pk": target.pk}), {"first_name": "X", "last_name": "Y", "email": ""})
    target.refresh_from_db()
    assert not target.is_active
    response = target_client.get(reverse("reference:county_list"))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_password_change_clears_the_one_time_flag(world: World) -> None:
    user = world.user(Role.CASEWORKER)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client = verified_client(user)
    assert client.get(reverse("core:home"))["Location"] == reverse("accounts:password_change")
    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": "correct-horse-battery-staple-42", "new_password1": "short", "new_password2": "short"},
    )
    assert "too short" in weak.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct-horse-battery-staple-42",
            "new_password1": "a-much-better-secret-77",
            "new_password2": "a-much-better-secret-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("core:home")).status_code == 200


def test_language_switch_to_romanian(world: World) -> None:
    client = verified_client(world.user(Role.CASEWORKER))
    client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="ro">' in html
    assert "Acasă" in html


def _more_rows(world: World) -> None:
    for _ in range(4):
        organization = OrganizationFactory()
        UserFactory(organization=organization, role=Role.SUPERVISOR)
        UserFactory(organization=world.organization, role=Role.CASEWORKER)


@pytest.mark.parametrize(
    ("role", "url_name", "at_most"),
    [
        (Role.ADMINISTRATOR, "core:home", 16),
        (Role.SUPERVISOR, "core:home", 14),
        (Role.CASEWORKER, "core:home", 13),
        (Role.ADMINISTRATOR, "accounts:organization_list", 10),
        (Role.ADMINISTRATOR, "accounts:user_list", 11),
        (Role.ADMINISTRATOR, "audit:event_list", 12),
        (Role.SUPERVISOR, "audit:event_list", 12),
        (Role.CASEWORKER, "reference:county_list", 10),
        (Role.CASEWORKER, "accounts:account", 12),
    ],
)
def test_list_pages_query_counts_do_not_grow(world: World, role: Role, url_name: str, at_most: int) -> None:
    client = verified_client(world.user(role))
    assert_queries_flat(lambda: client.get(reverse(url_name)), lambda: _more_rows(world), at_most=at_most)


def test_organization_page_query_count_does_not_grow(world: World) -> None:
    client = verified_client(world.user(Role.SUPERVISOR))
    url = reverse("accounts:organization_detail", kwargs={"pk": world.organization.pk})
    assert_queries_flat(lambda: client.get(url), lambda: _more_rows(world), at_most=10)


def test_user_page_query_count_does_not_grow(world: World) -> None:
    client = verified_client(world.user(Role.ADMINISTRATOR))
    subject = world.other_supervisor
    url = reverse("accounts:user_detail", kwargs={"pk": subject.pk})

    def more_memberships() -> None:
        for _ in range(3):
            Membership.objects.create(user=subject, organization=OrganizationFactory(), role=Role.CASEWORKER)

    assert_queries_flat(lambda: client.get(url), more_memberships, at_most=20)


def test_anonymous_visitor_is_sent_to_sign_in() -> None:
    response = Client().get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))

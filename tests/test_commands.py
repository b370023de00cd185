"""The administration commands: what they print, what they write, and their exit codes.

Each command is run in-process through `call_command` (state made through the real services, the
database of the test run) and, for exit codes, as a real `manage.py` subprocess against a
temporary SQLite database that is migrated and loaded once for the module."""

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from punte.accounts.actor import SYSTEM
from punte.accounts.models import ApiToken, Membership, Organization, User
from punte.accounts.roles import Role
from punte.accounts.services import membership_create, token_authenticate, token_create, user_update
from punte.audit.models import AuditEvent
from punte.core.commands import BAD_INPUT
from tests.base import OrganizationFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
STRONG = "a-long-enough-passphrase-7381"


@dataclass(frozen=True)
class Output:
    stdout: str
    stderr: str


def run(*args: str, stdin: str | None = None) -> Output:
    """`call_command` with captured output; standard input replaced when `stdin` is given."""
    out, err = io.StringIO(), io.StringIO()
    if stdin is None:
        call_command(*args, stdout=out, stderr=err)
    else:
        saved = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            call_command(*args, stdout=out, stderr=err)
        finally:
            sys.stdin = saved
    return Output(out.getvalue(), err.getvalue())


def refused(*args: str, stdin: str | None = None) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args, stdin=stdin)
    return caught.value


def counts() -> tuple[int, int, int, int, int]:
    return (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        ApiToken.objects.count(),
        AuditEvent.objects.count(),
    )


# org_create


@pytest.mark.django_db
def test_org_create_prints_the_id_and_name_and_is_audited(reference: None) -> None:
    output = run("org_create", "--name", "Asociația Pas cu Pas", "--kind", "ngo", "--county", "RO-CJ")
    organization = Organization.objects.get(name="Asociația Pas cu Pas")
    assert output.stdout == f"created organization {organization.pk}\tAsociația Pas cu Pas\n"
    assert organization.kind == Organization.Kind.NGO
    assert organization.county_id == "RO-CJ"
    assert organization.is_active is True
    event = AuditEvent.objects.get(action="organization.create")
    assert event.target_type == "accounts.organization"
    assert event.target_id == str(organization.pk)
    assert event.organization_id == organization.pk
    assert event.actor_id is None
    assert event.user_agent == "manage.py org_create"
    assert event.request_id.startswith("cli-")


@pytest.mark.django_db
def test_org_create_inactive_and_lowercase_county(reference: None) -> None:
    run("org_create", "--name", "Centrul închis", "--kind", "agency", "--county", "ro-bh", "--inactive")
    organization = Organization.objects.get(name="Centrul închis")
    assert organization.is_active is False
    assert organization.county_id == "RO-BH"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "Nouă", "--kind", "ngo", "--county", "RO-ZZ"], "Unknown county code RO-ZZ"),
        (["--name", "Existentă", "--kind", "ngo", "--county", "RO-CJ"], "name:"),
        (["--name", "   ", "--kind", "ngo", "--county", "RO-CJ"], "name:"),
    ],
    ids=["unknown-county", "duplicate-name", "blank-name"],
)
def test_org_create_refuses_bad_input_with_exit_code_2_and_writes_nothing(reference: None, args: list[str], message: str) -> None:
    OrganizationFactory(name="Existentă")
    before = counts()
    error = refused("org_create", *args)
    assert error.returncode == BAD_INPUT
    assert message in str(error)
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "Nouă", "--kind", "club", "--county", "RO-CJ"], "invalid choice: 'club'"),
        (["--kind", "ngo", "--county", "RO-CJ"], "the following arguments are required: --name"),
    ],
    ids=["unknown-kind", "missing-name"],
)
def test_org_create_refuses_bad_arguments_and_writes_nothing(reference: None, args: list[str], message: str) -> None:
    before = counts()
    error = refused("org_create", *args)
    assert message in str(error)
    assert counts() == before


# user_create


@pytest.mark.django_db
def test_user_create_reads_the_password_from_standard_input(reference: None) -> None:
    organization = OrganizationFactory(name="Asociația Stdin")
    output = run(
        "user_create",
        "--username",
        "ioana",
        "--org",
        "Asociația Stdin",
        "--role",
        "psychologist",
        "--first-name",
        "Ioana",
        "--last-name",
        "Pop",
        "--email",
        "ioana@example.org",
        "--password-stdin",
        stdin=f"{STRONG}\nignored second line\n",
    )
    assert output.stdout == "created user ioana\tAsociația Stdin\tpsychologist\n"
    assert "one-time password" not in output.stdout
    user = User.objects.get(username="ioana")
    assert user.check_password(STRONG)
    assert user.must_change_password is False
    assert (user.first_name, user.last_name, user.email) == ("Ioana", "Pop", "ioana@example.org")
    membership = user.memberships.get()
    assert (membership.organization_id, membership.role, membership.is_active) == (organization.pk, Role.PSYCHOLOGIST, True)
    assert AuditEvent.objects.filter(action="user.create", target_type="accounts.user", target_id=str(user.pk)).count() == 1
    assert (
        AuditEvent.objects.filter(
            action="membership.create", target_type="accounts.membership", target_id=str(membership.pk)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_user_create_accepts_a_windows_line_ending_on_standard_input(reference: None) -> None:
    OrganizationFactory(name="Asociația CRLF")
    run(
        "user_create",
        "--username",
        "crlf",
        "--org",
        "Asociația CRLF",
        "--role",
        "mentor",
        "--password-stdin",
        stdin=f"{STRONG}\r\n",
    )
    assert User.objects.get(username="crlf").check_password(STRONG)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stdin", "message"),
    [("short\n", "too short"), ("\n", "no password on standard input"), ("", "no password on standard input")],
    ids=["weak", "empty-line", "nothing"],
)
def test_user_create_refuses_a_weak_or_missing_password_and_writes_nothing(reference: None, stdin: str, message: str) -> None:
    OrganizationFactory(name="Asociația Slabă")
    before = counts()
    error = refused(
        "user_create", "--username", "slab", "--org", "Asociația Slabă", "--role", "caseworker", "--password-stdin", stdin=stdin
    )
    assert error.returncode == BAD_INPUT
    assert message in str(error)
    assert counts() == before
    assert not User.objects.filter(username="slab").exists()


@pytest.mark.django_db
def test_user_create_without_a_password_prints_a_working_one_time_password(reference: None) -> None:
    OrganizationFactory(name="Asociația OTP")
    output = run("user_create", "--username", "mihai", "--org", "Asociația OTP", "--role", "caseworker")
    lines = output.stdout.splitlines()
    assert lines[0] == "created user mihai\tAsociația OTP\tcaseworker"
    prefix = "one-time password (shown once, must be changed at first sign-in): "
    assert len(lines) == 2
    assert lines[1].startswith(prefix)
    one_time = lines[1].removeprefix(prefix)
    assert len(one_time) >= 12
    user = User.objects.get(username="mihai")
    assert user.must_change_password is True
    assert user.check_password(one_time)
    assert not user.check_password(one_time + "x")


@pytest.mark.django_db
def test_user_create_refuses_an_unknown_organization(reference: None) -> None:
    OrganizationFactory(name="Asociația Reală")
    before = counts()
    error = refused("user_create", "--username", "fara", "--org", "Asociația Inventată", "--role", "caseworker")
    assert error.returncode == BAD_INPUT
    assert "no organization is named 'Asociația Inventată'" in str(error)
    assert counts() == before


@pytest.mark.django_db
def test_user_create_refuses_an_unknown_role(reference: None) -> None:
    OrganizationFactory(name="Asociația Roluri")
    before = counts()
    error = refused("user_create", "--username", "rol", "--org", "Asociația Roluri", "--role", "superhero")
    assert "invalid choice: 'superhero'" in str(error)
    assert counts() == before


@pytest.mark.django_db
def test_user_create_refuses_a_duplicate_username_and_writes_nothing(reference: None) -> None:
    organization = OrganizationFactory(name="Asociația Dublură")
    existing = UserFactory(username="dublura", organization=organization)
    before = counts()
    error = refused("user_create", "--username", "dublura", "--org", "Asociația Dublură", "--role", "analyst")
    assert error.returncode == BAD_INPUT
    assert "username:" in str(error)
    assert counts() == before
    assert existing.memberships.get().role == Role.CASEWORKER


# token_create


@pytest.mark.django_db
def test_token_create_prints_the_token_once_and_stores_only_its_digest(reference: None) -> None:
    user = UserFactory(username="api_user")
    output = run("token_create", "--username", "api_user", "--name", "export nightly", "--days", "30")
    raw = output.stdout.strip()
    assert output.stdout == f"{raw}\n"
    assert raw.startswith("pt_")
    token = ApiToken.objects.get(user=user)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(f"pt_{token.prefix}_")
    assert token.name == "export nightly"
    assert (token.expires_at - token.created_at).days in {29, 30}
    # Only the prefix and the digest are kept: the raw value is in no column of the row.
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(raw not in str(value) for value in row.values())
    for event in AuditEvent.objects.values():
        assert all(raw not in str(value) for value in event.values())
    assert raw not in output.stderr
    assert f"token {token.prefix} for api_user" in output.stderr
    assert token_authenticate(raw) == token


@pytest.mark.django_db
def test_token_create_refuses_an_unknown_user(reference: None) -> None:
    before = counts()
    error = refused("token_create", "--username", "nobody")
    assert error.returncode == BAD_INPUT
    assert "no user is named 'nobody'" in str(error)
    assert counts() == before


@pytest.mark.django_db
def test_token_create_refuses_an_out_of_range_lifetime(reference: None) -> None:
    UserFactory(username="long_lived")
    before = counts()
    error = refused("token_create", "--username", "long_lived", "--days", "400")
    assert error.returncode == BAD_INPUT
    assert "days:" in str(error)
    assert counts() == before


# token_revoke


@pytest.mark.django_db
@pytest.mark.parametrize("with_marker", [False, True], ids=["prefix", "pt_prefix"])
def test_token_revoke_by_prefix(reference: None, with_marker: bool) -> None:
    user = UserFactory(username="revoked_one")
    token, raw = token_create(actor=SYSTEM, user=user)
    other, other_raw = token_create(actor=SYSTEM, user=user)
    prefix = f"pt_{token.prefix}" if with_marker else token.prefix
    output = run("token_revoke", "--prefix", prefix)
    assert output.stdout == "revoked 1 token(s)\n"
    token.refresh_from_db()
    other.refresh_from_db()
    assert token.revoked_at is not None
    assert other.revoked_at is None
    assert token_authenticate(raw) is None
    assert token_authenticate(other_raw) == other
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.target_id == str(token.pk)


@pytest.mark.django_db
def test_token_revoke_by_username_revokes_every_token_of_that_user(reference: None) -> None:
    user = UserFactory(username="revoked_all")
    bystander = UserFactory(username="bystander")
    raws = [token_create(actor=SYSTEM, user=user)[1] for _ in range(2)]
    kept = token_create(actor=SYSTEM, user=bystander)[1]
    output = run("token_revoke", "--username", "revoked_all")
    assert output.stdout == "revoked 2 token(s)\n"
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert all(token_authenticate(raw) is None for raw in raws)
    assert token_authenticate(kept) is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 2
    # Again: nothing left to revoke, and no new event.
    assert run("token_revoke", "--username", "revoked_all").stdout == "revoked 0 token(s)\n"
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [(["--prefix", "deadbeef"], "no token has the prefix 'deadbeef'"), (["--username", "ghost"], "user 'ghost' has no tokens")],
    ids=["unknown-prefix", "unknown-user"],
)
def test_token_revoke_refuses_what_does_not_exist(reference: None, args: list[str], message: str) -> None:
    user = UserFactory(username="keeps_token")
    token, raw = token_create(actor=SYSTEM, user=user)
    before = counts()
    error = refused("token_revoke", *args)
    assert error.returncode == BAD_INPUT
    assert message in str(error)
    assert counts() == before
    assert token_authenticate(raw) == token


@pytest.mark.django_db
def test_token_revoke_needs_a_prefix_or_a_username(reference: None) -> None:
    error = refused("token_revoke")
    assert "one of the arguments --prefix --username is required" in str(error)


# user_list


@pytest.mark.django_db
def test_user_list_prints_one_sorted_line_per_active_membership(reference: None) -> None:
    beta = OrganizationFactory(name="beta org")
    alpha = OrganizationFactory(name="alpha org")
    UserFactory(username="zoe", organization=beta, role=Role.MENTOR)
    adam = UserFactory(username="adam", organization=beta, role=Role.SUPERVISOR)
    membership_create(actor=SYSTEM, user=adam, organization=alpha, role=Role.ANALYST)
    ended = UserFactory(username="mara", organization=alpha, role=Role.CASEWORKER)
    ended.memberships.update(is_active=False)
    gone = UserFactory(username="gone", organization=alpha, role=Role.CASEWORKER)
    user_update(actor=SYSTEM, user=gone, first_name="", last_name="", email="", is_active=False)

    assert run("user_list").stdout.splitlines() == [
        "adam\talpha org\tanalyst",
        "adam\tbeta org\tsupervisor",
        "zoe\tbeta org\tmentor",
    ]
    assert run("user_list", "--inactive").stdout.splitlines() == [
        "adam\talpha org\tanalyst",
        "adam\tbeta org\tsupervisor",
        "gone\talpha org\tcaseworker",
        "mara\talpha org\tcaseworker",
        "zoe\tbeta org\tmentor",
    ]


@pytest.mark.django_db
def test_user_list_prints_nothing_without_users(reference: None) -> None:
    assert run("user_list").stdout == ""


# The same commands as an operator runs them: a real process, a real exit code. The development
# settings speak Romanian, so messages from punte's catalogue are matched by their field name.


@dataclass(frozen=True)
class Installation:
    env: dict[str, str]
    database: Path

    def manage(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def count(self, table: str, where: str = "1 = 1", *params: object) -> int:
        with sqlite3.connect(self.database) as connection:
            return int(connection.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0])  # noqa: S608

    def rows(self) -> tuple[int, int, int, int, int]:
        return (
            self.count("accounts_organization"),
            self.count("accounts_user"),
            self.count("accounts_membership"),
            self.count("accounts_apitoken"),
            self.count("audit_auditevent"),
        )


def installation_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PUNTE_", "DATABASE_"))}
    env.pop("SECRET_KEY", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp / 'punte.sqlite3'}",
        PUNTE_VAR_DIR=str(tmp),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    """A migrated installation with reference data and one organization, made once for the module."""
    tmp = tmp_path_factory.mktemp("installation")
    found = Installation(env=installation_env(tmp), database=tmp / "punte.sqlite3")
    for args in (("migrate", "--no-input", "-v", "0"), ("load_reference",)):
        result = found.manage(*args)
        assert result.returncode == 0, result.stderr
    result = found.manage("org_create", "--name", "Asociația Proces", "--kind", "ngo", "--county", "RO-CJ")
    assert result.returncode == 0, result.stderr
    return found


def test_process_load_reference_again_is_up_to_date(installation: Installation) -> None:
    events = installation.count("audit_auditevent", "action = ?", "reference.load")
    result = installation.manage("load_reference")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "reference data already up to date\n"
    assert installation.count("audit_auditevent", "action = ?", "reference.load") == events == 1


def test_process_org_create_succeeds_with_exit_code_0(installation: Installation) -> None:
    result = installation.manage("org_create", "--name", "Centrul Zero", "--kind", "public_institution", "--county", "RO-B")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("created organization ")
    assert result.stdout.rstrip("\n").endswith("\tCentrul Zero")
    assert installation.count("accounts_organization", "name = ?", "Centrul Zero") == 1
    assert (
        installation.count("audit_auditevent", "action = ? AND user_agent = ?", "organization.create", "manage.py org_create")
        >= 1
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "Nouă", "--kind", "ngo", "--county", "RO-ZZ"], "county: "),
        (["--name", "Nouă", "--kind", "club", "--county", "RO-CJ"], "invalid choice: 'club'"),
        (["--name", "Asociația Proces", "--kind", "ngo", "--county", "RO-CJ"], "name:"),
        (["--kind", "ngo", "--county", "RO-CJ"], "--name"),
    ],
    ids=["unknown-county", "unknown-kind", "duplicate-name", "missing-name"],
)
def test_process_org_create_bad_input_exits_2_and_writes_nothing(
    installation: Installation, args: list[str], message: str
) -> None:
    before = installation.rows()
    result = installation.manage("org_create", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert installation.rows() == before


def test_process_user_create_with_password_on_standard_input(installation: Installation) -> None:
    result = installation.manage(
        "user_create",
        "--username",
        "proc_user",
        "--org",
        "Asociația Proces",
        "--role",
        "caseworker",
        "--password-stdin",
        stdin=f"{STRONG}\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "created user proc_user\tAsociația Proces\tcaseworker\n"
    assert STRONG not in result.stdout + result.stderr
    assert installation.count("accounts_user", "username = ? AND must_change_password = 0", "proc_user") == 1


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["--username", "weak", "--org", "Asociația Proces", "--role", "caseworker", "--password-stdin"],
            "short\n",
            "password: ",
        ),
        (["--username", "lost", "--org", "Nowhere", "--role", "caseworker"], None, "no organization is named 'Nowhere'"),
        (["--username", "hero", "--org", "Asociația Proces", "--role", "superhero"], None, "invalid choice: 'superhero'"),
        (["--username", "proc_dup", "--org", "Asociația Proces", "--role", "mentor"], None, "username:"),
    ],
    ids=["weak-password", "unknown-org", "unknown-role", "duplicate-username"],
)
def test_process_user_create_bad_input_exits_2_and_writes_nothing(
    installation: Installation, args: list[str], stdin: str | None, message: str
) -> None:
    if installation.count("accounts_user", "username = ?", "proc_dup") == 0:
        made = installation.manage("user_create", "--username", "proc_dup", "--org", "Asociația Proces", "--role", "caseworker")
        assert made.returncode == 0, made.stderr
    before = installation.rows()
    result = installation.manage("user_create", *args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert installation.rows() == before


def test_process_tokens_create_and_revoke(installation: Installation) -> None:
    made = installation.manage("user_create", "--username", "proc_api", "--org", "Asociația Proces", "--role", "analyst")
    assert made.returncode == 0, made.stderr
    created = installation.manage("token_create", "--username", "proc_api")
    assert created.returncode == 0, created.stderr
    raw = created.stdout.strip()
    assert created.stdout == f"{raw}\n"
    assert raw.startswith("pt_")
    assert installation.count("accounts_apitoken", "digest = ?", hashlib.sha256(raw.encode()).hexdigest()) == 1
    prefix = raw.split("_")[1]
    revoked = installation.manage("token_revoke", "--prefix", prefix)
    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout == "revoked 1 token(s)\n"
    assert installation.count("accounts_apitoken", "prefix = ? AND revoked_at IS NOT NULL", prefix) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["token_create", "--username", "nobody"], "no user is named 'nobody'"),
        (["token_revoke", "--prefix", "deadbeef"], "no token has the prefix 'deadbeef'"),
        (["token_revoke"], "one of the arguments --prefix --username is required"),
    ],
    ids=["token-create-unknown-user", "token-revoke-unknown-prefix", "token-revoke-nothing"],
)
def test_process_token_commands_bad_input_exit_2(installation: Installation, args: list[str], message: str) -> None:
    before = installation.rows()
    result = installation.manage(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert installation.rows() == before


def test_process_user_list_exits_0_with_tab_separated_lines(installation: Installation) -> None:
    made = installation.manage("user_create", "--username", "proc_listed", "--org", "Asociația Proces", "--role", "mentor")
    assert made.returncode == 0, made.stderr
    result = installation.manage("user_list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "proc_listed\tAsociația Proces\tmentor" in lines
    assert lines == sorted(lines)
    assert all(line.count("\t") == 2 for line in lines)


def test_process_audit_verify_exits_0_then_1_after_tampering(installation: Installation, tmp_path: Path) -> None:
    intact = installation.manage("audit_verify")
    assert intact.returncode == 0, intact.stderr
    assert "audit trail intact" in intact.stdout
    # Tamper with a copy, so the other tests keep an intact installation.
    copy = tmp_path / "tampered.sqlite3"
    with sqlite3.connect(installation.database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as connection:
        event_id = connection.execute(
            "SELECT id FROM audit_auditevent WHERE action = 'organization.create' ORDER BY id"
        ).fetchone()[0]
        connection.execute("UPDATE audit_auditevent SET action = 'organization.delete' WHERE id = ?", (event_id,))
    tampered = Installation(env={**installation.env, "DATABASE_URL": f"sqlite:///{copy}"}, database=copy)
    result = tampered.manage("audit_verify")
    assert result.returncode == 1
    assert f"event {event_id} " in result.stderr
    assert "was edited" in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["org_create", "--name", "X", "--kind", "club", "--county", "RO-CJ"],
        ["org_create", "--kind", "ngo", "--county", "RO-CJ"],
        ["user_create", "--username", "x", "--org", "X", "--role", "boss"],
        ["token_revoke"],
    ],
)
def test_bad_arguments_in_process_also_exit_2(reference: None, arguments: list[str]) -> None:
    with pytest.raises(CommandError) as raised:
        call_command(*arguments)
    assert raised.value.returncode == 2

import sys
from typing import Any

from django.core.management.base import CommandParser

from punte.accounts.actor import SYSTEM
from punte.accounts.models import Organization
from punte.accounts.roles import Role
from punte.accounts.services import user_create
from punte.core.commands import PunteCommand


class Command(PunteCommand):
    help = (
        "Create a user with a role in an organization. The password is read from standard input "
        "(--password-stdin); without it, a one-time password is printed that must be changed at first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--org", required=True, help="the organization's exact name")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from the first line of standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(name=options["org"]).first()
        if organization is None:
            raise self.bad_input(f"no organization is named {options['org']!r}; see user_list or org_create")
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise self.bad_input("no password on standard input")
        user, one_time = user_create(
            actor=SYSTEM,
            username=options["username"],
            organization=organization,
            role=options["role"],
            password=password,
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
        )
        self.stdout.write(f"created user {user.username}\t{organization.name}\t{options['role']}")
        if one_time:
            self.stdout.write(f"one-time password (shown once, must be changed at first sign-in): {one_time}")

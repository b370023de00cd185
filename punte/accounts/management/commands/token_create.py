from typing import Any

from django.core.management.base import CommandParser

from punte.accounts.actor import SYSTEM
from punte.accounts.models import User
from punte.accounts.services import token_create
from punte.core.commands import PunteCommand


class Command(PunteCommand):
    help = "Make an API token for a user and print it once. Only its digest is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument("--days", type=int, default=None, help="lifetime in days (default PUNTE_API_TOKEN_DAYS, 90)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise self.bad_input(f"no user is named {options['username']!r}")
        token, raw = token_create(actor=SYSTEM, user=user, name=options["name"], days=options["days"])
        self.stderr.write(
            f"token {token.prefix} for {user.username}, valid until {token.expires_at:%Y-%m-%d}; it is shown only now:"
        )
        self.stdout.write(raw)

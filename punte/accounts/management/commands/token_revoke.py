from typing import Any

from django.core.management.base import CommandParser

from punte.accounts.actor import SYSTEM
from punte.accounts.models import ApiToken
from punte.accounts.services import token_revoke
from punte.core.commands import PunteCommand


class Command(PunteCommand):
    help = "Revoke API tokens: one by its prefix (the 8 characters after pt_), or all of a user's."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--prefix", help="the token's prefix, as user_list --tokens or the account page shows it")
        group.add_argument("--username", help="revoke every token of this user")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["prefix"]:
            tokens = list(ApiToken.objects.filter(prefix=options["prefix"].removeprefix("pt_")))
            if not tokens:
                raise self.bad_input(f"no token has the prefix {options['prefix']!r}")
        else:
            tokens = list(ApiToken.objects.filter(user__username=options["username"], revoked_at__isnull=True))
            if not ApiToken.objects.filter(user__username=options["username"]).exists() and not tokens:
                raise self.bad_input(f"user {options['username']!r} has no tokens")
        for token in tokens:
            token_revoke(actor=SYSTEM, token=token)
        self.stdout.write(f"revoked {len(tokens)} token(s)")

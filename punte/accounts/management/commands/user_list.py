from typing import Any

from django.core.management.base import CommandParser

from punte.accounts.actor import SYSTEM
from punte.accounts.selectors import membership_list
from punte.core.commands import PunteCommand


class Command(PunteCommand):
    help = "One line per membership: username, organization name, role (tab-separated)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inactive", action="store_true", help="include inactive memberships")

    def handle(self, *args: Any, **options: Any) -> None:
        memberships = membership_list(actor=SYSTEM)
        if not options["inactive"]:
            memberships = memberships.filter(is_active=True, user__is_active=True)
        for membership in memberships.order_by("user__username", "organization__name"):
            self.stdout.write(f"{membership.user.username}\t{membership.organization.name}\t{membership.role}")

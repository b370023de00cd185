from typing import Any

from django.core.management.base import CommandParser

from punte.accounts.actor import SYSTEM
from punte.accounts.models import Organization
from punte.accounts.services import organization_create
from punte.core.commands import PunteCommand


class Command(PunteCommand):
    help = "Create an organization. Example: org_create --name 'Asociația X' --kind ngo --county RO-CJ"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=Organization.Kind.values)
        parser.add_argument("--county", required=True, help="ISO 3166-2:RO code, e.g. RO-CJ")
        parser.add_argument("--inactive", action="store_true", help="create it inactive")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_create(
            actor=SYSTEM,
            name=options["name"],
            kind=options["kind"],
            county_code=options["county"],
            is_active=not options["inactive"],
        )
        self.stdout.write(f"created organization {organization.pk}\t{organization.name}")

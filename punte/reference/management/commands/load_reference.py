from typing import Any

from django.core.management.base import BaseCommand

from punte.accounts.actor import SYSTEM
from punte.assessments.services import templates_load_shipped
from punte.core.context import command_context, request_context
from punte.reference.services import reference_load


class Command(BaseCommand):
    help = "Load counties, development regions, the shipped county groupings and assessment templates. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        with request_context(command_context("load_reference")):
            report = reference_load(actor=SYSTEM)
            templates = templates_load_shipped(actor=SYSTEM)
        if not report.changed and not templates:
            self.stdout.write("reference data already up to date")
            return
        for kind, count in sorted(report.created.items()):
            self.stdout.write(f"created {count} {kind}")
        for kind, count in sorted(report.updated.items()):
            self.stdout.write(f"updated {count} {kind}")
        if templates:
            self.stdout.write(f"created {templates} assessment_template")

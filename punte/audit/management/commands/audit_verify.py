from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from punte.audit.models import AuditChainHead, AuditEvent
from punte.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "Recompute the hash chains of the audit trail; exit 1 and name the first bad event "
        "if any event was edited, deleted or reordered."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--heads",
            action="store_true",
            help="also print each chain's head (chain, seq, hash) to keep outside the database: "
            "a later run that disagrees with a kept head shows the chain was rewritten",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit_verify()
        if problems:
            for problem in problems:
                self.stderr.write(f"audit trail broken: {problem}")
            raise CommandError(f"{len(problems)} broken chain(s); first: {problems[0]}", returncode=1)
        count = AuditEvent.objects.count()
        self.stdout.write(f"audit trail intact: {count} events verified")
        if options["heads"]:
            for head in AuditChainHead.objects.order_by("chain"):
                self.stdout.write(f"{head.chain}\t{head.seq}\t{head.hash}")

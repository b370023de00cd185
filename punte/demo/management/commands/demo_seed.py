from typing import Any

from django.conf import settings

from punte.accounts.actor import SYSTEM
from punte.core.commands import PunteCommand
from punte.demo.data import DEMO_PASSWORD
from punte.demo.services import demo_seed


class Command(PunteCommand):
    help = "Load the synthetic demo organizations and one user per role (idempotent). Never on a real installation."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise self.bad_input("demo data is refused outside the development settings")
        report = demo_seed(actor=SYSTEM)
        self.stdout.write(
            f"demo data: {report.organizations} organizations, {report.users} users, "
            f"{report.memberships} extra memberships, {report.cases} cases added"
        )
        self.stdout.write("")
        self.stdout.write("punte demo — all data is synthetic. Sign in at http://127.0.0.1:8000 with:")
        for username, role, organization in report.logins:
            self.stdout.write(f"  {username:<16} {role:<22} {organization}")
        self.stdout.write(f"  password for every demo user: {DEMO_PASSWORD}")

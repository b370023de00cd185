"""Benchmarks of the foundation, printed as ratios measured in one run (the machines are shared:
absolute times vary, ratios much less).

1. Audit chains: writers in different organizations append to different chains and do not wait
   for each other; writers in one organization take turns on that chain's head. On PostgreSQL the
   benchmark runs 4 concurrent writers both ways and prints the throughput ratio.
2. Audit cost: an audited write against the same write without its audit event.
3. Verification speed: events verified per second by `audit_verify`.

Run with `make bench` (PostgreSQL at PG_URL if it answers, otherwise SQLite for 2 and 3 only).
"""

import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

WRITERS = 4
EVENTS_PER_WRITER = 150


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from punte.accounts.actor import SYSTEM
    from punte.accounts.models import Organization
    from punte.accounts.services import organization_create
    from punte.audit.services import audit_record, audit_verify
    from punte.reference.services import reference_load

    reference_load(actor=SYSTEM)
    organizations = [
        organization_create(actor=SYSTEM, name=f"Organizația de măsurat {n}", kind="ngo", county_code="RO-CJ")
        for n in range(WRITERS)
    ]
    vendor = connection.vendor
    print(f"database: {vendor}")

    def write(organization_id: int, count: int) -> None:
        try:
            for _ in range(count):
                with transaction.atomic():
                    audit_record(actor=SYSTEM, action="bench.write", organization_id=organization_id)
        finally:
            connections.close_all()

    def concurrent(targets: list[int]) -> float:
        threads = [threading.Thread(target=write, args=(target, EVENTS_PER_WRITER)) for target in targets]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start

    if vendor == "postgresql":
        one_chain = concurrent([organizations[0].pk] * WRITERS)
        many_chains = concurrent([o.pk for o in organizations])
        print(
            f"1. {WRITERS} concurrent writers, {EVENTS_PER_WRITER} events each: one chain {one_chain:.2f}s, "
            f"one chain per organization {many_chains:.2f}s; throughput ratio {one_chain / many_chains:.2f}x"
        )
    else:
        print("1. skipped: concurrent writers need PostgreSQL (SQLite serializes every write)")

    target = organizations[0]

    def plain_writes(count: int) -> float:
        start = time.perf_counter()
        for n in range(count):
            with transaction.atomic():
                Organization.objects.filter(pk=target.pk).update(name=f"Organizația redenumită {n}")
        return time.perf_counter() - start

    def audited_writes(count: int) -> float:
        start = time.perf_counter()
        for n in range(count):
            with transaction.atomic():
                Organization.objects.filter(pk=target.pk).update(name=f"Organizația auditată {n}")
                audit_record(actor=SYSTEM, action="bench.update", target=target, fields=["name"], organization_id=target.pk)
        return time.perf_counter() - start

    plain, audited = plain_writes(300), audited_writes(300)
    rate = 300 / audited
    print(f"2. an audited write costs {audited / plain:.2f}x the same write without its event ({rate:.0f} audited writes/s)")

    start = time.perf_counter()
    problems = audit_verify()
    elapsed = time.perf_counter() - start
    from punte.audit.models import AuditEvent

    count = AuditEvent.objects.count()
    assert not problems, problems
    print(f"3. audit_verify: {count} events in {elapsed:.2f}s ({count / elapsed:.0f} events/s)")


if __name__ == "__main__":
    main()

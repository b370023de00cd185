"""Appending to the audit trail, and verifying it.

`audit_record` must run inside the transaction of the change it records, so that a change is
never committed without its event nor an event without its change.
"""

import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from punte.accounts.actor import Actor
from punte.core.context import current_context

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
GLOBAL_CHAIN = "global"


def chain_for(organization_id: int | None) -> str:
    return f"org:{organization_id}" if organization_id else GLOBAL_CHAIN


def _normalize_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def event_hash(event: AuditEvent) -> str:
    created_at = event.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    content = {
        "chain": event.chain,
        "seq": event.seq,
        "kind": event.kind,
        "action": event.action,
        "actor": event.actor_id,
        "organization": event.organization_id,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "fields": list(event.fields),
        "request_id": event.request_id,
        "ip": _normalize_ip(event.ip),
        "user_agent": event.user_agent,
        "created_at": created_at,
        "prev_hash": event.prev_hash,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _lock_head(chain: str) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(chain=chain, seq=0, hash=GENESIS)
    except IntegrityError:
        # Another transaction created the head first; wait for it and take the lock.
        return AuditChainHead.objects.select_for_update().get(chain=chain)


def _target_of(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    fields: Iterable[str] = (),
    organization_id: int | None = None,
    kind: str = AuditEvent.Kind.WRITE,
) -> AuditEvent:
    """Append an event to the organization's chain, in the caller's transaction.

    `organization_id` defaults to the organization the actor acts in."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records.")
    if organization_id is None and actor is not None:
        organization_id = actor.organization_id
    context = current_context()
    chain = chain_for(organization_id)
    head = _lock_head(chain)
    target_type, target_id = _target_of(target)
    event = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
        kind=kind,
        action=action,
        actor_id=actor.user.pk if actor is not None and actor.user is not None else None,
        organization_id=organization_id,
        target_type=target_type,
        target_id=target_id,
        fields=sorted(set(fields)),
        request_id=context.request_id[:64],
        ip=_normalize_ip(context.ip),
        user_agent=context.user_agent[:300],
        created_at=timezone.now(),
        prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    event.save()
    head.seq = event.seq
    head.hash = event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def audit_access(
    *, actor: Actor, target: models.Model, organization_id: int | None = None, action: str | None = None
) -> AuditEvent:
    """Record that the actor read a protected record."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=action or f"{target._meta.label_lower}.view",
            target=target,
            organization_id=organization_id,
            kind=AuditEvent.Kind.ACCESS,
        )


def changed_fields(instance: models.Model, before: dict[str, object]) -> list[str]:
    """Names of the fields whose value differs from `before` (field name -> old value)."""
    return [name for name, old in before.items() if getattr(instance, name) != old]


@dataclass(frozen=True)
class ChainProblem:
    chain: str
    event_id: int | None
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event {self.event_id} (chain {self.chain}, seq {self.seq})" if self.event_id else f"chain {self.chain}"
        return f"{where}: {self.reason}"


def _events_by_chain() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=2000)


def audit_verify() -> list[ChainProblem]:
    """Recompute every chain. Returns the first problem of each broken chain; empty when intact."""
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    problems: list[ChainProblem] = []
    seen: set[str] = set()
    chain: str | None = None
    expected_seq, prev_hash, broken = 1, GENESIS, False

    def close(chain_name: str, last_seq: int, last_hash: str, was_broken: bool) -> None:
        head = heads.get(chain_name)
        if was_broken:
            return
        if head is None:
            problems.append(ChainProblem(chain_name, None, None, "the chain has no head record"))
        elif head.seq != last_seq or head.hash != last_hash:
            problems.append(
                ChainProblem(
                    chain_name,
                    None,
                    head.seq,
                    f"the chain ends at seq {last_seq} but its head records seq {head.seq}: "
                    "the newest events were deleted or the head was altered",
                )
            )

    last_hash = GENESIS
    for event in _events_by_chain():
        if event.chain != chain:
            if chain is not None:
                close(chain, expected_seq - 1, last_hash, broken)
            chain, expected_seq, prev_hash, broken, last_hash = event.chain, 1, GENESIS, False, GENESIS
            seen.add(chain)
        if broken:
            continue
        reason = None
        if event.seq != expected_seq:
            reason = f"expected seq {expected_seq}: an event before it was deleted or the order was changed"
        elif event.prev_hash != prev_hash:
            reason = "it does not follow the event before it: the chain was reordered or an event replaced"
        elif event_hash(event) != event.hash:
            reason = "its content does not match its hash: the event was edited"
        if reason:
            problems.append(ChainProblem(event.chain, event.pk, event.seq, reason))
            broken = True
            continue
        expected_seq, prev_hash, last_hash = event.seq + 1, event.hash, event.hash
    if chain is not None:
        close(chain, expected_seq - 1, last_hash, broken)
    for name, head in heads.items():
        if name not in seen and head.seq != 0:
            problems.append(ChainProblem(name, None, head.seq, f"all {head.seq} events of the chain were deleted"))
    # The earliest bad event first, then chains broken at their end.
    return sorted(problems, key=lambda p: (p.event_id is None, p.event_id or 0))

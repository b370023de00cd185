"""Who, from where, in which request: read by the audit trail, set by middleware or a command."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    user_agent: str


_current: ContextVar[RequestContext | None] = ContextVar("punte_request_context", default=None)


def current_context() -> RequestContext:
    context = _current.get()
    if context is None:
        return RequestContext(request_id=f"proc-{uuid.uuid4().hex}", ip=None, user_agent="")
    return context


@contextmanager
def request_context(context: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def command_context(command: str) -> RequestContext:
    return RequestContext(request_id=f"cli-{uuid.uuid4().hex}", ip=None, user_agent=f"manage.py {command}")

from . import assessments, cases, endpoints  # noqa: F401  (registers the operations)
from .base import api

__all__ = ["api"]

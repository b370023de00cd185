from django import template

from punte.accounts.actor import Actor
from punte.accounts.roles import Action

register = template.Library()


@register.filter
def can(actor: Actor | None, action: str) -> bool:
    """`{% if actor|can:"user.manage" %}`: the same permission table the views check."""
    return actor is not None and actor.can(Action(action))

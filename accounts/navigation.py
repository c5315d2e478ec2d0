"""The main navigation, assembled from what each app declares.

An app lists its entries in its AppConfig as `navigation = [NavEntry(...), ...]`; this module
names no URL of any app but its own, so the lowest app knows nothing of the higher ones.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    roles: frozenset[Role] | None = None  # None: everyone signed in
    order: int = 100
    # "menu": the main navigation; "help": the student's "Get help" button; "next": where a
    # finished quiz sends a student on; "class": actions on one class (url takes its id).
    slot: str = "menu"

    def shown_to(self, user) -> bool:
        return self.roles is None or user.role in self.roles


HOME = NavEntry("home", _("Home"), order=0)


def roles(*kinds: Role) -> frozenset[Role]:
    return frozenset(kinds)


@cache
def registered() -> tuple[NavEntry, ...]:
    """Every app's entries in display order (apps are fixed once loaded, so computed once)."""
    entries = [HOME]
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "navigation", ()))
    return tuple(sorted(entries, key=lambda e: e.order))


def entries_for(user, slot: str = "menu", args=()) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"url": reverse(e.url_name, args=args), "label": e.label, "name": e.url_name}
        for e in registered()
        if e.slot == slot and e.shown_to(user)
    ]

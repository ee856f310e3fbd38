"""What an editor may change: every priority, or (when an administrator has limited them, with
``PriorityEditor`` rows) some priorities only. Every write path asks here: the entry grid, the
figures import (at its preview and again at its confirm), the milestone updates and
publishing. An indicator under several priorities may be changed by an editor of any of them.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from indicators import roles
from indicators.models import Priority, PriorityEditor, PriorityIndicator

if TYPE_CHECKING:  # settings.AUTH_USER_MODEL: Django's own user
    from django.contrib.auth.models import AnonymousUser, User


@dataclass(frozen=True)
class Scope:
    """The priorities (by id) a user may change; ``None`` for every one."""

    priorities: frozenset[int] | None

    @property
    def limited(self) -> bool:
        return self.priorities is not None

    def allows_priority(self, priority: Priority) -> bool:
        return self.priorities is None or priority.pk in self.priorities

    def indicator_ids(self) -> frozenset[int] | None:
        """The indicators (by id) under the user's priorities; ``None`` for every one."""
        if self.priorities is None:
            return None
        links = PriorityIndicator.objects.filter(priority__in=self.priorities)
        return frozenset(links.values_list("indicator_id", flat=True))

    def describe(self) -> str:
        """The priorities in words, for a refusal: "priorities 1 and 6"."""
        if self.priorities is None:
            return "every priority"
        numbers = sorted(
            Priority.objects.filter(pk__in=self.priorities).values_list("number", flat=True)
        )
        if not numbers:
            return "no priority"
        if len(numbers) == 1:
            return f"priority {numbers[0]}"
        return f"priorities {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


EVERY_PRIORITY = Scope(None)


def scope_of(user: "User | AnonymousUser") -> Scope:
    """An administrator, and an editor with no limit, may change every priority; a limited
    editor the priorities named; anyone else none."""
    if roles.has_role(user, roles.ADMINISTRATOR):
        return EVERY_PRIORITY
    if not roles.has_role(user, roles.EDITOR):
        return Scope(frozenset())
    assert user.pk is not None  # an editor is a stored user
    rows = PriorityEditor.objects.filter(user__pk=user.pk)
    limited = frozenset(rows.values_list("priority_id", flat=True))
    return Scope(limited or None)


def require_priority(user: "User | AnonymousUser", priority: Priority) -> None:
    """Refuse (403, in words) a change to ``priority`` by someone limited to others."""
    scope = scope_of(user)
    if not scope.allows_priority(priority):
        raise PermissionDenied(
            f"You may change {scope.describe()} only, not priority {priority.number}. An "
            "administrator sets which priorities an editor works on."
        )


def require_every_priority(user: "User | AnonymousUser", action: str) -> None:
    """Refuse (403) ``action`` (e.g. "publish a month") to an editor limited to some
    priorities: it changes every priority at once."""
    scope = scope_of(user)
    if scope.limited:
        raise PermissionDenied(
            f"You may change {scope.describe()} only: to {action}, which changes every "
            "priority, ask an editor of every priority or an administrator."
        )

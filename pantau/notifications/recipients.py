"""Who holds a role over a unit, for reminder rules: read once per run (one query), answered in Python.

The reach of a grant is the one scoping rule of ``accounts.scoping`` (``Reach``): a grant on a unit reaches its
subtree, a grant on an Ombudsman office also every unit of its province. A rule asks ``holders(unit, role)`` for
thousands of units; each answer walks the unit's ancestors (its materialised path) rather than every grant.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pantau.accounts.models import RoleGrant
from pantau.accounts.scoping import Reach


class RoleIndex:
    """The active users holding ``roles`` and where their grants reach (one query when built)."""

    def __init__(self, roles: Iterable[str]) -> None:
        self._by_path: dict[tuple[str, str], set[int]] = defaultdict(set)
        self._by_province: dict[tuple[str, str], set[int]] = defaultdict(set)
        rows = RoleGrant.objects.filter(role__in=list(roles), user__is_active=True).values_list(
            "user_id", "role", "unit__path", "unit__kind", "unit__region_id"
        )
        for user_id, role, path, kind, region_id in rows:
            reach = Reach.of(_Unit(path, kind, region_id))
            self._by_path[(role, reach.path)].add(user_id)
            if reach.province:
                self._by_province[(role, reach.province)].add(user_id)

    def holders(self, unit: Any, role: str) -> set[int]:
        """Ids of the active users whose grant of ``role`` reaches ``unit`` (an object with ``path`` and
        ``province_code``)."""
        found: set[int] = set()
        parts = [p for p in unit.path.split("/") if p]
        for depth in range(1, len(parts) + 1):
            found |= self._by_path.get((role, "/" + "/".join(parts[:depth]) + "/"), set())
        if unit.province_code:
            found |= self._by_province.get((role, unit.province_code), set())
        return found


class _Unit:
    """The fields of a unit ``Reach.of`` reads."""

    def __init__(self, path: str, kind: str, region_id: str | None) -> None:
        self.path, self.kind, self.region_id = path, kind, region_id

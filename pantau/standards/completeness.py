"""Pure completeness rules for service standards (domain/rules.md section 1.4, "Computable rule"):

- ``sp_complete``: all 14 components of UU 25/2009 art. 21 are present;
- ``sp_publishable_ok``: all 6 service-delivery components (PermenPANRB 15/2014, section 1.2) are present and
  published.

Plain data in and out, no database; ``standards.services`` feeds it from the models. The rules apply to every unit
(agencies, districts, villages), not only to front-line units (section 1.4).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS


def is_present(content: Any) -> bool:
    """True when a component's content is available (not None) and not empty ("", whitespace, [] or {})."""
    if content is None:
        return False
    if isinstance(content, str):
        return bool(content.strip())
    if isinstance(content, list | tuple | dict):
        return len(content) > 0
    return True


@dataclass(frozen=True)
class ComponentState:
    """One component as plain data: ``present`` (available, not empty) and ``published`` (to users)."""

    present: bool
    published: bool = False


@dataclass(frozen=True)
class StandardCompleteness:
    """Completeness of one standard.

    ``missing``: component codes not present (art. 21 order); ``unpublished_delivery``: delivery components that
    are present but not published; ``present_count``: 0-14.
    """

    present_count: int
    missing: tuple[str, ...]
    unpublished_delivery: tuple[str, ...]

    @property
    def sp_complete(self) -> bool:
        """All 14 components present."""
        return not self.missing

    @property
    def sp_publishable_ok(self) -> bool:
        """All 6 delivery components present and published."""
        return not self.unpublished_delivery and not any(code in DELIVERY_COMPONENTS for code in self.missing)


def evaluate(components: Mapping[str, ComponentState]) -> StandardCompleteness:
    """Completeness of one standard from ``components`` (component code -> state). A code that is absent from the
    mapping counts as not present. Raises KeyError for a code that is not one of the 14."""
    unknown = sorted(set(components) - set(ALL_COMPONENTS))
    if unknown:
        raise KeyError(f"unknown component codes: {unknown}")
    missing = tuple(code for code in ALL_COMPONENTS if not components.get(code, ComponentState(False)).present)
    unpublished = tuple(
        code for code in DELIVERY_COMPONENTS
        if components.get(code, ComponentState(False)).present and not components[code].published
    )
    return StandardCompleteness(
        present_count=len(ALL_COMPONENTS) - len(missing), missing=missing, unpublished_delivery=unpublished
    )


NO_STANDARD = evaluate({})
"""The completeness of a service that has no standard at all: nothing present."""


@dataclass(frozen=True)
class Rollup:
    """Completeness of a group of services (a unit, an agency with its sub-units, a regency).

    ``services``: number of services; ``complete``: with sp_complete; ``publishable_ok``: with sp_publishable_ok;
    ``missing_by_component``: component code -> number of services lacking it (codes with zero left out).
    """

    services: int
    complete: int
    publishable_ok: int
    missing_by_component: dict[str, int] = field(default_factory=dict)

    @property
    def all_complete(self) -> bool:
        """True when there is at least one service and every one has a complete standard."""
        return self.services > 0 and self.complete == self.services

    @property
    def all_publishable_ok(self) -> bool:
        """True when there is at least one service and every one publishes its 6 delivery components."""
        return self.services > 0 and self.publishable_ok == self.services


def roll_up(items: Iterable[StandardCompleteness]) -> Rollup:
    """Sum the completeness of several services' standards (pass ``NO_STANDARD`` for a service without one)."""
    services = complete = publishable = 0
    missing: Counter[str] = Counter()
    for item in items:
        services += 1
        complete += item.sp_complete
        publishable += item.sp_publishable_ok
        missing.update(item.missing)
    return Rollup(
        services=services, complete=complete, publishable_ok=publishable,
        missing_by_component={code: missing[code] for code in ALL_COMPONENTS if missing[code]},
    )

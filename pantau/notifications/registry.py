"""The registry of notification kinds and reminder rules: how the apps above add their own reminders.

``notifications`` sits low in the import order (DESIGN.md: below workplans, agreements, findings, meetings and
complaints), so it cannot read actions, meetings or complaints itself. Instead each app that knows when something is
due registers, in its ``AppConfig.ready()``:

- its **kinds** (``register_kind(Kind(code, label, description, default_channel))``): what a user can switch between
  in-app, e-mail, digest and off on the preferences page; ``code`` is at most 40 characters;
- its **rules** (``register_rule(name, rule)``): a rule is a plain callable ``rule(now) -> Iterable[Draft]``, where
  ``now`` is an aware datetime (injected, so tests fix it). A rule only *reads* and returns drafts; it never writes.
  ``notifications.jobs.send_reminders`` runs every registered rule, stores the drafts through
  ``notifications.actions.notify_many`` (dedup, preferences), then sends e-mails and digests.

A rule decides three things for each draft:

- ``recipient_id``: a user id (``notifications.recipients.RoleIndex`` finds who holds a role over a unit);
- ``day``: the local date of the unit concerned (``unit.local_today(now)``; rules.md section 10);
- ``key``: what makes the draft the same reminder as an earlier one. With ``once=True`` (the default) a draft is
  skipped when its recipient already has a notification with this key on any day, so a key that names its period
  (``action:12:overdue:0``, ``...:1``) repeats once per period and a missed run is caught up the next day. With
  ``once=False`` it is skipped only when the same (recipient, key, day) exists (the database's unique constraint).

Example (what issue 13's complaints app would add; ``pantau/workplans/reminders.py`` is the working example)::

    class ComplaintsConfig(AppConfig):
        def ready(self):
            from pantau.complaints import reminders
            from pantau.notifications import registry

            registry.register_kind(registry.Kind("complaint_deadline", _("complaint deadlines"),
                                                 _("A complaint's stage is due.")))
            registry.register_rule("complaints.deadlines", reminders.deadlines)

Registering the same name again replaces the earlier rule (``ready()`` may run more than once in tests).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pantau.notifications.models import Channel

MAX_KIND_LENGTH = 40
_CODE_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789_.")


@dataclass(frozen=True)
class Kind:
    """A kind of notification: ``code`` (stored), ``label`` and ``description`` (translated, shown on the
    preferences page), ``default_channel`` for users who chose nothing (the daily digest unless said otherwise)."""

    code: str
    label: Any
    description: Any = ""
    default_channel: str = Channel.DIGEST


@dataclass(frozen=True)
class Draft:
    """A notification a rule wants sent: to ``recipient_id``, of ``kind``, under ``key`` on local date ``day``.

    ``subject`` (at most 300 characters) and ``body`` are plain text in the active language; ``url`` is a path
    inside Pantau ("/actions/12/"). ``once``: see the module docstring.
    """

    recipient_id: int
    kind: str
    key: str
    day: dt.date
    subject: str
    body: str
    url: str = ""
    once: bool = True


Rule = Callable[[dt.datetime], Iterable[Draft]]

_kinds: dict[str, Kind] = {}
_rules: dict[str, Rule] = {}


def register_kind(kind: Kind) -> None:
    """Make ``kind`` known (its code stored on notifications and preferences). Raises ValueError on a code longer
    than 40 characters or of other than ``[a-z0-9_.]``."""
    if not kind.code or len(kind.code) > MAX_KIND_LENGTH or not set(kind.code) <= _CODE_CHARACTERS:
        raise ValueError(f"bad notification kind code: {kind.code!r}")
    if kind.default_channel not in Channel.values:
        raise ValueError(f"bad default channel for {kind.code}: {kind.default_channel!r}")
    _kinds[kind.code] = kind


def register_rule(name: str, rule: Rule) -> None:
    """Add ``rule`` under ``name`` (replacing any rule of that name); rules run in the order registered."""
    _rules[name] = rule


def kinds() -> list[Kind]:
    """Every registered kind, in the order registered."""
    return list(_kinds.values())


def get_kind(code: str) -> Kind | None:
    """The kind ``code``, or None when no app registered it."""
    return _kinds.get(code)


def rules() -> list[tuple[str, Rule]]:
    """Every registered rule as (name, rule), in the order registered."""
    return list(_rules.items())

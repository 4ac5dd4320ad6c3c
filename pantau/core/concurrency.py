"""Optimistic concurrency: every record people edit carries a ``version`` (DESIGN.md, "Concurrency: every edited
record carries a version; a stale save is refused, never silently applied").

The rule, used by every ``update_*`` write path:

- a form or an API client reads the record with its version (a hidden field; the ``ETag`` header);
- the write path calls ``claim_version(instance, expected_version)`` first, inside its transaction: ONE statement
  ``UPDATE ... SET version = version + 1 WHERE pk = ... AND version = <expected>``. The database applies it to at
  most one of two concurrent saves (the row lock of the UPDATE makes the second wait and then find the version
  changed), so exactly one wins; the loser gets ``StaleVersion`` and, the transaction rolling back, nothing of its
  save is applied;
- ``expected_version=None`` means the caller read no version (an importer, a command, an API client that sent no
  ``If-Match``): the version is still incremented, under the same row lock, but not compared.

``conflict_rows`` builds the "their change beside your input" table of the HTML conflict page (HTTP 409).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


class StaleVersion(ValidationError):
    """A save based on an outdated version: someone saved the record after the caller read it.

    ``current`` is the record as stored now (None when it was deleted), ``expected`` the version the caller read.
    A ValidationError keyed by ``version``, so code that handles validation errors refuses it like any other; the
    HTML views answer 409 with a conflict page and the API 412 (``core.api``).
    """

    def __init__(self, *, current: models.Model | None, expected: int) -> None:
        self.current = current
        self.expected = expected
        if current is None:
            message = _("This record was deleted after you opened it; your changes were not saved.")
        else:
            message = _(
                "Someone else saved this record after you opened it (you started from version %(expected)d, it is "
                "now at version %(current)d). Your changes were not saved: compare them with the stored values "
                "and save again."
            ) % {"expected": expected, "current": current.version}  # type: ignore[attr-defined]
        super().__init__({"version": [message]}, code="stale")


def claim_version(instance: models.Model, expected_version: int | None) -> int:
    """Increment the stored version of ``instance`` in one statement, only while it still equals
    ``expected_version`` (None: whatever it is); set ``instance.version`` to the new value and return it.

    Must run inside the write path's transaction, before it saves: the UPDATE locks the row until the transaction
    ends, so two concurrent saves of the same record are serialised and exactly one of two stale-checked saves wins.
    Raises StaleVersion (with the stored record) when the version moved on or the row is gone.
    """
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if expected_version is not None:
        if not rows.filter(version=expected_version).update(version=F("version") + 1):
            raise StaleVersion(current=rows.first(), expected=expected_version)
        new = expected_version + 1
    else:
        if not rows.update(version=F("version") + 1):
            raise StaleVersion(current=None, expected=getattr(instance, "version", 0))
        new = rows.values_list("version", flat=True).get()
    instance.version = new  # type: ignore[attr-defined]
    return new


def parse_version(value: Any) -> int | None:
    """A version sent by a client (a hidden field, the text of an ``If-Match`` tag): a non-negative integer, or
    None for anything else."""
    text = str(value if value is not None else "").strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def shown(value: Any) -> str:
    """A field value as a person reads it on the conflict page: related rows by name, lists joined, yes/no, "–"
    for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, models.QuerySet | list | tuple | set):
        items = [str(v) for v in value]
        return "; ".join(sorted(items)) if items else "–"
    return str(value)


def stored_values(instance: models.Model, names: Iterable[str]) -> dict[str, str]:
    """The values of ``instance`` for the field ``names`` as shown text (choices by label, relations by name)."""
    values: dict[str, str] = {}
    for name in names:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            values[name] = shown(list(getattr(instance, name).all()))
        elif getattr(field, "choices", None):
            values[name] = shown(getattr(instance, f"get_{name}_display")())
        else:
            values[name] = shown(getattr(instance, name))
    return values


@dataclass(frozen=True)
class ConflictRow:
    """One field of the conflict page: its label, the value stored now (the other person's change), the value the
    user sent, and whether they differ."""

    label: str
    stored: str
    yours: str
    differs: bool


def conflict_rows(form: forms.Form, stored: Mapping[str, str]) -> list[ConflictRow]:
    """The rows of the conflict table: every visible field of ``form`` (a validated form) that ``stored`` has,
    with the stored value beside the user's input; fields that differ first, in form order."""
    rows = []
    for name, field in form.fields.items():
        if name not in stored or isinstance(field.widget, forms.HiddenInput):
            continue
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices: Any = field.choices
            value = dict(choices).get(value, value)  # a choice by its label, as ``stored_values`` shows it
        yours = shown(value)
        rows.append(ConflictRow(str(field.label or name), stored[name], yours, stored[name] != yours))
    return sorted(rows, key=lambda row: not row.differs)


@dataclass(frozen=True)
class Conflict:
    """What the conflict page shows (template ``core/_conflict.html``): the refusal's message, the table of
    ``rows``, and the last recorded change (``entry``: an audit entry with ``actor_label`` and ``at``, shown in
    ``zone``) when known."""

    message: str
    rows: list[ConflictRow]
    entry: Any = None
    zone: str = ""


def conflict_for(
    exc: StaleVersion, form: forms.Form, stored: Mapping[str, str], *, entry: Any = None, zone: str = ""
) -> Conflict:
    """The conflict page's content for a refused stale save of ``form`` (see ``Conflict``)."""
    return Conflict(message=" ".join(exc.messages), rows=conflict_rows(form, stored), entry=entry, zone=zone)


def with_version(data: Any, version: int, field: str = "version") -> Any:
    """A mutable copy of the submitted ``data`` (a QueryDict) whose hidden ``field`` holds ``version``: the form
    shown again after a conflict keeps the user's input and now carries the stored version, so saving it again is
    a deliberate replacement of the other person's change."""
    copy = data.copy()
    copy[field] = str(version)
    return copy


def add_version(form: forms.Form, instance: Any) -> forms.Form:
    """Give an edit ``form`` the hidden ``version`` of ``instance`` it is read at (the write path checks it).
    Returns ``form``."""
    form.fields["version"] = version_field()
    form.initial.setdefault("version", instance.version)
    return form


def version_field() -> forms.IntegerField:
    """The hidden ``version`` field of an edit form. Required: an edit posted without the version it was read at
    (a hand-made post) would silently overwrite a newer save, so it is refused with a message instead (found by the
    adversarial trial)."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages={
        "required": _("This form does not say which version of the record it was read at: open the page again and "
                      "make your change there."),
    })


def form_version(form: forms.Form) -> int | None:
    """The version a validated edit form was read at (None when the hidden field was not sent)."""
    value: int | None = form.cleaned_data.get("version")
    return value


def conflict_page(
    request: Any, exc: StaleVersion, form: forms.Form, *, rebuild: Any, template: str, context: Mapping[str, Any],
    fields: Iterable[str], entry_for: Any = None, zone: str = "", stored_for: Any = None,
) -> Any:
    """The HTTP 409 conflict page of a stale edit: ``template`` rendered with ``context``, ``conflict`` (the stored
    values of ``fields`` beside the user's input in ``form``) and ``form``: the form again, built by
    ``rebuild(data, current)`` from the user's input with the stored version, so that saving again is a deliberate
    replacement. ``entry_for(current)`` gives the last recorded change (``audit.timeline.last_change``), shown in
    ``zone``. ``stored_for(current)`` replaces ``stored_values(current, fields)`` when the stored values live
    elsewhere (a service's current standard). A record deleted meanwhile is 404."""
    from django.http import Http404
    from django.shortcuts import render

    current = exc.current
    if current is None:
        raise Http404
    again = rebuild(with_version(request.POST, current.version), current)
    again.is_valid()
    entry = entry_for(current) if entry_for is not None else None
    stored = stored_for(current) if stored_for is not None else stored_values(current, fields)
    conflict = conflict_for(exc, form, stored, entry=entry, zone=zone)
    return render(request, template, {**context, "form": again, "conflict": conflict}, status=409)

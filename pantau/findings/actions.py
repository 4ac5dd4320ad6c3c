"""The write path of findings: recorded by the measuring apps, turned into actions, closed and credited.

The mechanism shared by standards, compliance assessments, satisfaction surveys and complaints (DESIGN.md, "The loop
the product closes"): modules that detect gaps call ``record_finding``; users turn findings into proposed actions
with ``propose_actions``; a later measurement calls ``close_findings`` with the new values, which closes the findings
whose gap is gone and credits the change to every action that answered them (``Credit``).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from pantau.audit.actions import record, snapshot
from pantau.audit.models import AuditAction
from pantau.findings.models import Credit, Finding
from pantau.workplans.actions import create_action
from pantau.workplans.models import Action

DEFAULT_LEAD_DAYS = 180
"""A proposed action is due this many days after it is proposed unless the user says otherwise (Pantau's
default: half a year, about the time between a self-assessment and the Ombudsman's next round)."""


def record_finding(
    *,
    actor: Any,
    source: str,
    source_key: str,
    unit: Any,
    title: str,
    detected_on: dt.date,
    detail: str = "",
    indicator_name: str = "",
    indicator_unit: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    is_sample: bool = False,
) -> Finding:
    """Create the finding, or return the one already recorded for (source, source_key, unit): an open one gets the
    new measured value; a closed one found again on or after its closing date opens again (a gap that came back
    is not lost). Audited. Callers check their own permission (the finding comes from their data)."""
    finding = Finding.objects.filter(source=source, source_key=source_key, unit=unit).first()
    if finding is not None:
        before = snapshot(finding)
        if finding.closed_on is not None and detected_on >= finding.closed_on:
            # the same gap found again after it was closed: the finding opens again with the new measure
            finding.closed_on = None
            finding.closing_value = None
            finding.detected_on = detected_on
            finding.baseline = baseline
            finding.save(update_fields=["closed_on", "closing_value", "detected_on", "baseline"])
            record(actor=actor, action=AuditAction.UPDATE, obj=finding, before=before, after=snapshot(finding),
                   note=_("opened again by a later measurement"))
        elif finding.closed_on is None and baseline is not None and finding.baseline != baseline:
            finding.baseline = baseline
            finding.save(update_fields=["baseline"])
            record(actor=actor, action=AuditAction.UPDATE, obj=finding, before=before, after=snapshot(finding))
        return finding
    finding = Finding.objects.create(
        source=source, source_key=source_key, unit=unit, title=title[:300], detail=detail, detected_on=detected_on,
        indicator_name=indicator_name[:300], indicator_unit=indicator_unit[:60], baseline=baseline, target=target,
        is_sample=is_sample,
    )
    record(actor=actor, action=AuditAction.CREATE, obj=finding, after=snapshot(finding))
    return finding


def free_code(code: str, taken: set[str]) -> str:
    """``code`` when it is not in ``taken``, else the first of ``code-2``, ``code-3``... that is free."""
    candidate, number = code, 1
    while candidate in taken:
        number += 1
        candidate = f"{code}-{number}"
    return candidate


@transaction.atomic
def propose_actions(
    *,
    actor: Any,
    work_plan: Any,
    findings: Iterable[Finding],
    due_date: dt.date | None = None,
    today: dt.date | None = None,
    weight: Decimal | None = None,
    now: dt.datetime | None = None,
) -> list[Action]:
    """Turn each finding into one proposed action in ``work_plan``, pre-filled, and link them; returns the actions.

    Pre-fill: responsible unit = the finding's unit; title and finding text from the finding; indicator, baseline and
    target from the finding (0 -> 1 "gap closed" when the finding has no measure); start ``today`` (default: today
    in the finding's unit's own time zone at ``now``); due ``due_date`` or start + DEFAULT_LEAD_DAYS; budget 0 with
    source "none" for the user to complete; ``weight`` (needed when the plan's top-level actions carry weights:
    sibling weights are set on all or none, docs/status.md); code ``F<finding id>``, or ``F<finding id>-2``,
    ``-3``... when that code is taken in the plan (``free_code``). If the code is taken anyway (a concurrent
    proposal), the ValidationError names the code and the finding.
    All or nothing: create_action's PermissionDenied or ValidationError on any finding rolls back every action.
    A finding that already has an action in this plan is skipped.
    """
    created = []
    taken = set(Action.objects.filter(work_plan=work_plan).values_list("code", flat=True))
    for finding in findings:
        if finding.actions.filter(work_plan=work_plan).exists():
            continue
        start = today or finding.unit.local_today(now)
        due = due_date or start + dt.timedelta(days=DEFAULT_LEAD_DAYS)
        code = free_code(f"F{finding.pk}", taken)
        taken.add(code)
        has_measure = finding.baseline is not None and finding.target is not None and finding.baseline != finding.target
        data: Mapping[str, Any] = {
            "code": code,
            "title": finding.title,
            "finding": finding.detail or finding.title,
            "start_date": start,
            "due_date": due,
            "responsible_unit": finding.unit,
            "pic_position": _("Head of %(unit)s") % {"unit": finding.unit.short_name or finding.unit.name},
            "budget_planned": 0,
            "budget_source": "none",
            "fiscal_year": due.year,
            "indicator_name": finding.indicator_name if has_measure else _("Gap closed"),
            "indicator_unit": finding.indicator_unit if has_measure else _("yes/no"),
            "baseline": finding.baseline if has_measure else Decimal(0),
            "target": finding.target if has_measure else Decimal(1),
            "is_sample": finding.is_sample,
            "weight": weight,
        }
        try:
            with transaction.atomic():
                action = create_action(actor=actor, work_plan=work_plan, data=data)
        except (ValidationError, IntegrityError) as exc:
            messages = getattr(exc, "message_dict", {}) if isinstance(exc, ValidationError) else {"code": []}
            if "code" not in messages:
                raise
            raise ValidationError({"code": [
                _("The code %(code)s generated for finding %(finding)s (#%(id)d) is already taken in this work plan; "
                  "nothing was proposed. Propose again: the next free code is chosen then.")
                % {"code": code, "finding": finding.title[:80], "id": finding.pk}
            ]}) from None
        before = sorted(finding.actions.values_list("pk", flat=True))
        action.findings.add(finding)
        record(actor=actor, action=AuditAction.UPDATE, obj=finding, before={"actions": before},
               after={"actions": sorted([*before, action.pk])},
               note=_("answered by action %(code)s") % {"code": action.code})
        created.append(action)
    return created


@dataclass
class Closing:
    """What ``close_findings`` did: the findings it closed and the credits it gave to the actions answering them."""

    closed: list[Finding] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)


def reached(finding: Finding, value: Decimal) -> bool:
    """True when ``value`` is at or past the finding's target in the direction from its baseline to its target;
    a finding without a measure (0 -> 1, "gap closed") is reached at 1 or more."""
    baseline = finding.baseline if finding.baseline is not None else Decimal(0)
    target = finding.target if finding.target is not None else Decimal(1)
    return value >= target if target >= baseline else value <= target


@transaction.atomic
def close_findings(
    *, actor: Any, measurements: Mapping[Finding, Decimal], on: dt.date, measurement: models.Model, label: str,
) -> Closing:
    """Record a later measurement for each open finding; close those whose value reached the target (``reached``)
    and credit the change to every action answering them that is not cancelled.

    ``measurement`` is what measured (an assessment round, an IKM result, a service-standard version...) and
    ``label`` says it in words ("Self-assessment 2024", "SKM 2024 semester 1"). A credit's ``value_before`` is the
    finding's last measured value while open (its baseline; 0 when it had none) and ``value_after`` the new value.
    Findings already closed are skipped. Audited (the closing and each credit).
    Raises ValidationError for a measurement dated before a finding was detected; nothing is saved then.
    """
    outcome = Closing()
    kind = ContentType.objects.get_for_model(type(measurement))
    for finding, value in measurements.items():
        if finding.closed_on is not None:
            continue
        if on < finding.detected_on:
            raise ValidationError({"closed_on": [_("A finding cannot close before it was detected.")]})
        if not reached(finding, value):
            continue
        before = snapshot(finding)
        value_before = finding.baseline if finding.baseline is not None else Decimal(0)
        finding.closed_on = on
        finding.closing_value = value
        finding.save(update_fields=["closed_on", "closing_value"])
        record(actor=actor, action=AuditAction.UPDATE, obj=finding, before=before, after=snapshot(finding),
               note=_("closed by a later measurement"))
        outcome.closed.append(finding)
        for action in finding.actions.filter(cancelled_on__isnull=True).order_by("id"):
            credit = Credit.objects.create(
                finding=finding, action=action, measured_on=on, value_before=value_before, value_after=value,
                measurement_type=kind, measurement_id=measurement.pk, measurement_label=label[:300],
            )
            record(actor=actor, action=AuditAction.CREATE, obj=credit, after=snapshot(credit),
                   note=_("credited by a later measurement"))
            outcome.credits.append(credit)
    return outcome

"""``pantau recompute_scores [--surveys] [--compliance] [--province PP] [--weight exact|0.11] [--dry-run]
[--format text|json] --user USERNAME``: the scheduled score recomputation (DESIGN.md, "Scheduled work").

Two parts; with neither ``--surveys`` nor ``--compliance`` both run:

- ``--surveys``: the IKM (25-100, 2 decimals, grades A-D) of every SKM period, on the bulk path
  (``surveys.services.recompute_results``: one GROUP BY, ``ikm.compute_many``, exact half-up rounding; PermenPANRB
  14/2017, rules.md section 3 and table A). New or changed results are appended in bulk with the weight variant
  (``--weight``, default exact 1/9) and the rounding rule; periods without responses are skipped and counted.
  Findings from elements graded C or D are refreshed only by ``surveys.services.compute_result`` (reasons in
  ``recompute_results``); the report counts the new/changed periods that have such elements.
- ``--compliance``: stored Ombudsman compliance results (0-100, 2 decimals) re-banded with the current bands of
  their edition, refreshing the computed band, zone and bounds snapshot (``assessments.results.reband_results``;
  rules.md section 2 and tables B-D). Every result whose band changes is listed: entity, year, score, old, new.

``--province PP`` (two digits, a loaded province) limits both parts to that province's periods and results.
Permission: ``--user`` must be an active superuser (all provinces), or hold the Ombudsman admin role on the Ombudsman
office of ``--province`` (that province only; a national run needs a superuser). Everything is written in one
transaction, with one audit entry summarising the run (action ``update``, no object, counts in ``after`` and
``note``) under a new request id. ``--dry-run`` writes
nothing (no results, no audit entry) and reports what would change. Bad arguments, an unknown user or a refused
permission exit non-zero (CommandError) with nothing written.

JSON output (``--format json``)::

    {"dry_run": bool, "user": str, "province": "15" | null, "request_id": str,
     "surveys": null | {"weight": "exact" | "0.11", "periods": int, "skipped_no_responses": int, "unchanged": int,
                        "created": int, "changed": int, "stored": int, "low_element_periods": int,
                        "changes": [{"period": int, "label": str, "old": null | {"ikm": "85.00", "grade": "B"},
                                     "new": {"ikm": "86.36", "grade": "B"}, "low_elements": bool}]},
     "compliance": null | {"examined": int, "updated": int, "written": int, "band_changed": int,
                           "changes": [{"id": int, "entity": str, "entity_code": str, "year": int, "edition": str,
                                        "score": "87.50", "old": {"band": "B", "zone": "hijau"},
                                        "new": {"band": "A", "zone": "hijau"}}]}}
"""

import json
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import acts_for_provinces
from pantau.assessments.models import ComplianceResult
from pantau.assessments.results import RebandReport, reband_results
from pantau.assessments.scoring import ScoringError
from pantau.audit.middleware import new_request_id
from pantau.audit.models import AuditAction
from pantau.audit.services import record
from pantau.regions.models import Region
from pantau.surveys import ikm
from pantau.surveys.models import SurveyPeriod
from pantau.surveys.services import RecomputeIkmReport, recompute_results

PROVINCE_CODE = re.compile(r"^\d{2}$")
TEXT_LIST_LIMIT = 50
"""Survey changes listed one by one in text output (all are in the JSON output and the counts)."""


def may_recompute(user: Any, province: str | None) -> bool:
    """True when ``user`` may recompute scores: an active superuser for all of Indonesia (``province`` None), or an
    active holder of the Ombudsman admin role on the Ombudsman office of ``province`` for that province only (an
    office's scope is its province, accounts.scoping)."""
    if not getattr(user, "is_active", False):
        return False
    if province is None:
        return bool(user.is_superuser)
    return acts_for_provinces(user, Permission.IMPORT_RESULTS, {province})


def surveys_json(report: RecomputeIkmReport) -> dict[str, Any]:
    """The ``surveys`` part of the JSON output (shape in the module docstring)."""
    return {
        "weight": report.weight, "periods": report.periods, "skipped_no_responses": report.skipped,
        "unchanged": report.unchanged, "created": report.created, "changed": report.changed, "stored": report.stored,
        "low_element_periods": report.low_element_periods,
        "changes": [
            {"period": c.period_id, "label": c.period,
             "old": None if c.old_ikm is None else {"ikm": str(c.old_ikm), "grade": c.old_grade},
             "new": {"ikm": str(c.new_ikm), "grade": c.new_grade}, "low_elements": c.has_low_elements}
            for c in report.changes
        ],
    }


def compliance_json(report: RebandReport) -> dict[str, Any]:
    """The ``compliance`` part of the JSON output (shape in the module docstring)."""
    return {
        "examined": report.examined, "updated": report.updated, "written": report.written,
        "band_changed": len(report.changes), "changes": [change.as_json() for change in report.changes],
    }


def surveys_text(report: RecomputeIkmReport, dry_run: bool) -> list[str]:
    """Human-readable lines of the survey part."""
    lines = [
        _("SKM periods: %(periods)s examined, %(skipped)s skipped without responses, %(unchanged)s unchanged, "
          "%(created)s new and %(changed)s changed results (weight %(weight)s).")
        % {"periods": report.periods, "skipped": report.skipped, "unchanged": report.unchanged,
           "created": report.created, "changed": report.changed, "weight": report.weight},
        (_("Dry run: %(count)s results would be stored.") if dry_run else _("%(count)s results stored."))
        % {"count": len(report.changes) if dry_run else report.stored},
    ]
    if report.low_element_periods:
        lines.append(
            _("%(count)s new or changed periods have an element graded C or D; their findings are refreshed by "
              "computing the period's result on its page (compute_result).") % {"count": report.low_element_periods}
        )
    for change in report.changes[:TEXT_LIST_LIMIT]:
        old = "-" if change.old_ikm is None else f"{change.old_ikm} {change.old_grade}"
        lines.append(_("  period %(id)s %(label)s: %(old)s -> %(new)s")
                     % {"id": change.period_id, "label": change.period, "old": old,
                        "new": f"{change.new_ikm} {change.new_grade}"})
    if len(report.changes) > TEXT_LIST_LIMIT:
        lines.append(_("  ... and %(count)s more (use --format json for all)")
                     % {"count": len(report.changes) - TEXT_LIST_LIMIT})
    return lines


def compliance_text(report: RebandReport, dry_run: bool) -> list[str]:
    """Human-readable lines of the compliance part."""
    lines = [
        _("Compliance results: %(examined)s banded results examined, %(updated)s with a new band or bounds snapshot, "
          "%(changed)s change band.")
        % {"examined": report.examined, "updated": report.updated, "changed": len(report.changes)},
        (_("Dry run: %(count)s results would be updated.") if dry_run else _("%(count)s results updated."))
        % {"count": report.updated if dry_run else report.written},
    ]
    for change in report.changes:
        lines.append(_("  %(entity)s (%(code)s) %(year)s: score %(score)s, %(old)s -> %(new)s")
                     % {"entity": change.entity, "code": change.entity_code or "-", "year": change.year,
                        "score": change.score, "old": f"{change.old_band or '-'}/{change.old_zone or '-'}",
                        "new": f"{change.new_band}/{change.new_zone}"})
    return lines


class Command(BaseCommand):
    """Recompute stored scores: SKM IKM results and compliance bands (see the module docstring)."""

    help = ("Recompute the IKM of every SKM period (bulk) and re-band stored compliance results with the current "
            "bands of their edition; one audit entry per run.")

    def add_arguments(self, parser: CommandParser) -> None:
        """--surveys, --compliance, --province, --weight, --dry-run, --format, --user."""
        parser.add_argument("--surveys", action="store_true", help="recompute SKM IKM results")
        parser.add_argument("--compliance", action="store_true", help="re-band stored compliance results")
        parser.add_argument("--province", help="only this province (two-digit Kemendagri code, e.g. 15)")
        parser.add_argument("--weight", choices=[w.value for w in ikm.Weight], default=ikm.Weight.EXACT.value,
                            help="IKM element weight: exact 1/9 (default) or the printed 0.11")
        parser.add_argument("--dry-run", action="store_true", help="write nothing; report what would change")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
        parser.add_argument("--user", required=True, help="username to act as (superuser or Ombudsman admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Check the arguments and the user, recompute, write in one transaction with one audit entry, print."""
        request_id = new_request_id()
        province = options["province"]
        if province is not None:
            province = province.strip()
            if not PROVINCE_CODE.match(province):
                raise CommandError(_("--province takes a two-digit province code such as 15, not %(value)r.")
                                   % {"value": options["province"]})
            if not Region.objects.filter(code=province, level=1).exists():
                raise CommandError(_("Province %(code)s is not loaded (run import_regions).") % {"code": province})
        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(_("No active user named %(name)r.") % {"name": options["user"]})
        if not may_recompute(actor, province):
            if province:
                raise CommandError(_("Only a superuser or an Ombudsman admin of province %(code)s may recompute its "
                                     "scores.") % {"code": province})
            raise CommandError(_("Only a superuser may recompute the scores of all provinces; an Ombudsman admin "
                                 "gives --province."))
        do_surveys = options["surveys"] or not options["compliance"]
        do_compliance = options["compliance"] or not options["surveys"]
        dry_run = options["dry_run"]
        periods = SurveyPeriod.objects.all()
        results = ComplianceResult.objects.all()
        if province:
            periods = periods.filter(province_code=province)
            results = results.filter(province_code=province)

        surveys: RecomputeIkmReport | None = None
        compliance: RebandReport | None = None
        try:
            with transaction.atomic():
                if do_surveys:
                    surveys = recompute_results(actor=actor, periods=periods, weight=options["weight"],
                                                dry_run=dry_run)
                if do_compliance:
                    compliance = reband_results(results=results, dry_run=dry_run)
                if not dry_run:
                    record(actor=actor, action=AuditAction.UPDATE, obj=None,
                           after=_audit_counts(surveys, compliance, province),
                           note=_audit_note(surveys, compliance, province))
        except (ScoringError, ValueError) as exc:
            raise CommandError(_("Nothing recomputed: %(error)s") % {"error": exc}) from None

        if options["output_format"] == "json":
            data = {
                "dry_run": dry_run, "user": actor.get_username(), "province": province, "request_id": str(request_id),
                "surveys": None if surveys is None else surveys_json(surveys),
                "compliance": None if compliance is None else compliance_json(compliance),
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        lines = [_("Dry run: nothing was written.")] if dry_run else []
        if surveys is not None:
            lines += surveys_text(surveys, dry_run)
        if compliance is not None:
            lines += compliance_text(compliance, dry_run)
        self.stdout.write("\n".join(lines))


def _audit_counts(surveys: RecomputeIkmReport | None, compliance: RebandReport | None,
                  province: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"command": "recompute_scores", "province": province}
    if surveys is not None:
        data["surveys"] = {"weight": surveys.weight, "periods": surveys.periods, "skipped": surveys.skipped,
                           "unchanged": surveys.unchanged, "created": surveys.created, "changed": surveys.changed,
                           "stored": surveys.stored}
    if compliance is not None:
        data["compliance"] = {"examined": compliance.examined, "updated": compliance.written,
                              "band_changed": len(compliance.changes),
                              "changes": [change.as_json() for change in compliance.changes[:100]]}
    return data


def _audit_note(surveys: RecomputeIkmReport | None, compliance: RebandReport | None, province: str | None) -> str:
    parts = [_("recompute_scores (province %(code)s)") % {"code": province} if province
             else _("recompute_scores (all provinces)")]
    if surveys is not None:
        parts.append(_("IKM: %(periods)s periods, %(skipped)s without responses, %(stored)s results stored")
                     % {"periods": surveys.periods, "skipped": surveys.skipped, "stored": surveys.stored})
    if compliance is not None:
        parts.append(_("compliance: %(examined)s results, %(updated)s updated, %(changed)s changed band")
                     % {"examined": compliance.examined, "updated": compliance.written,
                        "changed": len(compliance.changes)})
    return "; ".join(parts)

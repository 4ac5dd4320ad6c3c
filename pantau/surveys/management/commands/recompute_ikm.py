"""``pantau recompute_ikm [--province PP] [--weight exact|0.11] [--dry-run] [--format text|json] --user USERNAME``:
the scheduled IKM recomputation of every SKM period (DESIGN.md, "Scheduled work").

The IKM (25-100, 2 decimals, grades A-D) of every period with responses, on the bulk path
(``surveys.actions.recompute_results``: one GROUP BY, ``ikm.compute_many``, exact half-up rounding; PermenPANRB
14/2017, rules.md section 3 and table A). New or changed results are appended in bulk with the weight variant
(``--weight``, default exact 1/9) and the rounding rule; periods without responses are skipped and counted.
Findings from elements graded C or D are refreshed only by ``surveys.actions.compute_result`` (reasons in
``recompute_results``); the report counts the new/changed periods that have such elements. ``--province`` limits
the run to that province's periods. Periods are processed 10,000 at a time in primary-key order, each chunk committed
with a checkpoint; ``--resume`` continues after the checkpoint of a run that stopped, ``--progress`` prints
periods done/total. Permission, dry run, audit and output: ``accounts.commands.RecomputeCommand``.

JSON output (``--format json``)::

    {"dry_run": bool, "user": str, "province": "15" | null, "request_id": str,
     "surveys": {"weight": "exact" | "0.11", "periods": int, "skipped_no_responses": int, "unchanged": int,
                 "created": int, "changed": int, "stored": int, "low_element_periods": int,
                 "changes": [{"period": int, "label": str, "old": null | {"ikm": "85.00", "grade": "B"},
                              "new": {"ikm": "86.36", "grade": "B"}, "low_elements": bool}]}}
"""

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from pantau.accounts.commands import RecomputeCommand, RunReport
from pantau.surveys import ikm
from pantau.surveys.actions import RecomputeIkmReport, recompute_checkpoint_name, recompute_results
from pantau.surveys.models import SurveyPeriod
from pantau.tasks.actions import Progress

TEXT_LIST_LIMIT = 50
"""Survey changes listed one by one in text output (all are in the JSON output and the counts)."""


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


def surveys_text(report: RecomputeIkmReport, dry_run: bool) -> list[str]:
    """Human-readable lines of the survey part."""
    lines = [
        _("SKM periods: %(periods)s examined, %(skipped)s skipped without responses, %(unchanged)s unchanged, "
          "%(created)s new and %(changed)s changed results (weight %(weight)s).")
        % {"periods": report.periods, "skipped": report.skipped, "unchanged": report.unchanged,
           "created": report.created, "changed": report.changed, "weight": report.weight},
        (_("Dry run: %(count)s results would be stored.") if dry_run else _("%(count)s results stored."))
        % {"count": report.created + report.changed if dry_run else report.stored},
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
    listed = min(len(report.changes), TEXT_LIST_LIMIT)
    if report.created + report.changed > listed:
        lines.append(_("  ... and %(count)s more (use --format json for all)")
                     % {"count": report.created + report.changed - listed})
    return lines


class Command(RecomputeCommand):
    """Recompute the IKM of every SKM period on the bulk path (see the module docstring)."""

    help = "Recompute the IKM of every SKM period (bulk); one audit entry per run."
    name = "recompute_ikm"
    json_key = "surveys"
    chunked = True

    def add_arguments(self, parser: CommandParser) -> None:
        """The common arguments and --weight."""
        super().add_arguments(parser)
        parser.add_argument("--weight", choices=[w.value for w in ikm.Weight], default=ikm.Weight.EXACT.value,
                            help="IKM element weight: exact 1/9 (default) or the printed 0.11")

    def recompute(self, *, actor: Any, province: str | None, dry_run: bool, options: dict[str, Any]) -> RunReport:
        """Recompute the periods of ``province`` (all when None)."""
        periods = SurveyPeriod.objects.all()
        if province:
            periods = periods.filter(province_code=province)
        progress = Progress(options.get("run_id"), echo=self.echo_progress(options))
        report = recompute_results(
            actor=actor, periods=periods, weight=options["weight"], dry_run=dry_run, progress=progress,
            checkpoint=recompute_checkpoint_name(province, options["weight"]), resume=options.get("resume", False),
            keep_changes=None if options["output_format"] == "json" else TEXT_LIST_LIMIT,
        )
        return RunReport(
            json=surveys_json(report), lines=surveys_text(report, dry_run),
            counts={"weight": report.weight, "periods": report.periods, "skipped": report.skipped,
                    "unchanged": report.unchanged, "created": report.created, "changed": report.changed,
                    "stored": report.stored},
            note=_("IKM: %(periods)s periods, %(skipped)s without responses, %(stored)s results stored")
            % {"periods": report.periods, "skipped": report.skipped, "stored": report.stored},
        )

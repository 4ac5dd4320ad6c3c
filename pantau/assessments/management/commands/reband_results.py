"""``pantau reband_results [--province PP] [--dry-run] [--format text|json] --user USERNAME``: re-band stored
Ombudsman compliance results with the current bands of their edition.

The deliberate step after an Ombudsman admin corrects a provisional threshold: stored results (0-100, 2 decimals)
are re-banded, refreshing the computed band, zone and bounds snapshot (``assessments.actions.reband_results``;
rules.md section 2 and tables B-D). Every result whose band changes is listed: entity, year, score, old, new.
``--province`` limits the run to that province's results. Results are read 10,000 at a time and only changed rows
are written, each chunk committed with a checkpoint: ``--resume`` continues a run that stopped, ``--progress``
prints results done/total. Permission, dry run, audit and output:
``accounts.commands.RecomputeCommand``.

JSON output (``--format json``)::

    {"dry_run": bool, "user": str, "province": "15" | null, "request_id": str,
     "compliance": {"examined": int, "updated": int, "written": int, "band_changed": int,
                    "changes": [{"id": int, "entity": str, "entity_code": str, "year": int, "edition": str,
                                 "score": "87.50", "old": {"band": "B", "zone": "hijau"},
                                 "new": {"band": "A", "zone": "hijau"}}]}}
"""

from typing import Any

from django.utils.translation import gettext as _

from pantau.accounts.commands import RecomputeCommand, RunReport
from pantau.assessments.actions import reband_results
from pantau.assessments.models import ComplianceResult
from pantau.assessments.results import RebandReport
from pantau.tasks.actions import Progress


def compliance_json(report: RebandReport) -> dict[str, Any]:
    """The ``compliance`` part of the JSON output (shape in the module docstring)."""
    return {
        "examined": report.examined, "updated": report.updated, "written": report.written,
        "band_changed": len(report.changes), "changes": [change.as_json() for change in report.changes],
    }


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


class Command(RecomputeCommand):
    """Re-band stored compliance results with the current bands (see the module docstring)."""

    help = "Re-band stored compliance results with the current bands of their edition; one audit entry per run."
    name = "reband_results"
    json_key = "compliance"
    chunked = True

    def recompute(self, *, actor: Any, province: str | None, dry_run: bool, options: dict[str, Any]) -> RunReport:
        """Re-band the results of ``province`` (all when None)."""
        results = ComplianceResult.objects.all()
        if province:
            results = results.filter(province_code=province)
        report = reband_results(results=results, dry_run=dry_run, checkpoint=f"reband_results:{province or 'all'}",
                                resume=options.get("resume", False),
                                progress=Progress(None, echo=self.echo_progress(options)))
        return RunReport(
            json=compliance_json(report), lines=compliance_text(report, dry_run),
            counts={"examined": report.examined, "updated": report.written, "band_changed": len(report.changes),
                    "changes": [change.as_json() for change in report.changes[:100]]},
            note=_("compliance: %(examined)s results, %(updated)s updated, %(changed)s changed band")
            % {"examined": report.examined, "updated": report.written, "changed": len(report.changes)},
        )

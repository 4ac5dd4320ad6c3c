"""Open data behind the public transparency pages (``reports.public``): what the public may see, as rows of plain
values, and the same rows as CSV and JSON files, described column by column by a data dictionary, under a licence.

What is public (issue 14 item 4; DESIGN.md "Figures are drafts until published"; GLOSSARY "Keterbukaan informasi,
data terbuka", UU 14/2008 on public information):

- Work plans that are SIGNED (an unsigned agreement is a draft and never appears) with their MoU, parties, signing
  date and place, period, status and signatories BY POSITION; no person is named anywhere.
- Each action's public fields: what (title), start and due date, responsible unit, budget source and fiscal year,
  budget planned and realised (whole rupiah; realised is the money of ACCEPTED reports only), the indicator with
  its unit, baseline and target, and VERIFIED progress only: ``actual_verified`` (the value of the latest report an
  Ombudsman assistant accepted) and ``verified_progress`` (the verified roll-up, ``Action.verified_progress``).
- Compliance history: the Ombudsman's published results (``ComplianceResult``, published public data) and the
  PUBLISHED assessment rounds (``published_at`` set); published IKM results (the latest published result of each
  survey period; a later draft recomputation does not replace it until it is published).

Never public: drafts (unsigned agreements, unpublished rounds and IKM results); reported-but-unverified figures
(``actual_reported``, the reported progress, whether a report is waiting, and the derived statuses that read the
reported progress); free text that may hold a person's name (an action's description, finding, person in charge,
cancel reason; progress narratives and review notes; agreement summaries; result and round notes); users,
complainants, survey respondents, evidence files, meetings and the audit log.

The rule on unverified progress: it is LEFT OUT, not shown as a claim. The public status of an action
(``PublicStatus``) reads only the dates and the verified progress, on the responsible unit's own local date
(WIB, WITA, WIT; domain/rules.md section 10): cancelled; complete (verified by the Ombudsman) when the verified
progress reached 100 %; past due when the due date has passed without that; not started before the start date;
else in progress.

Sample data (``is_sample``: the demo's illustrative actions, rounds and survey periods): shown, with an
``is_sample`` column in every file and a "contoh / sample" label on every row of a page, because the demo's work
plan holds only sample actions and a public page without them would show nothing of the product. A real
installation does not load the demo, so it has no sample rows.

Rows are dicts keyed by column name holding Python values (int for IDR and counts, Decimal, date, datetime, bool,
str, list); pages render them and ``csv_file``/``json_file`` serialise them, so a page and its files never disagree.
Column names are the REST API's field names wherever the API has the field, and ``api_path`` names each row's API
resource, so every figure can be checked against ``/api/v1/...`` as a logged-in user who may see it.
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, TextChoices
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pantau.agreements.models import Agreement, AgreementKind, Signatory
from pantau.assessments.models import AssessmentRound, ComplianceResult
from pantau.core.natural import natural_key
from pantau.core.spreadsheets import csv_bytes
from pantau.organizations.models import Unit, UnitKind
from pantau.regions.models import Region
from pantau.surveys.models import IkmResult
from pantau.workplans import summary
from pantau.workplans.models import Action

LICENCE = {
    "spdx": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
"""The licence of every public page and file: anyone may copy, share and adapt the data, also commercially, when
they credit the source (``ATTRIBUTION``)."""

ATTRIBUTION = "Pantau, Ombudsman Republik Indonesia"
"""How users of the data credit it (CC BY 4.0 asks for attribution)."""


class PublicStatus(TextChoices):
    """An action's status as the public sees it, read from dates and VERIFIED progress only (module docstring)."""

    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("public status of an action", "in progress")
    PAST_DUE = "past_due", _("past due, not verified as complete")
    VERIFIED = "verified", _("complete, verified by the Ombudsman")
    CANCELLED = "cancelled", _("cancelled")


def public_status(action: Action, today: dt.date) -> str:
    """The ``PublicStatus`` of ``action`` on ``today`` (the responsible unit's local date): cancelled; verified when
    the verified progress (roll-up for a parent) reached 100 %; past due after the due date; not started before the
    start date; else in progress. Reported-but-unverified progress is never read."""
    if action.cancelled_on is not None:
        return PublicStatus.CANCELLED.value
    if action.verified_progress >= Decimal(100):
        return PublicStatus.VERIFIED.value
    if today > action.due_date:
        return PublicStatus.PAST_DUE.value
    if today < action.start_date:
        return PublicStatus.NOT_STARTED.value
    return PublicStatus.IN_PROGRESS.value


class Record(TextChoices):
    """What a row of the compliance dataset is."""

    RESULT = "ombudsman_result", _("published result of the Ombudsman")
    ROUND = "assessment_round", _("published assessment round")


# The data dictionary ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its ``name`` (the API's field name where the API has one), what it means, its unit
    (IDR, percent, date, ...) and its source (the API resource and field it reproduces, or how it is derived)."""

    name: str
    meaning: Any
    unit: Any
    source: Any


@dataclass(frozen=True)
class Dataset:
    """A downloadable dataset: ``slug`` (the file name: ``aksi.csv``), title, description and columns in order."""

    slug: str
    title: Any
    description: Any
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        """The column names in order (the CSV header, the JSON keys)."""
        return [c.name for c in self.columns]


TEXT = _("text")
IDENTIFIER = _("identifier (whole number)")
CODE = _("code (see the codes below)")
IDR = _("IDR, whole rupiah")
PERCENT = _("percent, 0-100, two decimals")
INDICATOR = _("the indicator's own unit (indicator_unit), two decimals")
DATE = _("date, YYYY-MM-DD")
LOCAL_DATE = _("date, YYYY-MM-DD, in the responsible unit's own time zone")
DATETIME = _("date and time, ISO 8601 with the UTC offset")
BOOLEAN = _("true or false")
YEAR = _("year")
COUNT = _("count")
SCORE = _("score, 0-100, two decimals")
IKM_SCORE = _("index, 25-100, two decimals")
ADDRESS = _("address on this site")
SIGNATORY_LIST = _("list of {position, unit_name, capacity} (JSON); “position, unit (capacity)” separated by "
                   "semicolons (CSV)")

REGION_CODE = Column(
    "region_code", _("Kemendagri code of the regency, city or province whose government the row belongs to "
                     "(Kepmendagri 300.2.2-2138/2025)"), TEXT, "GET /api/v1/regions/<code>/ · code")
REGION_NAME = Column("region_name", _("Name of that region"), TEXT, "GET /api/v1/regions/<code>/ · name")
CONVERTED = _("Converted score of the survey element named in the column (U1-U9, PermenPANRB 14/2017)")
IS_SAMPLE = Column("is_sample", _("Sample data: illustrative, not a real commitment or measurement"), BOOLEAN,
                   "is_sample")

WORK_PLANS = Dataset(
    "rencana-kerja", _("Work plans"),
    _("Signed public-service work plans (Rencana Kerja) between an Ombudsman regional office and a regional "
      "government, with their MoU, signatories by position and the verified progress of their actions."),
    (
        REGION_CODE, REGION_NAME,
        Column("id", _("Identifier of the work plan"), IDENTIFIER, "GET /api/v1/work-plans/<id>/ · id"),
        Column("title", _("Title of the work plan"), TEXT, "GET /api/v1/work-plans/<id>/ · title"),
        Column("number", _("Document number"), TEXT, "GET /api/v1/work-plans/<id>/ · number"),
        Column("mou", _("Identifier of the MoU (Nota Kesepakatan) the plan follows"), IDENTIFIER,
               "GET /api/v1/work-plans/<id>/ · parent"),
        Column("mou_title", _("Title of that MoU"), TEXT, "GET /api/v1/agreements/<mou>/ · title"),
        Column("mou_signed_on", _("Signing date of the MoU (empty when the source does not give it)"), DATE,
               "GET /api/v1/agreements/<mou>/ · signed_on"),
        Column("signed_on", _("Signing date of the work plan"), DATE, "GET /api/v1/work-plans/<id>/ · signed_on"),
        Column("signed_place", _("Signing place"), TEXT, "GET /api/v1/work-plans/<id>/ · signed_place"),
        Column("period_start", _("Start of the period"), DATE, "GET /api/v1/work-plans/<id>/ · period_start"),
        Column("period_end", _("End of the period"), DATE, "GET /api/v1/work-plans/<id>/ · period_end"),
        Column("status", _("Status of the agreement today (signed, active, extended, expired, terminated)"), CODE,
               "GET /api/v1/work-plans/<id>/ · status"),
        Column("government_name", _("The regional government party"), TEXT,
               "GET /api/v1/work-plans/<id>/ · government.name"),
        Column("ombudsman_office_name", _("The Ombudsman party"), TEXT,
               "GET /api/v1/work-plans/<id>/ · ombudsman_office.name"),
        Column("signatories", _("Who signed or witnessed, by position (never by name)"), SIGNATORY_LIST,
               "GET /api/v1/work-plans/<id>/ · signatories"),
        Column("actions", _("Number of actions, cancelled ones included"), COUNT,
               "GET /api/v1/work-plans/<id>/ · progress_summary.actions"),
        Column("top_level", _("Number of top-level actions the progress weighs (cancelled ones left out)"), COUNT,
               "GET /api/v1/work-plans/<id>/ · progress_summary.top_level"),
        Column("verified_progress", _("Progress verified by the Ombudsman: weighted roll-up of the top-level "
                                      "actions (an action without a verified report counts as 0 %)"), PERCENT,
               "GET /api/v1/work-plans/<id>/ · progress_summary.verified_progress"),
        Column("budget_planned", _("Planned budget of the actions that are not cancelled"), IDR,
               _("sum of budget_planned over GET /api/v1/actions/?work_plan=<id> (not cancelled)")),
        Column("budget_realized", _("Realised budget: money in reports accepted by the Ombudsman"), IDR,
               _("sum of budget_realized over GET /api/v1/actions/?work_plan=<id>")),
        Column("sample_actions", _("Number of actions that are sample data"), COUNT,
               "GET /api/v1/work-plans/<id>/ · progress_summary.sample_actions"),
        Column("source_url", _("Published source of the agreement"), ADDRESS,
               "GET /api/v1/work-plans/<id>/ · source_url"),
        Column("api_path", _("The API resource of this row (login required)"), ADDRESS, "/api/v1/work-plans/<id>/"),
    ),
)

ACTIONS = Dataset(
    "aksi", _("Actions"),
    _("Every improvement action of the signed work plans: what, by when, who (the responsible unit), budget "
      "planned and realised, the indicator with baseline and target, and the progress verified by the Ombudsman. "
      "Progress reported but not yet verified is not published."),
    (
        REGION_CODE, REGION_NAME,
        Column("work_plan", _("Identifier of the work plan"), IDENTIFIER, "GET /api/v1/actions/<id>/ · work_plan"),
        Column("work_plan_title", _("Title of the work plan"), TEXT, "GET /api/v1/work-plans/<work_plan>/ · title"),
        Column("id", _("Identifier of the action"), IDENTIFIER, "GET /api/v1/actions/<id>/ · id"),
        Column("code", _("Number of the action in the plan (1, 1.1, ...)"), TEXT, "GET /api/v1/actions/<id>/ · code"),
        Column("parent", _("Identifier of the action this one is part of (empty for a top-level action)"),
               IDENTIFIER, "GET /api/v1/actions/<id>/ · parent"),
        Column("title", _("What changes"), TEXT, "GET /api/v1/actions/<id>/ · title"),
        Column("start_date", _("Start"), LOCAL_DATE, "GET /api/v1/actions/<id>/ · start_date"),
        Column("due_date", _("Due date"), LOCAL_DATE, "GET /api/v1/actions/<id>/ · due_date"),
        Column("time_zone", _("Time zone of the responsible unit (WIB, WITA, WIT)"), TEXT,
               "GET /api/v1/actions/<id>/ · time_zone"),
        Column("responsible_unit", _("Identifier of the responsible unit"), IDENTIFIER,
               "GET /api/v1/actions/<id>/ · responsible_unit"),
        Column("responsible_unit_name", _("Responsible unit"), TEXT,
               "GET /api/v1/actions/<id>/ · responsible_unit_name"),
        Column("budget_source", _("Budget source (APBD, APBDes, other, none)"), CODE,
               "GET /api/v1/actions/<id>/ · budget_source"),
        Column("fiscal_year", _("Fiscal year of the budget"), YEAR, "GET /api/v1/actions/<id>/ · fiscal_year"),
        Column("budget_planned", _("Planned budget"), IDR, "GET /api/v1/actions/<id>/ · budget_planned"),
        Column("budget_realized", _("Realised budget: money in reports accepted by the Ombudsman"), IDR,
               "GET /api/v1/actions/<id>/ · budget_realized"),
        Column("indicator_name", _("Indicator"), TEXT, "GET /api/v1/actions/<id>/ · indicator_name"),
        Column("indicator_unit", _("Unit of the indicator"), TEXT, "GET /api/v1/actions/<id>/ · indicator_unit"),
        Column("baseline", _("Baseline value of the indicator"), INDICATOR, "GET /api/v1/actions/<id>/ · baseline"),
        Column("target", _("Target value of the indicator"), INDICATOR, "GET /api/v1/actions/<id>/ · target"),
        Column("actual_verified", _("Actual value verified by the Ombudsman (latest accepted report; empty when "
                                    "none was accepted or the action has sub-actions)"), INDICATOR,
               "GET /api/v1/actions/<id>/ · actual_verified"),
        Column("verified_progress", _("Progress verified by the Ombudsman: (actual - baseline) / (target - "
                                      "baseline), clipped to 0-100; for an action with sub-actions their weighted "
                                      "roll-up"), PERCENT, "GET /api/v1/actions/<id>/ · verified_progress"),
        Column("public_status", _("Status from the dates and the verified progress only (see the codes)"), CODE,
               _("derived from start_date, due_date, cancelled_on and verified_progress on the responsible unit's "
                 "local date")),
        Column("cancelled_on", _("Date the action was cancelled"), LOCAL_DATE,
               "GET /api/v1/actions/<id>/ · cancelled_on"),
        IS_SAMPLE,
        Column("api_path", _("The API resource of this row (login required)"), ADDRESS, "/api/v1/actions/<id>/"),
    ),
)

COMPLIANCE = Dataset(
    "kepatuhan", _("Compliance history"),
    _("The Ombudsman's published compliance results of the regional governments and their units, and the "
      "published assessment rounds (official, pre-evaluation, self-assessment). Drafts are not published."),
    (
        REGION_CODE, REGION_NAME,
        Column("record", _("What the row is (see the codes)"), CODE, _("compliance-results or assessment-rounds")),
        Column("id", _("Identifier in its API resource"), IDENTIFIER, "id"),
        Column("year", _("Assessment year"), YEAR, "year"),
        Column("kind", _("Who assessed: published_result (the Ombudsman's published result), official, "
                         "pre_evaluation, self_assessment"), CODE, _("assessment-rounds · kind")),
        Column("entity_name", _("The government or unit assessed"), TEXT,
               _("compliance-results · entity_name; assessment-rounds · the unit's name")),
        Column("unit", _("Identifier of the unit assessed (empty when addressed by region)"), IDENTIFIER, "unit"),
        Column("edition", _("Method edition that produced the score"), CODE, "edition"),
        Column("value_type", _("What the score measures (index, components_percent, none)"), CODE,
               "compliance-results · value_type"),
        Column("score", _("Score (total of a round)"), SCORE,
               _("compliance-results · score; assessment-rounds · total")),
        Column("computed_band", _("Band computed by Pantau from the edition's bounds"), CODE, "computed_band"),
        Column("computed_zone", _("Zone computed by Pantau (hijau, kuning, merah, hitam)"), CODE, "computed_zone"),
        Column("computed_provisional", _("Computed with provisional (uncertain) bounds"), BOOLEAN,
               "computed_provisional"),
        Column("published_zone", _("Zone as the Ombudsman published it"), CODE, "compliance-results · published_zone"),
        Column("published_category", _("Category as published"), TEXT, "compliance-results · published_category"),
        Column("published_opinion", _("Opinion as published"), TEXT, "compliance-results · published_opinion"),
        Column("assessed_on", _("Date of the assessment round"), DATE, "assessment-rounds · assessed_on"),
        Column("published_at", _("When the Ombudsman published the round"), DATETIME,
               "assessment-rounds · published_at"),
        IS_SAMPLE,
        Column("source_url", _("Published sources, separated by semicolons"), ADDRESS,
               "compliance-results · source_url"),
        Column("api_path", _("The API resource of this row (login required)"), ADDRESS,
               "/api/v1/compliance-results/<id>/, /api/v1/assessment-rounds/<id>/"),
    ),
)

IKM_RESULTS = Dataset(
    "ikm", _("Community satisfaction (IKM)"),
    _("Published IKM results of the community satisfaction surveys (SKM, PermenPANRB 14/2017): the latest "
      "published result of each survey period. Drafts are not published; no respondent is identified."),
    (
        REGION_CODE, REGION_NAME,
        Column("id", _("Identifier of the result"), IDENTIFIER, "GET /api/v1/ikm-results/<id>/ · id"),
        Column("period", _("Identifier of the survey period"), IDENTIFIER, "GET /api/v1/ikm-results/<id>/ · period"),
        Column("unit", _("Identifier of the service unit surveyed"), IDENTIFIER,
               "GET /api/v1/survey-periods/<period>/ · unit"),
        Column("unit_name", _("Service unit surveyed"), TEXT, "GET /api/v1/organizations/<unit>/ · name"),
        Column("service_name", _("Service surveyed"), TEXT, "GET /api/v1/survey-periods/<period>/ · service_name"),
        Column("period_start", _("Start of the survey period"), DATE,
               "GET /api/v1/survey-periods/<period>/ · start_date"),
        Column("period_end", _("End of the survey period"), DATE, "GET /api/v1/survey-periods/<period>/ · end_date"),
        Column("ikm", _("Community satisfaction index (IKM)"), IKM_SCORE, "GET /api/v1/ikm-results/<id>/ · ikm"),
        Column("grade", _("Service quality grade A-D (PermenPANRB 14/2017)"), CODE,
               "GET /api/v1/ikm-results/<id>/ · grade"),
        Column("weight_variant", _("Element weight used: exact (1/9) or 0.11"), CODE,
               "GET /api/v1/ikm-results/<id>/ · weight_variant"),
        Column("n_responses", _("Number of responses"), COUNT, "GET /api/v1/ikm-results/<id>/ · n_responses"),
        Column("population", _("Service users in the period (population)"), COUNT,
               "GET /api/v1/ikm-results/<id>/ · population"),
        Column("required_sample", _("Required sample (Krejcie and Morgan)"), COUNT,
               "GET /api/v1/ikm-results/<id>/ · required_sample"),
        Column("is_adequate", _("Whether the sample reached the required size (empty when the population is "
                                "unknown)"), BOOLEAN, "GET /api/v1/ikm-results/<id>/ · is_adequate"),
        *(Column(f"converted_u{n}", CONVERTED, IKM_SCORE, f"GET /api/v1/ikm-results/<id>/ · elements[U{n}].converted")
          for n in range(1, 10)),
        Column("published_at", _("When the Ombudsman published the result"), DATETIME,
               "GET /api/v1/ikm-results/<id>/ · published_at"),
        IS_SAMPLE,
        Column("api_path", _("The API resource of this row (login required)"), ADDRESS,
               "/api/v1/ikm-results/<id>/"),
    ),
)

DATASETS: dict[str, Dataset] = {d.slug: d for d in (WORK_PLANS, ACTIONS, COMPLIANCE, IKM_RESULTS)}
"""Every dataset by its slug, in the order the dictionary lists them."""


# Building the rows --------------------------------------------------------------------------------------------------


def public_plans(code: str | None = None) -> list[Agreement]:
    """Signed work plans (drafts never), of the regional government of region ``code`` or, with None, of every
    region; their government, region, Ombudsman office and MoU joined in. One query."""
    qs = Agreement.objects.filter(kind=AgreementKind.WORK_PLAN, is_signed=True, government__region__isnull=False)
    if code is not None:
        qs = qs.filter(government__region_id=code)
    return list(
        qs.select_related("government", "government__region", "ombudsman_office", "parent")
        .order_by("government__region_id", "-signed_on", "pk")
    )


def _governments(code: str | None) -> dict[int, Unit]:
    """Regional governments with a region (of region ``code``, or all) by id, region joined in. One query."""
    qs = Unit.objects.filter(kind=UnitKind.REGIONAL_GOVERNMENT, region__isnull=False).select_related("region")
    if code is not None:
        qs = qs.filter(region_id=code)
    return {u.pk: u for u in qs}


def _government_of(path: str, governments: dict[int, Unit]) -> Unit | None:
    """The regional government among ``governments`` whose subtree holds the unit at ``path`` ("/1/5/17/")."""
    for part in path.strip("/").split("/"):
        if part and int(part) in governments:
            return governments[int(part)]
    return None


def _subtree_q(prefix: str, governments: dict[int, Unit]) -> Q:
    """Units in the subtrees of ``governments`` (``prefix`` is the lookup to the unit, e.g. "unit__")."""
    q = Q(pk__in=[])
    for government in governments.values():
        q |= Q(**{f"{prefix}path__startswith": government.path})
    return q


def plan_rows(plans: Sequence[Agreement], by_plan: dict[int, list[Action]]) -> list[dict[str, Any]]:
    """Rows of the work-plan dataset; ``by_plan``: every action of each plan with its tree loaded. One query (the
    signatories)."""
    signatories: dict[int, list[Signatory]] = defaultdict(list)
    for s in (Signatory.objects.filter(agreement__in=plans).select_related("unit")
              .order_by("agreement_id", "capacity", "unit__path", "pk")):
        signatories[s.agreement_id].append(s)
    rows = []
    for plan in plans:
        actions = by_plan.get(plan.pk, [])
        progress = summary.overall_progress(actions)
        budget = summary.budget_totals(actions)
        mou = plan.parent if plan.parent is not None and plan.parent.is_signed else None
        rows.append({
            "region_code": plan.government.region_id, "region_name": plan.government.region.name,
            "id": plan.pk, "title": plan.title, "number": plan.number,
            "mou": mou.pk if mou else None, "mou_title": mou.title if mou else "",
            "mou_signed_on": mou.signed_on if mou else None,
            "signed_on": plan.signed_on, "signed_place": plan.signed_place,
            "period_start": plan.period_start, "period_end": plan.period_end, "status": str(plan.status),
            "government_name": plan.government.name, "ombudsman_office_name": plan.ombudsman_office.name,
            "signatories": [{"position": s.position, "unit_name": s.unit.name, "capacity": s.capacity}
                            for s in signatories[plan.pk]],
            "actions": len(actions), "top_level": progress["top_level"], "verified_progress": progress["verified"],
            "budget_planned": budget["planned"], "budget_realized": budget["realized"],
            "sample_actions": sum(1 for a in actions if a.is_sample),
            "source_url": plan.source_url, "api_path": f"/api/v1/work-plans/{plan.pk}/",
        })
    return rows


def action_rows(plans: Sequence[Agreement], by_plan: dict[int, list[Action]], now: dt.datetime,
                ) -> list[dict[str, Any]]:
    """Rows of the action dataset, plan by plan in natural code order, each with ``depth`` (0 for a top-level
    action; for the pages, not a column). Statuses at the instant ``now``, each on the responsible unit's local
    date. No query (trees and units are loaded)."""
    rows = []
    for plan in plans:
        actions = sorted(by_plan.get(plan.pk, []), key=lambda a: natural_key(a.code))
        depth: dict[int, int] = {}
        for action in actions:
            depth[action.pk] = depth.get(action.parent_id, -1) + 1 if action.parent_id is not None else 0
            unit = action.responsible_unit
            rows.append({
                "region_code": plan.government.region_id, "region_name": plan.government.region.name,
                "work_plan": plan.pk, "work_plan_title": plan.title, "id": action.pk, "code": action.code,
                "parent": action.parent_id, "title": action.title, "start_date": action.start_date,
                "due_date": action.due_date, "time_zone": unit.zone_abbreviation, "responsible_unit": unit.pk,
                "responsible_unit_name": unit.name, "budget_source": action.budget_source,
                "fiscal_year": action.fiscal_year, "budget_planned": action.budget_planned,
                "budget_realized": action.budget_realized, "indicator_name": action.indicator_name,
                "indicator_unit": action.indicator_unit, "baseline": action.baseline, "target": action.target,
                "actual_verified": action.actual_verified, "verified_progress": action.verified_progress,
                "public_status": public_status(action, unit.local_today(now)), "cancelled_on": action.cancelled_on,
                "is_sample": action.is_sample, "api_path": f"/api/v1/actions/{action.pk}/",
                "depth": depth[action.pk],
            })
    return rows


def compliance_rows(code: str | None, governments: dict[int, Unit]) -> list[dict[str, Any]]:
    """Rows of the compliance dataset: the Ombudsman's published results about region ``code`` (or every region)
    and about units under its government(s), then the PUBLISHED rounds; each part by year. Two queries."""
    results = ComplianceResult.objects.select_related("region", "unit", "edition")
    rounds = AssessmentRound.objects.published().select_related("region", "unit", "edition")
    if code is not None:
        results = results.filter(Q(region_id=code) | _subtree_q("unit__", governments))
        rounds = rounds.filter(Q(unit__isnull=True, region_id=code) | _subtree_q("unit__", governments))
    rows = []

    def where(region: Region | None, unit: Unit | None) -> tuple[str, str] | None:
        government = _government_of(unit.path, governments) if unit is not None else None
        if government is not None:
            return str(government.region_id), government.region.name
        if region is not None:
            return region.code, region.name
        return None

    for result in results.order_by("year", "region_id", "unit_id", "pk"):
        place = where(result.region, result.unit)
        if place is None:
            continue
        rows.append({
            "region_code": place[0], "region_name": place[1], "record": Record.RESULT.value, "id": result.pk,
            "year": result.year, "kind": "published_result",
            "entity_name": result.entity_name or (result.unit.name if result.unit else place[1]),
            "unit": result.unit_id, "edition": result.edition.code, "value_type": result.value_type,
            "score": result.score, "computed_band": result.computed_band, "computed_zone": result.computed_zone,
            "computed_provisional": result.computed_provisional, "published_zone": result.published_zone,
            "published_category": result.published_category, "published_opinion": result.published_opinion,
            "assessed_on": None, "published_at": None, "is_sample": False, "source_url": result.source_url,
            "api_path": f"/api/v1/compliance-results/{result.pk}/",
        })
    for assessment in rounds.order_by("year", "assessed_on", "unit__path", "pk"):
        place = where(assessment.region, assessment.unit)
        if place is None:
            continue
        rows.append({
            "region_code": place[0], "region_name": place[1], "record": Record.ROUND.value, "id": assessment.pk,
            "year": assessment.year, "kind": assessment.kind,
            "entity_name": assessment.unit.name if assessment.unit else place[1], "unit": assessment.unit_id,
            "edition": assessment.edition.code, "value_type": "index", "score": assessment.total,
            "computed_band": assessment.computed_band, "computed_zone": assessment.computed_zone,
            "computed_provisional": assessment.computed_provisional, "published_zone": "",
            "published_category": "", "published_opinion": "", "assessed_on": assessment.assessed_on,
            "published_at": assessment.published_at, "is_sample": assessment.is_sample, "source_url": "",
            "api_path": f"/api/v1/assessment-rounds/{assessment.pk}/",
        })
    return rows


def ikm_rows(code: str | None, governments: dict[int, Unit]) -> list[dict[str, Any]]:
    """Rows of the IKM dataset: the latest PUBLISHED result of each survey period of a unit under the
    government(s) of region ``code`` (or under any regional government), newest period first. One query."""
    results = IkmResult.objects.published().select_related("period", "period__unit")
    if code is not None:
        results = results.filter(_subtree_q("period__unit__", governments))
    seen: set[int] = set()
    rows = []
    ordered = results.order_by("-period__start_date", "period__unit__path", "period_id", "-computed_at", "-pk")
    for result in ordered:
        if result.period_id in seen:
            continue
        seen.add(result.period_id)
        period = result.period
        government = _government_of(period.unit.path, governments)
        if government is None:
            continue
        row = {
            "region_code": government.region_id, "region_name": government.region.name, "id": result.pk,
            "period": period.pk, "unit": period.unit_id, "unit_name": period.unit.name,
            "service_name": period.service_name, "period_start": period.start_date, "period_end": period.end_date,
            "ikm": result.ikm, "grade": result.grade, "weight_variant": result.weight_variant,
            "n_responses": result.n_responses, "population": result.population,
            "required_sample": result.required_sample, "is_adequate": result.is_adequate,
        }
        for n in range(1, 10):
            row[f"converted_u{n}"] = getattr(result, f"converted_u{n}")
        row.update({"published_at": result.published_at, "is_sample": period.is_sample,
                    "api_path": f"/api/v1/ikm-results/{result.pk}/"})
        rows.append(row)
    return rows


def build(code: str | None, now: dt.datetime | None = None, slugs: Iterable[str] | None = None,
          ) -> dict[str, list[dict[str, Any]]]:
    """The rows of the datasets ``slugs`` (default: all) for region ``code`` (a regency, city or province) or, with
    None, the whole country: ``{slug: [row, ...]}``. Queries for all four: the plans, the action trees, the
    signatories, the governments, two for compliance, one for IKM (seven, whatever the number of rows)."""
    now = now or timezone.now()
    wanted = set(DATASETS if slugs is None else slugs)
    result: dict[str, list[dict[str, Any]]] = {}
    if wanted & {WORK_PLANS.slug, ACTIONS.slug}:
        plans = public_plans(code)
        by_plan: dict[int, list[Action]] = defaultdict(list)
        for action in summary.load_trees([p.pk for p in plans]):
            by_plan[action.work_plan_id].append(action)
        if WORK_PLANS.slug in wanted:
            result[WORK_PLANS.slug] = plan_rows(plans, by_plan)
        if ACTIONS.slug in wanted:
            result[ACTIONS.slug] = action_rows(plans, by_plan, now)
    if wanted & {COMPLIANCE.slug, IKM_RESULTS.slug}:
        governments = _governments(code)
        if COMPLIANCE.slug in wanted:
            result[COMPLIANCE.slug] = compliance_rows(code, governments)
        if IKM_RESULTS.slug in wanted:
            result[IKM_RESULTS.slug] = ikm_rows(code, governments)
    return {slug: result[slug] for slug in DATASETS if slug in result}


def index_rows() -> list[dict[str, Any]]:
    """The national index: per province (by code), the regencies and cities (and provinces) whose government signed
    a work plan, with counts: ``[{"code", "name", "regions": [{"code", "name", "plans", "actions" (not cancelled),
    "verified_actions" (not cancelled, with an accepted report), "sample_actions"}], "plans", "actions",
    "verified_actions"}]``. Two queries (one aggregate, one for the province names)."""
    live = Q(actions__cancelled_on__isnull=True)
    counts = (
        Agreement.objects.filter(kind=AgreementKind.WORK_PLAN, is_signed=True, government__region__level__lte=2)
        .values("government__region_id", "government__region__name")
        .annotate(
            n_plans=Count("pk", distinct=True),
            n_actions=Count("actions", filter=live, distinct=True),
            n_verified=Count("actions", filter=live & Q(actions__actual_verified__isnull=False), distinct=True),
            n_sample=Count("actions", filter=live & Q(actions__is_sample=True), distinct=True),
        )
        .order_by("government__region_id")
    )
    by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in counts:
        code = str(row["government__region_id"])
        by_province[code[:2]].append({
            "code": code, "name": row["government__region__name"], "plans": row["n_plans"],
            "actions": row["n_actions"], "verified_actions": row["n_verified"], "sample_actions": row["n_sample"],
        })
    names = dict(Region.objects.filter(code__in=list(by_province)).values_list("code", "name"))
    return [
        {"code": code, "name": names.get(code, code), "regions": regions,
         "plans": sum(r["plans"] for r in regions), "actions": sum(r["actions"] for r in regions),
         "verified_actions": sum(r["verified_actions"] for r in regions)}
        for code, regions in sorted(by_province.items())
    ]


# Files ------------------------------------------------------------------------------------------------------------


def _csv_value(value: Any) -> Any:
    """A row value as a CSV cell value: a list of signatories as "position, unit (capacity); ..."."""
    if isinstance(value, list):
        return "; ".join(f"{s['position']}, {s['unit_name']} ({s['capacity']})" for s in value)
    return value


def csv_file(dataset: Dataset, rows: Iterable[dict[str, Any]]) -> bytes:
    """The rows as CSV (UTF-8 with BOM, formula-safe: ``core.spreadsheets.csv_bytes``), the columns in order."""
    names = dataset.names
    return csv_bytes(names, ([_csv_value(row[name]) for name in names] for row in rows))


def _json_value(value: Any) -> Any:
    """A row value as the API writes it: Decimal as a string with its places ("40.00"), dates and times in
    ISO 8601 (times in the server's zone, as the API does), everything else as is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _both_languages(text: Any) -> dict[str, str]:
    """A translatable text in Indonesian and English: ``{"id": ..., "en": ...}``."""
    result = {}
    for language in ("id", "en"):
        with translation.override(language):
            result[language] = str(text)
    return result


def json_file(dataset: Dataset, rows: Iterable[dict[str, Any]], *, region: str | None, dictionary_url: str,
              generated_at: dt.datetime) -> bytes:
    """The rows as a JSON document: ``{"dataset", "title": {"id", "en"}, "description": {"id", "en"}, "region"
    (code or null for the whole country), "licence": {"spdx", "name", "url"}, "attribution", "dictionary" (the
    data dictionary's address), "generated_at", "columns": [names], "rows": [{column: value}]}``; values as in the
    API (money and counts as integers, decimals as strings with two places, dates ISO)."""
    names = dataset.names
    document = {
        "dataset": dataset.slug,
        "title": _both_languages(dataset.title),
        "description": _both_languages(dataset.description),
        "region": region,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "dictionary": dictionary_url,
        "generated_at": _json_value(generated_at),
        "columns": names,
        "rows": [{name: _json_value(row[name]) for name in names} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def label_map(choices: type[TextChoices]) -> dict[str, Any]:
    """``{code: translated label}`` of a choices class, for templates."""
    return {str(value): label for value, label in choices.choices}


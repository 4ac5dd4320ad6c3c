"""Rules of assessment rounds that need no storage: who records which kind of round, how findings are keyed by who
assessed, the plausibility bounds of a round's date and indicators (used by the write path, the forms and the
importers of ``assessments``)."""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.assessments.models import MethodEdition, RoundKind
from pantau.organizations.models import Unit, UnitKind

RECORD_PERMISSION: dict[str, str] = {
    RoundKind.SELF_ASSESSMENT: Permission.RECORD_SELF_ASSESSMENT,
    RoundKind.PRE_EVALUATION: Permission.RECORD_ASSESSMENTS,
    RoundKind.OFFICIAL: Permission.RECORD_ASSESSMENTS,
}

"""Who may record a round about a unit: the government's planners record its self-assessment
(RECORD_SELF_ASSESSMENT); the Ombudsman's assistants and admins record pre-evaluations and official results
(RECORD_ASSESSMENTS). A round addressed only by region needs ``results.can_import`` for its province (the Ombudsman
office)."""

KIND_GROUP: dict[str, str] = {
    RoundKind.SELF_ASSESSMENT: "self",
    RoundKind.PRE_EVALUATION: "ombudsman",
    RoundKind.OFFICIAL: "ombudsman",
}

"""The group of a round's kind in its findings' keys: a round closes only findings of its own group (see the module
docstring)."""

EARLIEST_ASSESSMENT = dt.date(2000, 1, 1)

"""No round is dated before this day (the Ombudsman's compliance assessment started long after it)."""

MAX_INDICATORS = 200

"""At most this many indicator scores in one round (all dimensions together)."""

INDICATOR_CODE_MAX = 60

INDICATOR_NAME_MAX = 300

MAX_NOTE = 10_000

"""At most this many characters in a round's note."""

_INDICATOR_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")

IndicatorInput = Mapping[str, Mapping[str, tuple[str, Decimal | str]]]

"""Indicator scores: dimension code -> indicator code -> (indicator name, score 0-100)."""

def finding_key(edition: MethodEdition, dimension: str, indicator: str = "", *, kind: str) -> str:
    """The findings' ``source_key`` of a dimension or an indicator measured by a round of ``kind``:
    ``assessment:<group>:<edition>:<dimension>[:<indicator>]`` with group ``self`` or ``ombudsman``
    (``KIND_GROUP``). Stable across rounds of the edition and group, so that a later round of the same group can
    close it, and only such a round."""
    key = f"assessment:{KIND_GROUP[kind]}:{edition.code}:{dimension}"
    return f"{key}:{indicator}" if indicator else key

def is_indicator_code(code: str) -> bool:
    """True for a valid indicator code: 1 to ``INDICATOR_CODE_MAX`` letters, digits, - and _."""
    return len(code) <= INDICATOR_CODE_MAX and bool(_INDICATOR_CODE.match(code))

def check_date(assessed_on: dt.date, year: int | None = None, *, today: dt.date | None = None) -> None:
    """Raise ValidationError unless ``assessed_on`` lies within ``EARLIEST_ASSESSMENT`` .. ``today`` (not in the
    future: the assessed unit's local date, ``actions.local_today_of``; default today in the easternmost zone, WIT,
    the widest bound, rules.md section 10) and, when ``year`` is given, falls in that assessment year."""
    if today is None:
        from django.utils import timezone

        from pantau.core.workdays import WIT, local_date

        today = local_date(timezone.now(), WIT)
    if not EARLIEST_ASSESSMENT <= assessed_on <= today:
        raise ValidationError({"assessed_on": [
            _("The assessment date must lie between %(earliest)s and today (%(today)s).")
            % {"earliest": date_format(EARLIEST_ASSESSMENT, "j F Y"), "today": date_format(today, "j F Y")}
        ]})
    if year is not None and assessed_on.year != year:
        raise ValidationError({"assessed_on": [
            _("The assessment date %(date)s is not in the assessment year %(year)s.")
            % {"date": assessed_on.isoformat(), "year": year}
        ]})

def check_unit(unit: Unit | None) -> None:
    """Raise ValidationError when ``unit`` is an Ombudsman office: the Ombudsman assesses governments, not itself."""
    if unit is not None and unit.kind == UnitKind.OMBUDSMAN_OFFICE:
        raise ValidationError({"unit": [_("An Ombudsman office is not assessed: choose a government unit.")]})


def can_import(actor: Any, province_codes: Iterable[str]) -> bool:
    """True when ``actor`` may import published results for every province in ``province_codes``: a superuser, or a
    holder of IMPORT_RESULTS on the Ombudsman office of each province (an Ombudsman admin there)."""
    from pantau.accounts.models import Permission
    from pantau.accounts.scoping import acts_for_provinces

    return acts_for_provinces(actor, Permission.IMPORT_RESULTS, province_codes)

"""Working days, deadlines and office time zones (pure functions over plain data; no models).

Rules implemented here, each with its source:

- **Working days** (domain/rules.md section 11): government offices work Monday-Friday, minus national holidays
  (hari libur nasional) and joint leave days (cuti bersama) set each year by a joint decree (SKB) of the Minister of
  Religious Affairs, the Minister of Manpower and the Minister of PANRB, often amended during the year; election days
  are added by a separate Keppres.
- **Counting convention** (rules.md section 11, "until a regulation says otherwise"): the day of receipt is not
  counted; day 1 is the first working day after the day of receipt (a receipt on a Saturday has the Monday as day 1
  when the Monday is a working day); the deadline is the Nth working day. "Hari" rules (rules.md section 5: UU
  25/2009, UU 37/2008, Perpres 76/2013 say plain days) use the same convention on calendar days: day 1 is the next
  calendar day, and a deadline that falls on a weekend or a day off stays there (no regulation retrieved says it rolls
  over to the next working day: **UNCERTAIN**, so no roll-over is applied).
- **The calendar must hold every year a deadline reaches** (rules.md section 11). A :class:`Calendar` holds a fixed
  set of years; any question about a day outside them raises :class:`CalendarError`. It does not extend itself
  lazily: a year the SKB lists were not checked for would silently count on the library's estimates, so the caller
  builds a calendar with the years it needs and can see which of them are provisional
  (:attr:`Calendar.provisional_years`).
- **Time zones** (Keppres 41/1987; rules.md section 10): WIB = Asia/Jakarta (UTC+7), WITA = Asia/Makassar (UTC+8),
  WIT = Asia/Jayapura (UTC+9), by province code; an office's "today" is the date in its own zone.

Source of the days off: the PyPI package ``holidays`` (checked with version 0.109), country ``ID``, whose two
categories are ``public`` (national holidays, including the Keppres election days) and ``government`` (cuti bersama).
Its lists were compared by hand with the SKB as published in the press (the SKB PDF itself was not read):

- **2023** - SKB 1066/2022 as amended twice; the library carries the amended lists and agrees. Original joint leave
  days: 23 Jan, 23 Mar, 21, 24, 25, 26 Apr, 2 Jun, 26 Dec. The amendment announced 29 Mar 2023 moved the Idul Fitri
  days to 19, 20, 21, 24, 25 Apr
  (https://kompas.tv/article/398513/jadwal-libur-lebaran-dan-cuti-bersama-2023-hari-raya-idulfitri-pemerintah-kapan);
  SKB 624/2023 (June 2023) added 28 and 30 Jun around Idul Adha on 29 Jun
  (https://www.detik.com/sumbagsel/bisnis/d-6790863/ternyata-ini-alasan-pemerintah-tambah-libur-idul-adha-jadi-3-hari).
  16 national holidays, e.g. Idul Fitri 22-23 Apr (a weekend)
  (https://exposenews.id/2022/10/11/mau-liburan-tahun-2023-8-hari-cuti-bersama-ini-bisa-jadi-referensinya).
- **2024** - SKB 855/2023: 17 national holidays and 10 joint leave days: 9 Feb, 12 Mar, 8, 9, 12, 15 Apr, 10 May,
  24 May, 18 Jun, 26 Dec (https://visual.republika.co.id/berita/s186qu349/infografis-jadwal-libur-dan-cuti-bersama-di-2024).
  Idul Fitri 10-11 Apr; 8 Feb is a national holiday (Isra Mi'raj), not a joint leave day. Difference: the library
  also has 14 Feb (Keppres 10/2024, general election) and 27 Nov (Keppres 33/2024, regional elections), which the
  SKB does not list but which were declared national holidays
  (https://kabarmuarateweh.id/pemerintah-resmi-tetapkan-14-februari-sebagai-hari-libur-nasional-pemilu ;
  https://dutakabar.com/27-november-2024-hari-libur-nasional-ini-keppresnya). Pantau keeps them as days off.
- **2025** - SKB 1017/2024: 17 national holidays (Idul Fitri 31 Mar-1 Apr) and 10 joint leave days: 28 Jan, 28 Mar,
  2, 3, 4, 7 Apr, 13 May, 30 May, 9 Jun, 26 Dec
  (https://rasikapekalongan.com/cek-libur-nasional-dan-cuti-bersama-tahun-2025 ;
  https://radarbandung.id/2024/10/15/berikut-data-fakta-libur-dan-cuti-2025); SKB 933/2025 (7 Aug 2025) added
  18 Aug (https://mediaindonesia.com/humaniora/799605/18-agustus-cuti-bersama-apakah-pekerja-swasta-libur).
  The library carries the amended list and agrees.
- **2026** - SKB 1497/2025 (19 Sep 2025): 17 national holidays (Idul Fitri 21-22 Mar, a weekend) and 8 joint leave
  days: 16 Feb, 18 Mar, 20, 23, 24 Mar, 15 May, 28 May, 24 Dec
  (https://www.portalone.net/nasional/17779/pemerintah-tetapkan-8-hari-cuti-bersama-2026-lewat-skb-3-menteri ;
  https://pembelajaranbermaknaid.blogspot.com/2025/11/skb-3-menteri-rilis-daftar-cuti-bersama.html). The library
  agrees. **UNCERTAIN**: no amendment during 2026 was found; one was not ruled out.
- **2027 and later** - not checked (**UNCERTAIN**): the library has a 2027 list, with Idul Fitri and Idul Adha
  marked as estimated. Such years are in :attr:`Calendar.provisional_years`.

An administrator corrects the library with ``extra_days_off`` (a local or newly decreed day off) and
``working_days_added`` (a day off withdrawn, e.g. a joint leave day the government moved).
"""

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Literal, get_args
from zoneinfo import ZoneInfo

import holidays

# Years whose holiday lists were compared with the SKB (module docstring).
VERIFIED_YEARS: frozenset[int] = frozenset({2023, 2024, 2025, 2026})

# The two categories of the ``holidays`` package for Indonesia: national holidays and cuti bersama.
HOLIDAY_CATEGORIES: tuple[str, str] = ("public", "government")

Unit = Literal["working_days", "calendar_days"]
WORKING_DAYS: Unit = "working_days"
CALENDAR_DAYS: Unit = "calendar_days"

_SATURDAY = 5  # date.weekday(): Monday 0 .. Sunday 6


class CalendarError(ValueError):
    """A question the calendar cannot answer: a day in a year it does not hold, or contradictory corrections."""


class UnknownProvinceCode(ValueError):
    """A province code that is not one of the 38 Kemendagri province codes of rules.md section 10."""


def _is_weekday(d: date) -> bool:
    return d.weekday() < _SATURDAY


def _require_date(d: date, name: str) -> None:
    # A datetime is a date too, but comparing it with days off silently fails: convert with local_date() first.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{name} must be a date (use local_date() for an instant), not {type(d).__name__}")


def _weekdays_through(d: date) -> int:
    """Number of Monday-Friday days from 0001-01-01 (a Monday) through ``d`` inclusive."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


@dataclass(frozen=True)
class Calendar:
    """Working-day calendar of government offices for a fixed set of years (rules.md section 11).

    ``days_off`` are national holidays and joint leave days (cuti bersama) plus local corrections; every day off lies
    in one of ``years``. A working day is Monday-Friday and not a day off. Build it with :meth:`indonesia` (from the
    ``holidays`` package) or :meth:`from_days_off`; both refuse a correction outside the held years.
    """

    years: frozenset[int]
    days_off: frozenset[date]
    _weekday_days_off: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Check that the calendar holds at least one year and that every day off lies in a held year."""
        if not self.years:
            raise CalendarError("a calendar must hold at least one year")
        outside = sorted(d for d in self.days_off if d.year not in self.years)
        if outside:
            raise CalendarError(f"days off outside the calendar's years {sorted(self.years)}: {outside}")
        object.__setattr__(self, "_weekday_days_off", tuple(sorted(d for d in self.days_off if _is_weekday(d))))

    @classmethod
    def from_days_off(
        cls,
        years: Iterable[int],
        days_off: Iterable[date],
        *,
        extra_days_off: Iterable[date] = (),
        working_days_added: Iterable[date] = (),
    ) -> "Calendar":
        """Calendar of ``years`` with ``days_off``, plus ``extra_days_off``, minus ``working_days_added``.

        ``working_days_added`` withdraws days off (a joint leave day the government moved or cancelled); naming a
        Saturday or Sunday there, a day that is also in ``extra_days_off``, or any correction outside ``years``
        raises CalendarError.
        """
        held = frozenset(years)
        extra = frozenset(extra_days_off)
        withdrawn = frozenset(working_days_added)
        for d in extra | withdrawn:
            _require_date(d, "a corrected day")
            if d.year not in held:
                raise CalendarError(f"correction {d.isoformat()} is outside the calendar's years {sorted(held)}")
        weekend = sorted(d for d in withdrawn if not _is_weekday(d))
        if weekend:
            raise CalendarError(f"Saturdays and Sundays are never working days (rules.md section 11): {weekend}")
        both = sorted(extra & withdrawn)
        if both:
            raise CalendarError(f"days both added as day off and withdrawn: {both}")
        return cls(years=held, days_off=(frozenset(days_off) | extra) - withdrawn)

    @classmethod
    def indonesia(
        cls,
        years: Iterable[int],
        *,
        extra_days_off: Iterable[date] = (),
        working_days_added: Iterable[date] = (),
    ) -> "Calendar":
        """Calendar of ``years`` from the ``holidays`` package (Indonesia, national holidays and cuti bersama).

        See the module docstring for the years checked against the SKB; the others are :attr:`provisional_years`.
        """
        held = sorted(set(years))
        library = holidays.country_holidays("ID", years=held, categories=HOLIDAY_CATEGORIES)
        return cls.from_days_off(
            held, library.keys(), extra_days_off=extra_days_off, working_days_added=working_days_added
        )

    def revised(self, *, extra_days_off: Iterable[date] = (), working_days_added: Iterable[date] = ()) -> "Calendar":
        """A new calendar with further corrections (e.g. an SKB amendment adding or moving a joint leave day)."""
        return Calendar.from_days_off(
            self.years, self.days_off, extra_days_off=extra_days_off, working_days_added=working_days_added
        )

    @property
    def provisional_years(self) -> frozenset[int]:
        """Held years whose holiday lists were not compared with the SKB (to be shown as provisional)."""
        return self.years - VERIFIED_YEARS

    def _check_years(self, first: date, last: date) -> None:
        missing = [y for y in range(first.year, last.year + 1) if y not in self.years]
        if missing:
            raise CalendarError(
                f"the calendar holds {sorted(self.years)} but the count reaches {missing}; "
                "build it with every year a deadline reaches (rules.md section 11)"
            )

    def is_working_day(self, d: date) -> bool:
        """True for Monday-Friday that is not a day off; CalendarError for a day in a year the calendar lacks."""
        _require_date(d, "d")
        self._check_years(d, d)
        return _is_weekday(d) and d not in self.days_off

    def add_working_days(self, received: date, n: int) -> date:
        """The Nth working day after ``received`` (rules.md section 11).

        The day of receipt is not counted, whatever it is; day 1 is the first working day after it. ``n`` must be
        at least 1. Raises CalendarError when the count reaches a year the calendar does not hold.
        """
        _require_date(received, "received")
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        d = received
        while n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def add_calendar_days(self, received: date, n: int) -> date:
        """The Nth calendar day after ``received``, for "hari" rules (rules.md sections 5 and 11).

        Same convention as :meth:`add_working_days`: the day of receipt is not counted, day 1 is the next calendar
        day, so the result is ``received + n`` days. A result on a weekend or day off is not moved (UNCERTAIN, see
        the module docstring). The days off are not consulted, so no year check applies.
        """
        _require_date(received, "received")
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        return received + timedelta(days=n)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``: after ``a``, up to and including ``b``; negative when ``b`` is before ``a``.

        This matches the deadline convention: ``working_days_between(r, add_working_days(r, n)) == n``. For "days
        late" pass ``(due, answered)``: an answer on the first working day after the due date is 1 day late, an
        answer on the due date 0, an earlier one negative. For "days to answer" pass ``(received, answered)``.
        Raises CalendarError when ``(a, b]`` reaches a year the calendar does not hold.
        """
        _require_date(a, "a")
        _require_date(b, "b")
        if b < a:
            return -self.working_days_between(b, a)
        if b == a:
            return 0
        self._check_years(a + timedelta(days=1), b)
        weekdays = _weekdays_through(b) - _weekdays_through(a)
        off = bisect.bisect_right(self._weekday_days_off, b) - bisect.bisect_right(self._weekday_days_off, a)
        return weekdays - off


@dataclass(frozen=True)
class DeadlineRule:
    """A deadline of ``length`` working or calendar days after receipt, with its legal source.

    ``provisional`` marks a rule whose length or unit is UNCERTAIN in rules.md (e.g. the UU 25/2009 14-day first
    response, section 5): the UI shows it as provisional and an administrator can correct it.
    """

    code: str
    length: int
    unit: Unit
    source: str
    provisional: bool

    def __post_init__(self) -> None:
        """Refuse an empty code or source, a length below 1 and an unknown unit."""
        if not self.code or not self.source:
            raise ValueError("a deadline rule needs a code and a source")
        if self.length < 1:
            raise ValueError(f"deadline length must be at least 1, got {self.length}")
        if self.unit not in get_args(Unit):
            raise ValueError(f"unit must be one of {get_args(Unit)}, got {self.unit!r}")

    def due(self, received: date, calendar: Calendar) -> date:
        """The due date for a matter received on ``received`` (local date of the receiving office)."""
        if self.unit == WORKING_DAYS:
            return calendar.add_working_days(received, self.length)
        return calendar.add_calendar_days(received, self.length)


# --- Time zones (Keppres 41/1987; rules.md section 10) ---

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

ZONE_LABELS: Mapping[str, str] = MappingProxyType({WIB: "WIB", WITA: "WITA", WIT: "WIT"})

# Kemendagri province code -> IANA zone, per the table of rules.md section 10 (Keppres 41/1987).
PROVINCE_ZONES: Mapping[str, str] = MappingProxyType(
    {
        # WIB: Sumatra and islands (11-19, 21), Java with Jakarta and Banten (31-36), Kalimantan Barat and Tengah.
        **dict.fromkeys(["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"], WIB),
        **dict.fromkeys(["31", "32", "33", "34", "35", "36", "61", "62"], WIB),
        # WITA: Bali, NTB, NTT, Kalimantan Selatan, Timur, Utara, Sulawesi and Gorontalo (71-76).
        **dict.fromkeys(["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"], WITA),
        # WIT: Maluku, Maluku Utara, the Papua provinces (91-96).
        **dict.fromkeys(["81", "82", "91", "92", "93", "94", "95", "96"], WIT),
    }
)


def zone_for_province(province_code: str) -> str:
    """IANA zone of a two-digit Kemendagri province code (``"15"`` -> ``"Asia/Jakarta"``); raises UnknownProvinceCode.

    Pass the province code itself (``Region.province_code``), not a longer region code.
    """
    zone = PROVINCE_ZONES.get(province_code) if isinstance(province_code, str) else None
    if zone is None:
        raise UnknownProvinceCode(f"unknown province code {province_code!r} (rules.md section 10)")
    return zone


def local_date(instant: datetime, zone: str) -> date:
    """The calendar date of an aware ``instant`` in ``zone`` (an office's "today" is its own zone's date)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be an aware datetime; a naive one has no defined local date")
    return instant.astimezone(ZoneInfo(zone)).date()


def local_now(zone: str) -> datetime:
    """The current time as an aware datetime in ``zone``."""
    return datetime.now(UTC).astimezone(ZoneInfo(zone))

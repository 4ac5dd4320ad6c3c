"""Complaints from other channels, imported from an Excel workbook (.xlsx) or a CSV file, all or nothing; and the
export of the complaint list (identity masked).

Layout: one header row naming the columns of ``COLUMN_SPECS`` (the Indonesian labels or the English keys, any case
and spacing; ``core.spreadsheets.read_table``), one complaint per row below; sheet "Pengaduan" (or "Complaints").
Every row is checked before anything is written and EVERY problem is reported with its row (header = 1), column and
reason (``core.spreadsheets.RowError``). Only a file without a problem is written, inside one transaction, through
``complaints.actions.enter_complaint`` (the write path: permission on each row's unit, validation, audit); an error
raised while writing undoes the whole import. Dates are read day first or as Excel dates (``core.typed_input``).
"""

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pantau.accounts.models import Permission
from pantau.accounts.scoping import units_for
from pantau.complaints.access import masked
from pantau.complaints.actions import Submitted, enter_complaint
from pantau.complaints.identity import check_email, check_nik, check_phone
from pantau.complaints.models import STAFF_CHANNELS, Channel, Complaint
from pantau.core.spreadsheets import Column, RowError, read_table, read_upload, safe_append, shown
from pantau.core.typed_input import InputError, fold_name, read_date
from pantau.core.workdays import local_date
from pantau.standards.components import ComponentCode
from pantau.standards.models import Service

COLUMNS: tuple[str, ...] = (
    "channel", "external_ticket", "received_on", "unit", "service", "component", "subject", "description",
    "name", "nik", "phone", "email", "confidential",
)
"""The importable columns, in the template's order."""

REQUIRED: frozenset[str] = frozenset({"channel", "received_on", "unit", "subject", "description", "name"})
"""Columns whose cell may not be empty."""

MAX_DATA_ROWS = 2000
"""A file holds at most this many complaints; more are imported in parts."""

MAX_COLUMNS = 40

LABELS: dict[str, str] = {
    "channel": "Kanal", "external_ticket": "Nomor Tiket Kanal", "received_on": "Tanggal Diterima", "unit": "Unit",
    "service": "Layanan", "component": "Komponen Standar", "subject": "Pokok Pengaduan", "description": "Uraian",
    "name": "Nama Pengadu", "nik": "NIK", "phone": "Telepon", "email": "Surel", "confidential": "Rahasiakan Identitas",
}
"""The Indonesian header of each column (templates write it; the English keys are accepted too)."""

COLUMN_SPECS: tuple[Column, ...] = tuple(Column(key, LABELS[key], required=key in REQUIRED) for key in COLUMNS)
"""The columns as ``core.spreadsheets.read_table`` reads them."""

SHEET_NAMES = ("Pengaduan", "Complaints")

CHANNEL_ALIASES: dict[str, str] = {
    **{c.value: c.value for c in STAFF_CHANNELS},
    **{str(c.label).casefold(): c.value for c in STAFF_CHANNELS},
    "datang langsung": Channel.WALK_IN, "langsung": Channel.WALK_IN, "tatap muka": Channel.WALK_IN,
    "telepon": Channel.PHONE, "telp": Channel.PHONE, "surat": Channel.LETTER, "surel": Channel.EMAIL,
    "email": Channel.EMAIL, "media sosial": Channel.SOCIAL_MEDIA, "medsos": Channel.SOCIAL_MEDIA,
    "sp4n-lapor!": Channel.SP4N_LAPOR, "sp4n-lapor": Channel.SP4N_LAPOR, "lapor": Channel.SP4N_LAPOR,
    "lapor!": Channel.SP4N_LAPOR, "lainnya": Channel.OTHER,
}
"""Channel names accepted in a file (codes, English labels and the usual Indonesian words), case-folded."""

YES = frozenset({"ya", "yes", "y", "1", "true", "benar", "rahasia"})
NO = frozenset({"tidak", "no", "n", "0", "false", "", "none"})


def column_help() -> list[tuple[str, str, bool, str]]:
    """(Indonesian header, English key, required, meaning) for the import page and the template's read-me."""
    meanings = {
        "channel": _("walk_in, phone, letter, email, social_media, sp4n_lapor or other (Indonesian names too)"),
        "external_ticket": _("ticket number of the channel (required for SP4N-LAPOR!)"),
        "received_on": _("date of receipt, day first (31/08/2024) or an Excel date"),
        "unit": _("name or id of the responsible unit"),
        "service": _("name of a service of that unit (optional)"),
        "component": _("service-standard component code (optional)"),
        "subject": _("subject (at most 200 characters)"),
        "description": _("what happened"),
        "name": _("name of the complainant"),
        "nik": _("NIK, 16 digits (optional)"),
        "phone": _("phone (optional)"),
        "email": _("e-mail (optional)"),
        "confidential": _("ya/tidak: the complainant asks that their identity stay confidential"),
    }
    return [(LABELS[key], key, key in REQUIRED, str(meanings[key])) for key in COLUMNS]


@dataclass
class ImportResult:
    """Outcome of ``import_complaints``: the errors (nothing was written when there are any) or the complaints
    created with their tracking codes (shown once, for the handler to pass on)."""

    file_name: str
    errors: list[RowError] = field(default_factory=list)
    created: list[Submitted] = field(default_factory=list)
    read: str = ""
    """Which sheet and rows were read (``core.spreadsheets.Table.describe``)."""

    @property
    def ok(self) -> bool:
        """True when the file was imported."""
        return not self.errors


class _Rollback(Exception):
    """Undo every write of the import."""


def _cell(cells: dict[str, Any], key: str) -> Any:
    value = cells.get(key)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer() and key in ("unit", "nik", "phone", "external_ticket"):
        return str(int(value))
    return value


@dataclass
class _Row:
    number: int
    data: dict[str, Any]


def _units_by_name(units: Iterable[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for unit in units:
        found.setdefault(fold_name(unit.name), []).append(unit)
        if unit.short_name:
            found.setdefault(fold_name(unit.short_name), []).append(unit)
    return found


def _check_row(number: int, cells: dict[str, Any], units: dict[int, Any],
               by_name: dict[str, list[Any]], services: dict[tuple[int, str], Service],
               errors: list[RowError]) -> _Row | None:
    """The row's values for ``enter_complaint``, or None after appending its errors."""
    found: list[RowError] = []
    data: dict[str, Any] = {}

    def fail(column: str, message: str) -> None:
        found.append(RowError(number, column, message))

    for key in REQUIRED:
        if _cell(cells, key) is None:
            fail(key, _("This cell may not be empty."))
    raw_channel = _cell(cells, "channel")
    if raw_channel is not None:
        channel = CHANNEL_ALIASES.get(str(raw_channel).casefold())
        if channel is None:
            fail("channel", _("Unknown channel %(value)s.") % {"value": shown(raw_channel)})
        data["channel"] = channel
    raw_unit = _cell(cells, "unit")
    unit = None
    if raw_unit is not None:
        text = str(raw_unit)
        if text.isdigit() and int(text) in units:
            unit = units[int(text)]
        else:
            matches = by_name.get(fold_name(text), [])
            if len(matches) == 1:
                unit = matches[0]
            elif len(matches) > 1:
                fail("unit", _("Several units are called %(value)s: use the unit's id.") % {"value": shown(text)})
            else:
                fail("unit", _("%(value)s is not a unit whose complaints you handle.") % {"value": shown(text)})
    data["unit"] = unit
    raw_service = _cell(cells, "service")
    data["service"] = None
    if raw_service is not None and unit is not None:
        service = services.get((unit.pk, fold_name(str(raw_service))))
        if service is None:
            fail("service", _("%(unit)s has no service called %(value)s.")
                 % {"unit": unit.name, "value": shown(raw_service)})
        data["service"] = service
    raw_component = _cell(cells, "component")
    data["component"] = ""
    if raw_component is not None:
        code = str(raw_component).strip().casefold()
        if code not in ComponentCode.values:
            fail("component", _("Unknown component %(value)s.") % {"value": shown(raw_component)})
        data["component"] = code
    raw_date = _cell(cells, "received_on")
    if raw_date is not None:
        try:
            day = read_date(raw_date, excel_serial=True)
        except InputError as error:
            fail("received_on", error.message)
        else:
            if unit is not None and day > local_date(dt.datetime.now(dt.UTC), unit.zone):
                fail("received_on", _("The date of receipt lies in the future."))
            elif day.year < 2000:
                fail("received_on", _("The year must be between %(first)d and %(last)d.")
                     % {"first": 2000, "last": 2100})
            data["received_on"] = day
    for key, limit in (("subject", 200), ("description", 10_000), ("name", 200), ("external_ticket", 60)):
        value = _cell(cells, key)
        text = "" if value is None else str(value)
        if len(text) > limit:
            fail(key, _("At most %(limit)d characters (this has %(length)d).") % {"limit": limit, "length": len(text)})
        data[key] = text
    if data.get("channel") == Channel.SP4N_LAPOR and not data["external_ticket"]:
        fail("external_ticket", _("A complaint from SP4N-LAPOR! keeps its ticket number."))
    for key, check in (("nik", check_nik), ("phone", check_phone), ("email", check_email)):
        value = _cell(cells, key)
        data[key] = ""
        if value is not None:
            try:
                data[key] = check(str(value))
            except ValidationError as exc:
                fail(key, " ".join(exc.messages))
    raw_flag = _cell(cells, "confidential")
    flag = "" if raw_flag is None else str(raw_flag).strip().casefold()
    if flag not in YES | NO:
        fail("confidential", _("Write ya or tidak."))
    data["confidential"] = flag in YES
    if found:
        errors.extend(found)
        return None
    return _Row(number=number, data=data)


def import_complaints(*, actor: Any, file: Any, file_name: str) -> ImportResult:
    """Read, check and (only when every row is valid) create the complaints of ``file`` through
    ``enter_complaint``; see the module docstring. Units are those where ``actor`` holds HANDLE_COMPLAINTS."""
    result = ImportResult(file_name=file_name)
    data, errors = read_upload(file)
    if data is None:
        result.errors = errors
        return result
    table = read_table(data, columns=COLUMN_SPECS, sheet_names=SHEET_NAMES, file_name=file_name, allow_csv=True,
                       max_data_rows=MAX_DATA_ROWS, max_cols=MAX_COLUMNS)
    result.errors = list(table.errors)
    result.read = table.describe()
    if result.errors:
        return result
    body = table.rows
    if not body:
        result.errors.append(RowError(None, "", _("The file has no complaint below the header.")))
    if len(body) > MAX_DATA_ROWS:
        result.errors.append(RowError(None, "", _("At most %(count)d complaints per file; split the file.")
                                      % {"count": MAX_DATA_ROWS}))
    if result.errors:
        return result
    handled = list(units_for(actor, Permission.HANDLE_COMPLAINTS))
    units = {u.pk: u for u in handled}
    services = {(s.unit_id, fold_name(s.name)): s for s in Service.objects.filter(unit__in=handled)}
    by_name = _units_by_name(handled)
    rows = [row for line in body
            if (row := _check_row(line.number, line.cells, units, by_name, services, result.errors)) is not None]
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    result.created.append(enter_complaint(actor=actor, **row.data))
                except ValidationError as exc:
                    for key, messages in exc.message_dict.items():
                        column = key if key in COLUMNS else ""
                        result.errors.extend(RowError(row.number, column, m) for m in messages)
                except PermissionDenied as exc:
                    result.errors.append(RowError(row.number, "unit", str(exc)))
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = []
    return result


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_workbook() -> bytes:
    """The import template: a "Pengaduan" sheet with the Indonesian header row and a "Petunjuk" sheet explaining each
    column (its Indonesian header, English key, whether required, meaning)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAMES[0]
    ws.append([LABELS[key] for key in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    readme = wb.create_sheet("Petunjuk")
    safe_append(readme, [_("Column"), _("Key"), _("Required"), _("Meaning")])
    for label, key, required, text in column_help():
        safe_append(readme, [label, key, _("yes") if required else _("no"), text])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


EXPORT_COLUMNS = (
    "reference", "received_on", "channel", "external_ticket", "unit", "service", "component", "subject", "stage",
    "outcome", "first_response_due", "first_response_on", "resolution_due", "answered_on", "overdue",
    "confidential", "complainant", "sample_data",
)
"""Columns of the export; the complainant is always masked (``access.masked``), the description left out."""


def export_workbook(complaints: Iterable[Complaint], todays: dict[str, dt.date]) -> bytes:
    """The complaints as an .xlsx sheet (``EXPORT_COLUMNS``); text never becomes a formula (``safe_append``).
    ``complaints`` should come with ``unit``, ``service`` and ``identity`` loaded."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws.append(list(EXPORT_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for c in complaints:
        identity = getattr(c, "identity", None)
        safe_append(ws, [
            c.reference, c.received_on, c.get_channel_display(), c.external_ticket, c.unit.name,
            c.service.name if c.service else "", c.get_component_display() if c.component else "", c.subject,
            c.get_stage_display(), c.get_outcome_display() if c.outcome else "", c.first_response_due,
            c.first_response_on, c.resolution_due, c.answered_on,
            _("yes") if c.is_overdue(todays.get(c.zone, c.received_on)) else _("no"),
            _("yes") if c.confidential else _("no"), masked(identity, confidential=c.confidential)["name"],
            _("yes") if c.is_sample else _("no"),
        ])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

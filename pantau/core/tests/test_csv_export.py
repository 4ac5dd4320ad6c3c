"""CSV writing (``core.spreadsheets.csv_cell`` / ``csv_bytes``): UTF-8 with a byte-order mark for Excel, RFC 4180
quoting, and text that no spreadsheet runs as a formula (OWASP "CSV Injection": = + - @ tab carriage return)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from pantau.core.spreadsheets import csv_bytes, csv_cell


@pytest.mark.parametrize("text", ["=1+1", "+62 811", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value, cell", [
    (None, ""), (True, "true"), (False, "false"), (450000, "450000"), (Decimal("-5.00"), "-5.00"),
    (Decimal("70.50"), "70.50"), (dt.date(2020, 11, 18), "2020-11-18"),
    (dt.datetime(2024, 8, 1, 10, 0, tzinfo=dt.UTC), "2024-08-01T10:00:00+00:00"),
    ("Kantor Bupati, Muara Bulian", "Kantor Bupati, Muara Bulian"), ("a\x00b", "ab"),
])
def test_values_are_written_plainly_and_numbers_are_never_prefixed(value, cell):
    assert csv_cell(value) == cell


def test_a_file_is_utf8_with_a_bom_crlf_lines_and_quoted_where_needed():
    body = csv_bytes(["title", "place"], [["Standar “KTP-el”", "Muara Bulian, Jambi"], ["=cmd", None]])
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text == 'title,place\r\nStandar “KTP-el”,"Muara Bulian, Jambi"\r\n\'=cmd,\r\n'
    assert list(csv.reader(io.StringIO(text))) == [["title", "place"], ["Standar “KTP-el”", "Muara Bulian, Jambi"],
                                                   ["'=cmd", ""]]

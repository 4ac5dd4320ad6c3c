"""``pantau compute_ikm FILE``: the IKM of a file, printed as text or JSON; every error on a bad file."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pantau.surveys.tests.helpers import DATA_DIR, csv_bytes, t1_rows, xlsx_bytes


def run(*args):
    out = StringIO()
    with translation.override("en"):
        call_command("compute_ikm", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def t1_file(tmp_path):
    path = tmp_path / "t1.xlsx"
    path.write_bytes(xlsx_bytes(t1_rows()))
    return path


def test_t1_prints_85_00_grade_b_and_u3_75_00_grade_c(t1_file):
    out = run(t1_file)
    assert "IKM 85.00  grade B (Baik)" in out
    assert "U3           30   3.0000      75.00  C" in out
    assert "U4           38   3.8000      95.00  A" in out


def test_t1_with_the_printed_weight_prints_84_15(t1_file):
    assert "IKM 84.15  grade B (Baik)" in run(t1_file, "--weight", "0.11")


def test_t1_as_json(t1_file):
    data = json.loads(run(t1_file, "--format", "json", "--population", "100"))
    assert (data["ikm"], data["grade"], data["weight"], data["n"]) == ("85.00", "B", "exact", 10)
    assert [e["converted"] for e in data["elements"]] == [
        "87.50", "82.50", "75.00", "95.00", "85.00", "90.00", "92.50", "77.50", "80.00"
    ]
    assert (data["required_sample"], data["adequate"]) == (80, False)


def test_a_csv_file_works_too(tmp_path):
    path = tmp_path / "t1.csv"
    path.write_bytes(csv_bytes(t1_rows()))
    assert "IKM 85.00  grade B (Baik)" in run(path)


def test_a_two_item_instrument_reproduces_the_published_lab_result():
    # The "Lab" responsiveness dimension publishes IKM 91.25 with weight 0.50 = the exact 1/k variant.
    data = json.loads(run(DATA_DIR / "scribd_lab_responsiveness.csv", "--elements", "2", "--format", "json"))
    assert (data["ikm"], data["grade"]) == ("91.25", "A")


def test_a_bad_file_lists_every_error_and_fails(tmp_path):
    rows = t1_rows()
    rows[0][2] = 5
    rows[4][7] = "ok"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError) as exc:
        run(path)
    assert str(exc.value).splitlines() == [
        "bad.csv: 2 error(s), nothing computed:",
        "Row 2, column U2: 5 is out of range: scores go from 1 to 4.",
        "Row 6, column U7: ok is not a whole number from 1 to 4.",
    ]


def test_the_printed_weight_is_refused_for_fewer_than_nine_elements():
    with pytest.raises(CommandError, match="0.11"):
        run(DATA_DIR / "scribd_lab_responsiveness.csv", "--elements", "2", "--weight", "0.11")


def test_a_missing_file_fails_cleanly(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        run(tmp_path / "nope.csv")

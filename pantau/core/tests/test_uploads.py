"""Uploads are checked by content, not by name, and by size."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pantau.core.uploads import safe_name, sniff, validate_document


@pytest.mark.parametrize(
    ("head", "kind"),
    [(b"%PDF-1.7", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff\xe0", "jpeg"), (b"GIF89a", "gif"),
     (b"RIFF\x00\x00\x00\x00WEBP", "webp"), (b"PK\x03\x04", "zip"), (b"<html>", None), (b"", None)],
)
def test_sniff_tells_types_by_their_first_bytes(head, kind):
    assert sniff(head) == kind


def test_an_executable_named_pdf_is_refused(settings):
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00"))


def test_an_html_file_is_refused_whatever_its_content():
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("page.html", b"%PDF-1.4"))


def test_a_real_png_passes():
    validate_document(SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10))


def test_safe_names_drop_paths_and_spaces():
    name = safe_name("../../etc/pass wd.pdf")
    assert "/" not in name and " " not in name and name.endswith("-pass_wd.pdf")


def test_a_sheet_declaring_a_million_rows_is_read_within_bounds():
    """A few-kilobyte sheet can claim A1:XFD1048576; readers stop at their bounds and after a run of blanks."""
    import io

    from openpyxl import Workbook, load_workbook

    from pantau.core.spreadsheets import MAX_BLANK_RUN, bounded_rows, safe_append

    wb = Workbook()
    ws = wb.active
    safe_append(ws, ["a", "=HYPERLINK(\"http://x\")", "ctl\x01x"])
    ws.cell(row=1_000_000, column=16_000, value="far away")
    buffer = io.BytesIO()
    wb.save(buffer)
    assert ws["B1"].data_type == "s" and ws["C1"].value == "ctlx"
    sheet = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True).worksheets[0]
    rows = list(bounded_rows(sheet, max_rows=10**6, max_cols=5))
    # the data row, then 999 blanks: the 1000th blank in a row ends the reading before it is yielded
    assert len(rows) == 1 + (MAX_BLANK_RUN - 1)
    assert all(len(values) <= 5 for _, values in rows)


def test_long_names_keep_their_extension():
    from pantau.core.uploads import shorten_name

    long = "x" * 300 + ".pdf"
    assert safe_name(long).endswith("x.pdf") and len(safe_name(long)) <= 17 + 74
    assert shorten_name(long) == "x" * 196 + ".pdf"
    assert shorten_name("short.pdf") == "short.pdf"


def test_a_workbook_that_inflates_past_the_limit_is_refused_before_openpyxl_reads_it(settings):
    import io
    import zipfile

    import pytest

    from pantau.core import spreadsheets

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "A" * (spreadsheets.MAX_UNZIPPED_BYTES + 1))
    assert len(buffer.getvalue()) < 1_000_000  # a small upload that unzips to more than 50 MiB
    with pytest.raises(spreadsheets.WorkbookTooLarge):
        spreadsheets.open_workbook(buffer.getvalue())

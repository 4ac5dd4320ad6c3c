"""Import from other channels: all or nothing, every bad row listed with its row, column and reason; the template and
the export (identity masked)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pantau.complaints.imports import COLUMNS, import_complaints
from pantau.complaints.models import Complaint
from pantau.complaints.tests.conftest import PLANTED, at, submit

HEADER = ";".join(COLUMNS)


def _csv(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_a_valid_csv_creates_every_complaint_with_a_code(cw):
    data = _csv(
        "sp4n_lapor;LPR-1;02/06/2025;Dukcapil;Penerbitan KTP-el;jangka_waktu_penyelesaian;Lambat;Sudah lama;"
        "Siti Aminah;1504014107880042;0812 9988 7766;siti@example.net;ya",
        "surat;;3 Juni 2025;DPMPTSP;;;Izin;Belum terbit;Ahmad;;;;tidak",
    )
    result = import_complaints(actor=cw.coordinator, file=data, file_name="lapor.csv")
    assert result.ok and len(result.created) == 2
    first, second = (s.complaint for s in result.created)
    assert (first.channel, first.external_ticket, first.service, first.confidential) == (
        "sp4n_lapor", "LPR-1", cw.ktp, True)
    assert (second.channel, second.unit, str(second.received_on)) == ("letter", cw.dpmptsp, "2025-06-03")
    assert first.identity.phone == "081299887766"


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_problem(cw):
    data = _csv(
        "merpati pos;;02/06/2025;Dukcapil;;;Lambat;Sudah lama;Siti;;;;",          # row 2: channel
        "sp4n_lapor;;31/02/2025;Dinas Antah;;;Lambat;Sudah lama;Siti;123;;x@;mungkin",  # row 3: six problems
        "phone;;02/06/2025;Dukcapil;;;;Sudah lama;Siti;;;;",                      # row 4: empty subject
        "phone;;02/06/2025;Dukcapil;;;Lambat;Sudah lama;Siti;;;;",                # row 5: valid
    )
    result = import_complaints(actor=cw.officer, file=data, file_name="campur.csv")
    found = sorted((e.row, e.column) for e in result.errors)
    assert found == [(2, "channel"), (3, "confidential"), (3, "email"), (3, "external_ticket"), (3, "nik"),
                     (3, "received_on"), (3, "unit"), (4, "subject")]
    assert not Complaint.objects.exists()


def test_an_officer_imports_only_for_units_they_handle(cw):
    result = import_complaints(actor=cw.officer, file=_csv("phone;;02/06/2025;DPMPTSP;;;Izin;x;Ahmad;;;;"),
                               file_name="a.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "unit")] and not Complaint.objects.exists()


def test_unknown_and_missing_columns_are_reported_on_row_one(cw):
    result = import_complaints(actor=cw.coordinator, file=b"channel;colour\nphone;red\n", file_name="a.csv")
    columns = sorted(e.column for e in result.errors if e.row == 1)
    assert columns == ["colour", "description", "name", "received_on", "subject", "unit"]


def test_an_xlsx_with_an_excel_date_imports(cw):
    wb = Workbook()
    ws = wb.active
    ws.title = "Complaints"
    ws.append(list(COLUMNS))
    ws.append(["walk_in", None, 45810, "Kecamatan Mersam", None, None, "Antre", "Lama", "Rina", None, None, None,
               None])  # 45810 = 2 Jun 2025 in Excel's 1900 system
    out = io.BytesIO()
    wb.save(out)
    result = import_complaints(actor=cw.coordinator, file=out.getvalue(), file_name="a.xlsx")
    assert result.ok and str(result.created[0].complaint.received_on) == "2025-06-02"


def test_the_import_page_shows_codes_once_or_the_error_table(client, cw):
    client.force_login(cw.coordinator)
    good = SimpleUploadedFile("a.csv", _csv("phone;;02/06/2025;Dukcapil;;;Lambat;x;Siti;;;;"))
    body = client.post(reverse("complaints:complaint_import"), {"file": good}).content.decode()
    assert 'id="import-done"' in body and Complaint.objects.get().reference in body
    bad = SimpleUploadedFile("b.csv", _csv("phone;;02/06/2025;Dukcapil;;;;x;Siti;;;;"))
    response = client.post(reverse("complaints:complaint_import"), {"file": bad})
    assert response.status_code == 400 and 'id="import-errors"' in response.content.decode()
    template = client.get(reverse("complaints:import_template"))
    header = list(load_workbook(io.BytesIO(template.content))["Pengaduan"].iter_rows(values_only=True))[0]
    assert header == ("Kanal", "Nomor Tiket Kanal", "Tanggal Diterima", "Unit", "Layanan", "Komponen Standar",
                      "Pokok Pengaduan", "Uraian", "Nama Pengadu", "NIK", "Telepon", "Surel", "Rahasiakan Identitas")


def test_the_indonesian_template_filled_in_imports(cw):
    from pantau.complaints.imports import template_workbook

    wb = load_workbook(io.BytesIO(template_workbook()))
    wb["Pengaduan"].append(["telepon", None, "2 Juni 2025", "Kecamatan Mersam", None, None, "Antre", "Lama", "Rina",
                            None, None, None, "tidak"])
    out = io.BytesIO()
    wb.save(out)
    result = import_complaints(actor=cw.coordinator, file=out.getvalue(), file_name="pengaduan.xlsx")
    assert result.ok, result.errors
    assert str(result.created[0].complaint.received_on) == "2025-06-02"
    assert result.read == "Sheet “Pengaduan”, rows 2 to 2 (1 row read)."


def test_the_export_masks_the_complainant_and_leaves_out_the_description(client, cw):
    complaint = submit(cw.regency, service=cw.ktp, now=at(2025, 6, 2), description="Cerita rahasia",
                       **PLANTED).complaint
    client.force_login(cw.officer)
    response = client.get(reverse("complaints:complaint_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == complaint.reference and rows[1][-2] == "Z••• Q•••"
    assert "Cerita rahasia" not in str(rows)

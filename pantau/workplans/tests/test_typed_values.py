"""Money, decimals and dates are stored as the user meant them in the action and progress-report forms, the API and
the Excel importer (issue 9), and unusual progress needs an explicit confirmation in the write path.

Conventions (core.typed_input): in the Indonesian interface (the default) the dot groups thousands and the comma is
the decimal mark (PUEBI), so "450.000" is 450000 rupiah and "70,5" is 70.5; dates are day first. The API takes
machine notation only. Expected values are written by hand; refusals are checked word for word, in the language of
the page.
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from pantau.audit.models import AuditAction, AuditEntry
from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans import xlsx
from pantau.workplans.models import Action, ProgressReport


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def browser(user, language="id"):
    """A logged-in client whose language cookie is set as the ID/EN switch sets it."""
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def action_form(world, **overrides):
    data = {
        "code": "9", "title": "Buka loket pengaduan", "description": "", "finding": "", "parent": "",
        "start_date": "1 Februari 2021", "due_date": "31/10/2021", "responsible_unit": str(world.dpmptsp.pk),
        "pic_position": "Kepala Dinas", "budget_planned": "450.000", "budget_source": "APBD", "fiscal_year": "2021",
        "indicator_name": "Layanan dengan standar terbit", "indicator_unit": "persen", "baseline": "25",
        "target": "100", "weight": "",
    }
    data.update(overrides)
    return data


def percent_action(world, **overrides):
    """An action of Dukcapil measured in percent from 25 to 100 (the issue's "25-100 indicator"), budget Rp 15 juta,
    from 1 January 2021."""
    values = {"indicator_unit": "persen", "baseline": Decimal("25"), "target": Decimal("100"), **overrides}
    return wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, **values))


def report_form(**overrides):
    data = {"report_date": "1 Maret 2021", "actual_value": "70,5", "narrative": "Standar diterbitkan",
            "amount_spent": "450.000"}
    data.update(overrides)
    return data


def errors_of(response, field):
    return [str(message) for message in response.context["form"].errors.get(field, [])]


# ---------------------------------------------------------------------------------------------------------------
# The action form, in Indonesian (the default language)


@pytest.mark.parametrize(("typed", "stored"), [
    ("450.000", 450_000), ("Rp 450.000", 450_000), ("Rp. 1.500.000,-", 1_500_000), ("1.500.000,00", 1_500_000),
    ("450000", 450_000), ("1 500 000", 1_500_000),
])
def test_typed_rupiah_are_stored_as_meant(world, typed, stored):
    response = browser(world.coordinator).post(reverse("workplans:action_create", args=[world.plan.pk]),
                                               action_form(world, budget_planned=typed))

    assert response.status_code == 302
    assert Action.objects.get(code="9").budget_planned == stored


def test_the_page_says_what_was_stored_after_saving(world):
    response = browser(world.coordinator).post(reverse("workplans:action_create", args=[world.plan.pk]),
                                               action_form(world, baseline="25", target="70,5"), follow=True)

    action = Action.objects.get(code="9")
    assert (action.start_date, action.due_date) == (dt.date(2021, 2, 1), dt.date(2021, 10, 31))
    assert (action.budget_planned, action.baseline, action.target) == (450_000, Decimal("25.00"), Decimal("70.50"))
    html = response.content.decode()
    assert ("Aksi dibuat: 1 Februari 2021 – 31 Oktober 2021, rencana anggaran Rp 450.000, indikator 25,00 → "
            "70,50.") in html
    assert '<dd class="money">Rp 450.000</dd>' in html


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("budget_planned", "1,500,000", "“1,500,000” tidak ditulis dengan cara Indonesia, yang memakai koma sebagai "
                                    "tanda desimal dan titik sebagai pemisah ribuan: maksud Anda 1.500.000?"),
    ("budget_planned", "450.000,50", "“450.000,50” bukan jumlah rupiah yang bulat: jumlah uang ditulis dalam rupiah "
                                     "utuh, tanpa sen."),
    ("budget_planned", "lima ratus ribu", "“lima ratus ribu” bukan jumlah uang: tulis rupiah utuh, misalnya "
                                          "Rp 1.500.000."),
    ("target", "1.500", "“1.500” dapat dibaca sebagai 1500 atau 1,5: tulislah tanpa pemisah ribuan."),
    ("target", "70,505", "“70,505” memiliki lebih dari 2 angka desimal."),
    ("start_date", "08/31/2021", "“08/31/2021” bukan tanggal: tanggal ditulis dengan hari lebih dahulu "
                                 "(DD/MM/YYYY); maksud Anda 31 Agustus 2021?"),
    ("start_date", "31/02/2021", "“31/02/2021” bukan tanggal yang ada di kalender."),
    ("start_date", "31/08/21", "“31/08/21” tidak memakai tahun empat angka: tulis misalnya 31 Agustus 2024."),
])
def test_what_cannot_be_read_as_meant_is_refused_with_the_reason_and_nothing_is_saved(world, field, typed, message):
    client = browser(world.coordinator)
    entries = AuditEntry.objects.count()

    response = client.post(reverse("workplans:action_create", args=[world.plan.pk]),
                           action_form(world, **{field: typed}))

    assert response.status_code == 200
    assert errors_of(response, field) == [message]
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_the_english_interface_reads_english_notation_and_names_both_readings_of_an_ambiguous_amount(world):
    client = browser(world.coordinator, language="en")
    url = reverse("workplans:action_create", args=[world.plan.pk])

    ambiguous = client.post(url, action_form(world, budget_planned="450.000", start_date="2021-02-01"))
    assert errors_of(ambiguous, "budget_planned") == [
        "“450.000” can be read as 450 or as 450000: write it without thousands separators."]
    assert Action.objects.count() == 0

    client.post(url, action_form(world, budget_planned="1,500,000", target="70.5", start_date="1 February 2021"))
    action = Action.objects.get(code="9")
    assert (action.budget_planned, action.target, action.start_date) == (1_500_000, Decimal("70.50"),
                                                                         dt.date(2021, 2, 1))


def test_inputs_are_text_with_a_keyboard_hint_never_number_or_date(world):
    html = browser(world.coordinator).get(reverse("workplans:action_create", args=[world.plan.pk])).content.decode()

    assert 'type="number"' not in html and 'type="date"' not in html
    assert ('<input type="text" name="budget_planned" inputmode="numeric" data-typed="money" autocomplete="off" '
            'required aria-describedby="id_budget_planned_helptext" id="id_budget_planned">') in html
    assert ('<small class="help" id="id_budget_planned_helptext">Rupiah bulat, misalnya 450.000 atau Rp 450.000 '
            '(titik memisahkan ribuan).</small>') in html
    assert 'name="baseline" inputmode="decimal" data-typed="decimal" autocomplete="off" data-places="2"' in html
    assert 'name="start_date" data-typed="date" autocomplete="off"' in html
    assert '<script src="/static/pantau/typed-input.js" defer></script>' in html
    assert '<body data-read-label="Dibaca sebagai:">' in html


def test_the_edit_form_shows_stored_values_as_people_write_them_and_an_unchanged_save_keeps_them(world):
    action = percent_action(world, budget_planned=450_000, weight=Decimal("1234.5"))
    client = browser(world.coordinator)
    url = reverse("workplans:action_edit", args=[action.pk])

    form = client.get(url).context["form"]
    shown = {name: form[name].value() for name in ("budget_planned", "baseline", "weight", "start_date")}
    html = client.get(url).content.decode()
    assert 'value="450.000"' in html and 'value="1.234,50"' in html and 'value="1 Januari 2021"' in html

    data = {name: form[name].value() for name in form.fields}
    data.update({"parent": "", "supporting_units": [], "responsible_unit": str(action.responsible_unit_id),
                 "budget_planned": "450.000", "baseline": "25,00", "target": "100,00", "weight": "1.234,50",
                 "start_date": "1 Januari 2021", "due_date": "31 Desember 2021", "is_sample": ""})
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.budget_planned, action.baseline, action.weight, action.start_date) == (
        450_000, Decimal("25.00"), Decimal("1234.50"), dt.date(2021, 1, 1))
    assert shown["budget_planned"] == 450_000  # the bound value is the stored int; the widget writes "450.000"


# ---------------------------------------------------------------------------------------------------------------
# The progress-report form


def test_seventy_and_a_half_is_stored_as_seventy_and_a_half_and_said_back(world):
    action = percent_action(world)

    response = browser(world.officer).post(reverse("workplans:action_report", args=[action.pk]), report_form(),
                                           follow=True)

    report = ProgressReport.objects.get()
    assert (report.actual_value, report.amount_spent, report.report_date) == (Decimal("70.50"), 450_000,
                                                                               dt.date(2021, 3, 1))
    action.refresh_from_db()
    # (70.5 - 25) / (100 - 25) = 45.5 / 75 = 60.67 %
    assert action.reported_progress == Decimal("60.67")
    assert ("Laporan kemajuan dikirim untuk verifikasi: tanggal laporan 1 Maret 2021, nilai capaian baru 70,50 "
            "persen, dana yang digunakan Rp 450.000.") in response.content.decode()


def test_705_on_a_25_to_100_percent_indicator_needs_a_confirmation_then_is_stored(world):
    action = percent_action(world)
    client = browser(world.officer)
    url = reverse("workplans:action_report", args=[action.pk])

    refused = client.post(url, report_form(actual_value="705"))

    assert ProgressReport.objects.count() == 0
    # 705 > 100 + (100 - 25) = 175, and a percentage above 100
    assert errors_of(refused, "actual_value") == [
        "Nilai capaian baru 705,00 jauh di luar rentang indikator (nilai awal 25,00, target 100,00): melampauinya "
        "lebih dari seluruh jarak nilai awal ke target. Periksa tanda desimalnya: 70,5 berarti tujuh puluh koma lima.",
        "Nilai capaian baru 705,00 di luar 0-100, padahal indikator diukur dalam persen.",
    ]
    assert errors_of(refused, "confirm") == [
        'Nilai-nilai ini tampak tidak lazim: periksa, lalu konfirmasikan untuk tetap mengirim laporan.']
    assert '<input type="checkbox" name="confirm"' in refused.content.decode()

    accepted = client.post(url, report_form(actual_value="705", confirm="on"))

    assert accepted.status_code == 302
    assert ProgressReport.objects.get().actual_value == Decimal("705.00")
    entry = AuditEntry.objects.get(action=AuditAction.REPORT_PROGRESS)
    assert "nilai tidak lazim yang dikonfirmasi: Nilai capaian baru 705,00 jauh di luar rentang" in entry.note


def test_money_spent_without_budget_and_a_report_before_the_start_need_a_confirmation(world):
    action = percent_action(world, budget_planned=0, budget_source="none", start_date=dt.date(2021, 3, 1))

    refused = browser(world.officer).post(reverse("workplans:action_report", args=[action.pk]),
                                          report_form(report_date="28/02/2021"))

    assert errors_of(refused, "amount_spent") == ["Rp 450.000 digunakan pada aksi tanpa rencana anggaran."]
    assert errors_of(refused, "report_date") == [
        "Laporan bertanggal 28 Februari 2021, sebelum aksi dimulai (1 Maret 2021)."]
    assert ProgressReport.objects.count() == 0


def test_a_typed_actual_value_that_cannot_be_read_is_refused(world):
    action = percent_action(world)

    refused = browser(world.officer).post(reverse("workplans:action_report", args=[action.pk]),
                                          report_form(actual_value="70,5%", amount_spent="1,500,000"))

    assert errors_of(refused, "actual_value") == ["“70,5%” bukan angka: tulis misalnya 70,5."]
    assert errors_of(refused, "amount_spent") == [
        "“1,500,000” tidak ditulis dengan cara Indonesia, yang memakai koma sebagai tanda desimal dan titik sebagai "
        "pemisah ribuan: maksud Anda 1.500.000?"]
    assert ProgressReport.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------------
# The API: JSON numbers or plain digit strings; text with separators refused naming the field


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def action_body(world, **overrides):
    body = {
        "work_plan": world.plan.pk, "code": "9", "title": "Loket pengaduan", "start_date": "2021-02-01",
        "due_date": "2021-10-31", "responsible_unit": world.dpmptsp.pk, "pic_position": "Kepala Dinas",
        "budget_source": "APBD", "indicator_name": "Loket", "indicator_unit": "persen", "baseline": 25,
        "target": 100,
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(("sent", "stored"), [(450000, 450_000), ("450000", 450_000), (450000.0, 450_000)])
def test_api_money_is_a_json_integer_or_plain_digits(world, sent, stored):
    response = api(world.coordinator).post("/api/v1/actions/", action_body(world, budget_planned=sent), format="json")

    assert response.status_code == 201
    assert response.json()["budget_planned"] == stored
    assert Action.objects.get().budget_planned == stored


@pytest.mark.parametrize(("field", "sent", "message"), [
    ("budget_planned", "450.000", "“450.000” is not accepted for budget_planned: send whole rupiah as a JSON integer "
                                  "without separators or currency, e.g. 450000."),
    ("budget_planned", "Rp 450.000", "“Rp 450.000” is not accepted for budget_planned: send whole rupiah as a JSON "
                                     "integer without separators or currency, e.g. 450000."),
    ("budget_planned", 450000.5, "“450000.5” is not a whole number of rupiah: amounts are in whole rupiah, without "
                                 "sen."),
    ("baseline", "70,5", "“70,5” is not accepted for baseline: the API takes JSON numbers with a dot as the decimal "
                         "mark and no thousands separators, e.g. 70.5."),
    ("start_date", "31/08/2021", "“31/08/2021” is not accepted for start_date: send the date as YYYY-MM-DD, e.g. "
                                 "2024-08-31."),
])
def test_api_text_written_for_people_is_refused_naming_the_field(world, field, sent, message):
    with translation.override("en"):
        response = api(world.coordinator).post("/api/v1/actions/", action_body(world, **{field: sent}), format="json",
                                               HTTP_COOKIE="django_language=en")

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert Action.objects.count() == 0


def test_api_progress_report_reads_70_5_and_needs_confirm_for_705(world):
    action = percent_action(world)
    client = api(world.officer)
    body = {"action": action.pk, "report_date": "2021-03-01", "actual_value": 70.5, "narrative": "n",
            "amount_spent": 450000}

    assert client.post("/api/v1/progress-reports/", body, format="json").json()["actual_value"] == "70.50"
    comma = client.post("/api/v1/progress-reports/", {**body, "actual_value": "70,5"}, format="json")
    assert comma.status_code == 400 and list(comma.json()) == ["actual_value"]

    unusual = client.post("/api/v1/progress-reports/", {**body, "actual_value": 705}, format="json")
    assert unusual.status_code == 400
    assert sorted(unusual.json()) == ["actual_value", "confirm"]
    assert ProgressReport.objects.count() == 1

    confirmed = client.post("/api/v1/progress-reports/", {**body, "actual_value": 705, "confirm": True},
                            format="json")
    assert confirmed.status_code == 201
    assert sorted(ProgressReport.objects.values_list("actual_value", flat=True)) == [Decimal("70.50"),
                                                                                     Decimal("705.00")]


def test_api_multipart_reports_take_plain_digits_and_dotted_decimals(world):
    action = percent_action(world)
    response = api(world.officer).post("/api/v1/progress-reports/", {
        "action": action.pk, "report_date": "2021-03-01", "actual_value": "70.5", "narrative": "n",
        "amount_spent": "450000"}, format="multipart")

    assert response.status_code == 201
    assert (response.json()["actual_value"], response.json()["amount_spent"]) == ("70.50", 450000)


# ---------------------------------------------------------------------------------------------------------------
# The Excel importer (Indonesian headers of the template; the English keys of older files still read)


def template_rows(world, rows, *, hidden=False, formats=None):
    """The plan's template filled with ``rows`` (lists in the template's column order)."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.build_template(world.plan)))
    ws = wb["Rencana Aksi"]
    for values in rows:
        ws.append(values)
    for coordinate, number_format in (formats or {}).items():
        ws[coordinate].number_format = number_format
    if hidden:
        ws.sheet_state = "hidden"
        wb.active = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(code, *, start="31 Agustus 2024", due="31/12/2024", budget="Rp 450.000", baseline=25, target=100):
    return [code, None, "Terbitkan standar", None, None, start, due, "Dukcapil", "Kepala Dinas", None, budget,
            "APBD", 2024, "Layanan", "persen", baseline, target, None]


def test_the_importer_reads_indonesian_cells_as_meant(world):
    content = template_rows(world, [
        row("1"),
        row("2", start=45535, due=dt.date(2024, 12, 31), budget=1_500_000),
        row("3", start="2024-08-31", budget="1.500.000,-", baseline=0.255, target="70,5"),
    ], formats={"P4": "0.0%"})

    with translation.override("id"):
        result = xlsx.import_actions(actor=world.coordinator, work_plan=world.plan, file=content)

    assert result.errors == []
    assert result.source == "Lembar “Rencana Aksi”, baris 2 sampai 4 (3 baris dibaca)."
    stored = {a.code: (a.start_date, a.budget_planned, a.baseline, a.target) for a in Action.objects.all()}
    assert stored == {
        "1": (dt.date(2024, 8, 31), 450_000, Decimal("25.00"), Decimal("100.00")),
        "2": (dt.date(2024, 8, 31), 1_500_000, Decimal("25.00"), Decimal("100.00")),  # serial 45535
        "3": (dt.date(2024, 8, 31), 1_500_000, Decimal("25.50"), Decimal("70.50")),  # 25.5 % cell, "70,5"
    }


def test_the_importer_refuses_1_500_000_and_a_formula_without_value_naming_the_cells(world):
    content = template_rows(world, [row("1", budget="1,500,000"), row("2", budget="=100000*4,5")])

    with translation.override("id"):
        result = xlsx.import_actions(actor=world.coordinator, work_plan=world.plan, file=content)

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "budget_planned", "“1,500,000” tidak ditulis dengan cara Indonesia, yang memakai koma sebagai tanda "
                              "desimal dan titik sebagai pemisah ribuan: maksud Anda 1.500.000?"),
        (3, "budget_planned", "Sel K3 berisi rumus tanpa nilai hasil hitung (berkas disimpan oleh program yang tidak "
                              "menghitung rumus): buka berkas di Excel lalu simpan kembali, atau ketik nilainya."),
    ]
    assert Action.objects.count() == 0


def test_the_importer_never_reads_a_hidden_actions_sheet(world):
    content = template_rows(world, [row("1")], hidden=True)

    with translation.override("id"):
        result = xlsx.import_actions(actor=world.coordinator, work_plan=world.plan, file=content)

    assert [e.message for e in result.errors] == [
        "Lembar “Rencana Aksi” tersembunyi: Pantau tidak pernah membaca lembar tersembunyi. Tampilkan lembar itu di "
        "Excel (klik kanan tab lembar, Unhide/Tampilkan) lalu unggah kembali berkasnya."]
    assert Action.objects.count() == 0


def test_an_export_re_imports_unchanged(world):
    percent_action(world, budget_planned=450_000, target=Decimal("70.5"))
    content = xlsx.export_actions(actor=world.coordinator, work_plan=world.plan)

    result = xlsx.import_actions(actor=world.coordinator, work_plan=world.plan, file=content)

    assert result.errors == [] and (result.created, result.updated, result.unchanged) == (0, 0, 1)

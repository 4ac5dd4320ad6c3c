"""The three method editions are data loaded by a reversible migration, with the values of domain/rules.md tables
B, C and D; an Ombudsman admin may correct a provisional band in the admin, audited."""

import importlib
from decimal import Decimal as D

from django.apps import apps

from pantau.assessments.models import Band, ComplianceResult, MethodEdition
from pantau.audit.models import AuditEntry


def bands(code):
    edition = MethodEdition.objects.get(code=code)
    return [(b.code, b.zone, b.lower_bound, b.is_provisional) for b in edition.bands.order_by("-lower_bound")]


def test_each_assessment_year_has_its_edition(db):
    assert MethodEdition.objects.for_year(2014) is None
    assert {MethodEdition.objects.for_year(y).code for y in range(2015, 2022)} == {"ombudsman-2015"}
    assert {MethodEdition.objects.for_year(y).code for y in (2022, 2023, 2024)} == {"ombudsman-2022"}
    assert MethodEdition.objects.for_year(2025).code == "ombudsman-2025"
    assert MethodEdition.objects.for_year(2031).code == "ombudsman-2025"  # open-ended until a new edition


def test_the_old_method_has_three_sourced_zones(db):
    assert bands("ombudsman-2015") == [
        ("hijau", "hijau", D("81.00"), False), ("kuning", "kuning", D("51.00"), False),
        ("merah", "merah", D("0.00"), False),
    ]
    assert MethodEdition.objects.get(code="ombudsman-2015").components_percent_until == 2015


def test_the_2022_edition_has_four_weighted_dimensions_and_provisional_categories(db):
    edition = MethodEdition.objects.get(code="ombudsman-2022")
    assert edition.weights() == {"input": D("21.85"), "proses": D("32.37"), "output": D("24.24"),
                                 "pengaduan": D("21.54")}
    assert sum(edition.weights().values()) == D("100.00")
    assert bands("ombudsman-2022") == [
        ("A", "hijau", D("88.00"), True), ("B", "hijau", D("78.00"), True), ("C", "kuning", D("54.00"), True),
        ("D", "merah", D("32.00"), True), ("E", "merah", D("0.00"), True),
    ]
    assert [b.label for b in edition.bands.order_by("-lower_bound")] == [
        "Kualitas Tertinggi", "Kualitas Tinggi", "Kualitas Sedang", "Kualitas Rendah", "Kualitas Terendah"
    ]


def test_the_2025_edition_weighs_public_trust_30_percent_and_has_a_black_zone(db):
    edition = MethodEdition.objects.get(code="ombudsman-2025")
    assert edition.weights() == {"dimensi": D("70.00"), "kepercayaan": D("30.00")}
    assert edition.regulation == "Peraturan Ombudsman 61/2025"
    assert bands("ombudsman-2025") == [
        ("hijau_88", "hijau", D("88.00"), True), ("hijau_78", "hijau", D("78.00"), True),
        ("kuning", "kuning", D("54.00"), True), ("merah", "merah", D("32.00"), True),
        ("hitam", "hitam", D("0.00"), True),
    ]


def test_the_data_migration_reverses_and_reloads(db):
    migration = importlib.import_module("pantau.assessments.migrations.0002_method_editions")
    migration.unload(apps, None)
    assert MethodEdition.objects.count() == 0
    assert Band.objects.count() == 0
    migration.load(apps, None)
    migration.load(apps, None)  # idempotent
    assert MethodEdition.objects.count() == 3
    assert Band.objects.count() == 13


def test_an_ombudsman_admin_corrects_a_provisional_bound_in_the_admin_and_it_is_audited(world, client):
    band = Band.objects.get(edition__code="ombudsman-2022", code="C")
    client.force_login(world.superuser)
    response = client.post(f"/admin/assessments/band/{band.pk}/change/", {
        "edition": band.edition_id, "code": "C", "label": band.label, "zone": "kuning", "lower_bound": "56.00",
        "is_provisional": "on", "source_note": band.source_note,
    })
    assert response.status_code == 302
    band.refresh_from_db()
    assert band.lower_bound == D("56.00")
    entry = AuditEntry.objects.filter(object_id=str(band.pk), action="update").get()
    assert (entry.before["lower_bound"], entry.after["lower_bound"]) == ("54.00", "56.00")
    assert ComplianceResult.objects.count() == 0

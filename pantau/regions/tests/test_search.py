"""Region search folds case, apostrophe variants (' ’ ʼ ` ´) and spacing: "Sa’dan" finds "Sa'dan" and "Regapu'u"
finds "Regapu’u" (both spellings are in the Kemendagri file, data/wilayah/wilayah.csv), whatever the user typed."""

import pytest
from rest_framework.test import APIClient

from pantau.conftest import make_region
from pantau.regions.actions import import_regions
from pantau.regions.models import Region


@pytest.fixture
def toraja(db):
    """Regions spelled with the ASCII apostrophe (Sa'dan) and the right single quotation mark (Regapu’u), as in the
    Kemendagri file."""
    for code, name in [("73", "Sulawesi Selatan"), ("73.26", "Kabupaten Toraja Utara"), ("73.26.06", "Sa'dan"),
                       ("73.26.06.1002", "Sa'dan Malimbong"), ("53", "Nusa Tenggara Timur"),
                       ("53.07", "Kabupaten Sikka"), ("53.07.01", "Paga"), ("53.07.01.2021", "Regapu’u"),
                       ("15", "Jambi"), ("15.04", "Kabupaten Batanghari")]:
        make_region(code, name)


def codes(query):
    return [r["code"] for r in APIClient().get("/api/v1/regions/", query).json()["results"]]


@pytest.mark.parametrize("typed", ["Sa'dan", "Sa’dan", "Saʼdan", "Sa`dan", "Sa´dan", "sa ' dan", "SA’DAN", "sa'dan  "])
def test_every_apostrophe_variant_finds_sadan(toraja, typed):
    assert codes({"q": typed}) == ["73.26.06", "73.26.06.1002"]


@pytest.mark.parametrize("typed", ["Regapu'u", "regapu’u", "Regapu`u"])
def test_a_name_stored_with_a_curly_apostrophe_is_found_with_any_variant(toraja, typed):
    assert codes({"q": typed}) == ["53.07.01.2021"]


def test_spacing_is_folded_and_search_is_an_alias_of_q(toraja):
    # The Kemendagri file writes "Batanghari"; people also write "Batang Hari"
    assert codes({"q": "Batang  Hari"}) == ["15.04"]
    assert codes({"search": "batang hari"}) == ["15.04"]
    assert codes({"q": "Sa'dan Mal"}) == ["73.26.06.1002"]


def test_the_folded_name_is_kept_by_save_and_by_the_loader(db, tmp_path):
    region = make_region("73", "Sulawesi Selatan")
    region.name = "Sa’dan  Baru"
    region.save(update_fields=["name"])
    assert Region.objects.get(code="73").name_folded == "sa'danbaru"
    path = tmp_path / "regions.csv"
    path.write_text("code,name,level,parent_code\n73,Sulawesi Selatan,1,\n73.26,Kabupaten Toraja Utara,2,73\n"
                    "73.26.06,Sa’dan,3,73.26\n", encoding="utf-8")
    import_regions(path)
    assert dict(Region.objects.values_list("code", "name_folded")) == {
        "73": "sulawesiselatan", "73.26": "kabupatentorajautara", "73.26.06": "sa'dan",
    }

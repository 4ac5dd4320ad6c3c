"""Pure completeness rules (domain/rules.md section 1.4) on the two real standards; null is "not available"."""

import json
from pathlib import Path

import pytest

from pantau.standards.completeness import NO_STANDARD, ComponentState, evaluate, is_present, roll_up
from pantau.standards.components import ALL_COMPONENTS, DELIVERY_COMPONENTS, MANAGEMENT_COMPONENTS, group_of

DATA = Path(__file__).parent / "data"
TANJABBAR = json.loads((DATA / "standar_pelayanan_tanjabbar_dpmptsp_izin_praktik_dokter_hewan.json").read_text())
AMPENAN = json.loads((DATA / "standar_pelayanan_ref_kec_ampenan_permintaan_data.json").read_text())


def states(data, published=False):
    return {code: ComponentState(present=is_present(value), published=published)
            for code, value in data["components"].items()}


def test_there_are_14_components_6_delivered_and_8_managed():
    assert len(ALL_COMPONENTS) == 14
    assert len(DELIVERY_COMPONENTS) == 6 and len(MANAGEMENT_COMPONENTS) == 8
    assert set(DELIVERY_COMPONENTS) | set(MANAGEMENT_COMPONENTS) == set(ALL_COMPONENTS)
    assert group_of("biaya_tarif") == "delivery" and group_of("dasar_hukum") == "management"
    # the JSON layout of the shared data uses exactly these 14 keys
    assert set(TANJABBAR["components"]) == set(ALL_COMPONENTS) == set(AMPENAN["components"])


@pytest.mark.parametrize(("content", "present"), [
    (None, False), ("", False), ("  ", False), ([], False), ({}, False), ("Gratis", True), (["Surat"], True),
    ({"langsung": "Petugas"}, True),
])
def test_a_component_is_present_when_available_and_not_empty(content, present):
    assert is_present(content) is present


def test_the_partial_tanjabbar_standard_has_2_of_14_components():
    result = evaluate(states(TANJABBAR))
    assert result.present_count == 2  # dasar_hukum and persyaratan; the other 12 are null in the source
    assert result.missing == tuple(c for c in ALL_COMPONENTS if c not in ("dasar_hukum", "persyaratan"))
    assert (result.sp_complete, result.sp_publishable_ok) == (False, False)
    assert result.unpublished_delivery == ("persyaratan",)


def test_the_ampenan_standard_lacks_only_the_14th_component_and_publishes_all_6_delivery_components():
    result = evaluate(states(AMPENAN, published=True))
    assert result.present_count == 13
    assert result.missing == ("evaluasi_kinerja_pelaksana",)
    assert (result.sp_complete, result.sp_publishable_ok) == (False, True)


def test_a_complete_standard_published_to_users_passes_both_rules():
    result = evaluate({code: ComponentState(present=True, published=code in DELIVERY_COMPONENTS)
                       for code in ALL_COMPONENTS})
    assert (result.sp_complete, result.sp_publishable_ok, result.present_count) == (True, True, 14)


def test_a_complete_but_unpublished_standard_fails_the_publication_rule():
    result = evaluate({code: ComponentState(present=True) for code in ALL_COMPONENTS})
    assert (result.sp_complete, result.sp_publishable_ok) == (True, False)
    assert result.unpublished_delivery == DELIVERY_COMPONENTS


def test_an_unknown_component_is_refused():
    with pytest.raises(KeyError):
        evaluate({"warna_seragam": ComponentState(True)})


def test_roll_up_counts_services_and_missing_components():
    rollup = roll_up([evaluate(states(AMPENAN, published=True)), evaluate(states(TANJABBAR)), NO_STANDARD])
    assert (rollup.services, rollup.complete, rollup.publishable_ok) == (3, 0, 1)
    assert rollup.missing_by_component["evaluasi_kinerja_pelaksana"] == 3
    assert rollup.missing_by_component["biaya_tarif"] == 2  # Tanjabbar (null) and the service without a standard
    assert "dasar_hukum" not in {k for k, v in rollup.missing_by_component.items() if v == 3}
    assert rollup.missing_by_component["dasar_hukum"] == 1
    assert not rollup.all_complete
    assert not roll_up([]).all_complete

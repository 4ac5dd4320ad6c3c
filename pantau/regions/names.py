"""Comparing a region's name as written in a file with its Kemendagri name (pure functions).

Files name regions in many ways: "Provinsi Jambi" for the province the Kemendagri list calls "Jambi", "Kab.
Batanghari", "Pemkab Batang Hari" or "Batanghari" for "Kabupaten Batanghari", "Sa’dan" for "Sa'dan". Two names are
the same region name when, once folded (``core.typed_input.fold_name``: case, apostrophe variants ' ’ ʼ ` ´, spacing)
and stripped of a prefix that fits the region's kind (province: "Provinsi", "Prov.", "Pemerintah Provinsi",
"Pemprov"; regency: "Kabupaten", "Kab.", "Pemerintah Kabupaten", "Pemkab"; city: "Kota", "Pemerintah Kota",
"Pemkot"; district: "Kecamatan", "Kec."; village: "Desa", "Kelurahan", "Kel."), they are equal without spaces. A
prefix of another kind is not stripped, so "Kota Jambi" is not the province Jambi (15) but the city 15.71: a
re-coded region (after a split, pemekaran) is caught when the code and the name disagree (domain/rules.md section 6).
"""

from pantau.core.typed_input import fold_name, search_key
from pantau.regions import codes

PREFIXES: dict[str, tuple[str, ...]] = {
    codes.PROVINCE: ("pemerintah provinsi", "pemprov", "provinsi", "prov.", "prov"),
    codes.REGENCY: ("pemerintah kabupaten", "pemkab", "kabupaten", "kab.", "kab"),
    codes.CITY: ("pemerintah kota", "pemkot", "kota"),
    codes.DISTRICT: ("kantor kecamatan", "kecamatan", "kec.", "kec"),
    codes.KELURAHAN: ("kantor kelurahan", "kelurahan", "kel.", "kel"),
    codes.DESA: ("pemerintah desa", "desa"),
    codes.DESA_ADAT: ("desa adat", "desa"),
}
"""Prefixes (folded) that may precede a region's own name, per kind (``regions.codes`` kinds)."""


def name_key(name: str, kind: str) -> str:
    """``name`` folded, without a prefix of ``kind`` and without spaces: "Kab. Batang Hari" -> "batanghari"."""
    folded = fold_name(name)
    for prefix in PREFIXES.get(kind, ()):
        if folded.startswith(prefix) and (prefix.endswith(".") or folded[len(prefix):len(prefix) + 1] == " "):
            folded = folded[len(prefix):]
            break
    return search_key(folded)


def same_region_name(given: str, official: str, kind: str) -> bool:
    """True when ``given`` names the region whose Kemendagri name is ``official`` and whose kind is ``kind``."""
    return bool(name_key(given, kind)) and name_key(given, kind) == name_key(official, kind)

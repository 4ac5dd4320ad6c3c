"""Load the three Ombudsman method editions from domain/rules.md tables B, C and D (sections 0.B-0.D, 2).

Bounds that rules.md marks UNCERTAIN are loaded with is_provisional=True; an Ombudsman admin may correct them in the
Django admin (audited). Reverse: delete the three editions (their dimensions and bands go with them).

Choice for the 2022-2024 category C lower bound (rules.md: "54 or 56", UNCERTAIN): 54.00. Reasons: the categories'
other inferred bounds (A 88, B 78, D 32) are exactly the 2025 scale of table D, whose kuning band starts at 54; the
lowest published C is 58.03 (Baubau 2022), so 54 and 56 classify every published result alike. Provisional.
"""

from decimal import Decimal

from django.db import migrations

ROUNDING = (
    "Decimal arithmetic; the weighted total is rounded half-up to 2 decimals and the 2-decimal score is compared "
    "with inclusive lower bounds. The official rounding rule is UNCERTAIN (domain/rules.md section 2.6)."
)
SRC_B = "domain/rules.md table B; https://langgam.id/penilaian-pelayanan-publik-ombudsman-dharmasraya-dan-payakumbuh-zona-hijau-pemprov-sumbar-zona-kuning"
SRC_C_DIM = (
    "domain/rules.md table C; https://id.scribd.com/document/658943013/1-10-Maret-2023-MATERI-EVALUASI-PEMPROV-JATIM-2023"
)
SRC_C_ZONE = (
    "domain/rules.md table C; category-zone mapping: https://sonora.id/read/423627266/pemprov-kalbar-raih-penghargaan-"
    "penilaian-kepatuhan-standar-pelayanan-publik-tahun-2022-dari-ombudsman-ri?page=2"
)
SRC_D = "domain/rules.md table D; https://suarapancasila.id/sekda-rejang-lebong-ikuti-zoom-meeting-seminar-opini-ombudsman"
SRC_D_DIM = "domain/rules.md table D; https://lampost.co/lampung/4-dimensi-penilaian-pelayanan-publik-ombudsman-di-lampung/"

EDITIONS = [
    {
        "code": "ombudsman-2015",
        "name": "Survei Kepatuhan Standar Pelayanan Publik (3 zona)",
        "valid_from": 2015,
        "valid_to": 2021,
        "regulation": "UU 25/2009 (standar pelayanan) and UU 37/2008 (Ombudsman); the survey instrument itself was "
        "not retrieved",
        "components_percent_until": 2015,
        "source_note": SRC_B + ". 2015 figures were percent of components fulfilled (data/ombudsman/README.md); "
        "bands for 2015-2018 not verified (zone_scheme.csv note).",
        "dimensions": [],
        "bands": [
            ("hijau", "Kepatuhan Tinggi", "hijau", "81.00", False, SRC_B),
            ("kuning", "Kepatuhan Sedang", "kuning", "51.00", False, SRC_B),
            ("merah", "Kepatuhan Rendah", "merah", "0.00", False, SRC_B),
        ],
    },
    {
        "code": "ombudsman-2022",
        "name": "Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik (4 dimensi, kategori A-E)",
        "valid_from": 2022,
        "valid_to": 2024,
        "regulation": "Ombudsman RI assessment instrument 2022-2024 (regulation text not retrieved; "
        "domain/rules.md table C)",
        "components_percent_until": None,
        "source_note": SRC_C_DIM + "; " + SRC_C_ZONE,
        "dimensions": [
            ("input", "Input (Kompetensi Pelaksana, Sarana Prasarana)", "21.85"),
            ("proses", "Proses (Penilaian Kepatuhan standar pelayanan)", "32.37"),
            ("output", "Output (Persepsi Maladministrasi)", "24.24"),
            ("pengaduan", "Pengaduan (Pengelolaan Pengaduan)", "21.54"),
        ],
        "bands": [
            ("A", "Kualitas Tertinggi", "hijau", "88.00", True,
             SRC_C_ZONE + ". UNCERTAIN: >= 88.00 vs >= 88.01."),
            ("B", "Kualitas Tinggi", "hijau", "78.00", True,
             SRC_C_ZONE + ". UNCERTAIN: evidence places the bound between 76.74 and 79.27; 78 as in table D."),
            ("C", "Kualitas Sedang", "kuning", "54.00", True,
             SRC_C_ZONE + ". UNCERTAIN: 54 or 56; 54 chosen to match table D (lowest published C: 58.03)."),
            ("D", "Kualitas Rendah", "merah", "32.00", True, SRC_C_ZONE + ". UNCERTAIN: about 32."),
            ("E", "Kualitas Terendah", "merah", "0.00", True, SRC_C_ZONE + ". UNCERTAIN: below about 32."),
        ],
    },
    {
        "code": "ombudsman-2025",
        "name": "Opini Ombudsman (Penilaian Maladministrasi Penyelenggaraan Pelayanan Publik)",
        "valid_from": 2025,
        "valid_to": None,
        "regulation": "Peraturan Ombudsman 61/2025",
        "components_percent_until": None,
        "source_note": SRC_D_DIM + "; " + SRC_D,
        "dimensions": [
            ("dimensi", "Input, Proses, Output, Pengaduan (together; their split is UNCERTAIN)", "70.00"),
            ("kepercayaan", "Kepercayaan Masyarakat", "30.00"),
        ],
        "bands": [
            ("hijau_88", "Zona Hijau (88-100)", "hijau", "88.00", True, SRC_D),
            ("hijau_78", "Zona Hijau (78-87,99)", "hijau", "78.00", True, SRC_D),
            ("kuning", "Zona Kuning", "kuning", "54.00", True,
             SRC_D + ". Printed as 54-79.99; read as 54-77.99 (typo)."),
            ("merah", "Zona Merah", "merah", "32.00", True, SRC_D),
            ("hitam", "Zona Hitam", "hitam", "0.00", True, SRC_D),
        ],
    },
]


def load(apps, schema_editor):
    MethodEdition = apps.get_model("assessments", "MethodEdition")
    Dimension = apps.get_model("assessments", "Dimension")
    Band = apps.get_model("assessments", "Band")
    for data in EDITIONS:
        edition, _created = MethodEdition.objects.update_or_create(
            code=data["code"],
            defaults={
                "name": data["name"], "valid_from": data["valid_from"], "valid_to": data["valid_to"],
                "regulation": data["regulation"], "rounding_rule": ROUNDING,
                "components_percent_until": data["components_percent_until"], "source_note": data["source_note"],
            },
        )
        for code, name, weight in data["dimensions"]:
            Dimension.objects.update_or_create(
                edition=edition, code=code,
                defaults={"name": name, "weight": Decimal(weight), "source_note": data["source_note"]},
            )
        for code, label, zone, bound, provisional, note in data["bands"]:
            Band.objects.update_or_create(
                edition=edition, code=code,
                defaults={"label": label, "zone": zone, "lower_bound": Decimal(bound),
                          "is_provisional": provisional, "source_note": note},
            )


def unload(apps, schema_editor):
    MethodEdition = apps.get_model("assessments", "MethodEdition")
    MethodEdition.objects.filter(code__in=[data["code"] for data in EDITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

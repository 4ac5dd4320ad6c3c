"""The region import: all-or-nothing on a bad file, idempotent, and the real file's counts."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from pantau.regions.actions import import_regions
from pantau.regions.loader import RegionFileError
from pantau.regions.models import Region

GOOD = "code,name,level,parent_code\n15,Jambi,1,\n15.04,Kabupaten Batanghari,2,15\n15.04.01,Mersam,3,15.04\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "regions.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_is_idempotent_and_updates_names(db, tmp_path):
    path = write(tmp_path, GOOD)
    assert import_regions(path) == {"level_1": 1, "level_2": 1, "level_3": 1, "level_4": 0}
    import_regions(path)
    assert Region.objects.count() == 3
    import_regions(write(tmp_path, GOOD.replace("Mersam", "Mersam Baru")))
    assert Region.objects.get(code="15.04.01").name == "Mersam Baru"
    assert Region.objects.get(code="15.04.01").parent_id == "15.04"


def test_a_bad_file_imports_nothing_and_names_every_bad_row(db, tmp_path):
    bad = GOOD + "15.4,Bad code,2,15\n15.05,Wrong level,3,15\n15.06.01,Orphan,3,15.06\n15.04.01,Mersam,3,15.04\n"
    with pytest.raises(RegionFileError) as exc:
        import_regions(write(tmp_path, bad))
    errors = exc.value.errors
    assert errors[0].startswith("row 5, column code")
    assert errors[1].startswith("row 6, column level")
    assert errors[2].startswith("row 8, column code: duplicate")
    assert errors[3] == "code 15.06.01: parent 15.06 is not in the file"
    assert Region.objects.count() == 0


def test_the_command_exits_non_zero_on_a_bad_header(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_regions", str(write(tmp_path, "kode,nama\n15,Jambi\n")))
    assert Region.objects.count() == 0


def test_the_real_file_holds_all_of_indonesia(db):
    import_regions(settings.DATA_DIR / "wilayah" / "wilayah.csv")
    counts = {level: Region.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    # data/README.md: 38 provinces, 514 regencies/cities, 7,285 districts, 83,762 villages
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert Region.objects.filter(kind="regency").count() == 416
    assert Region.objects.filter(kind="city").count() == 98
    # rules.md T13: Batanghari has 8 districts, 14 kelurahan and 110 desa
    assert Region.objects.filter(parent_id="15.04").count() == 8
    villages = Region.objects.filter(code__startswith="15.04.", level=4)
    assert villages.filter(kind="kelurahan").count() == 14
    assert villages.filter(kind="desa").count() == 110

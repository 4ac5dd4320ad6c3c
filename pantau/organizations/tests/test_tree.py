"""The unit tree keeps its materialised path, also when a unit moves."""

from pantau.organizations.models import Unit, UnitKind


def test_paths_follow_the_tree(world):
    assert world.tapah_sari.path == f"/{world.regency.pk}/{world.mersam.pk}/{world.tapah_sari.pk}/"
    assert world.tapah_sari.is_within(world.regency)
    assert [u.name for u in world.tapah_sari.ancestors()] == ["Pemerintah Kabupaten Batanghari", "Kecamatan Mersam"]


def test_moving_a_unit_moves_its_subtree(world):
    upt = world.dukcapil_upt
    Unit.objects.create(name="Puskesmas", kind=UnitKind.SERVICE_UNIT, parent=upt)
    upt.parent = world.dpmptsp
    upt.save()
    moved = Unit.objects.get(name="Puskesmas")
    assert moved.path.startswith(world.dpmptsp.path)
    assert set(Unit.objects.subtree_of(world.dukcapil).values_list("name", flat=True)) == {
        "Dinas Kependudukan dan Pencatatan Sipil"
    }

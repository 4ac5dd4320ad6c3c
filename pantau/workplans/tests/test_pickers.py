"""Issue 15: the unit pickers of the action form are grouped by parent in tree order, searchable (Tom Select served
by Pantau, no CDN) and scoped to what the user may see; the sample flag is offered to admins only."""

from pantau.conftest import action_data
from pantau.workplans import actions as wp
from pantau.workplans.forms import ActionForm


def _groups(field):
    """(group label or None, [option labels]) in the order the select shows them."""
    shown = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            shown.append((value, [text for _, text in label]))
        elif value != "":
            shown.append((None, [label]))
    return shown


def test_the_responsible_unit_picker_is_grouped_by_parent_in_tree_order(world):
    form = ActionForm(user=world.coordinator, work_plan=world.plan)
    assert _groups(form.fields["responsible_unit"]) == [
        (None, ["Pemerintah Kabupaten Batanghari"]),
        ("Pemerintah Kabupaten Batanghari",
         ["Dinas Kependudukan dan Pencatatan Sipil", "Dinas Penanaman Modal dan PTSP", "Kecamatan Mersam"]),
        ("Dinas Kependudukan dan Pencatatan Sipil", ["UPT Pelayanan Dukcapil Muara Tembesi"]),
        ("Kecamatan Mersam", ["Pemerintah Desa Tapah Sari"]),
    ]
    assert form.fields["responsible_unit"].widget.attrs["data-picker"] == "1"
    assert form.fields["supporting_units"].widget.attrs["data-picker"] == "1"


def test_an_officer_sees_only_the_units_in_reach(world):
    form = ActionForm(user=world.district_officer, work_plan=world.plan)
    supporting = [label for _, labels in _groups(form.fields["supporting_units"]) for label in labels]
    assert supporting == ["Kecamatan Mersam", "Pemerintah Desa Tapah Sari"]


def test_units_already_supporting_stay_listed_on_edit(world):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.mersam),
                              supporting_units=[world.dukcapil])
    form = ActionForm(user=world.district_officer, work_plan=world.plan, instance=action)
    supporting = [label for _, labels in _groups(form.fields["supporting_units"]) for label in labels]
    assert "Dinas Kependudukan dan Pencatatan Sipil" in supporting


def test_the_sample_flag_only_for_admins(world):
    assert "is_sample" not in ActionForm(user=world.coordinator, work_plan=world.plan).fields
    assert "is_sample" in ActionForm(user=world.ombudsman_admin, work_plan=world.plan).fields
    assert "is_sample" in ActionForm(user=world.superuser, work_plan=world.plan).fields


def test_the_form_page_loads_the_picker_from_pantau(client, world):
    client.force_login(world.coordinator)
    html = client.get(f"/work-plans/{world.plan.pk}/actions/new/").content.decode()
    assert "/static/tomselect/js/django-tomselect.min.js" in html and "/static/pantau/picker.js" in html
    assert "<optgroup" in html and "http" not in html.split("<main")[1].split("</main>")[0].replace(
        "http://testserver", "")
    assert 'name="is_sample"' not in html

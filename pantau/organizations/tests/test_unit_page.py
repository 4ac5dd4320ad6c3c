"""Issue 15: the unit page reads as a page (capitalised labels, cards) and a unit with roles never says it has no
recorded changes."""


def test_the_unit_page_shows_roles_and_never_no_changes_when_roles_exist(client, world, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(world.ombudsman_admin)
    html = client.get(f"/units/{world.regency.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dt>Kind</dt>" in html and "<dt>Verification</dt>" in html
    assert "coordinator" in html  # the coordinator's grant on the regency
    assert "No recorded changes yet." not in html
    assert "granted a role" in html

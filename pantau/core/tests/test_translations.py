"""The Indonesian catalogue is complete and its compiled file matches it; the UI speaks Indonesian by default."""

import gettext
from pathlib import Path

import polib
from django.conf import settings
from django.test import Client

PO = Path(settings.BASE_DIR) / "pantau" / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated():
    catalogue = polib.pofile(str(PO))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(PO))
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue:
        if entry.obsolete or entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if compiled.gettext(key) != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` to recompile"


def test_the_product_default_is_indonesian():
    import pantau.settings as product_settings

    assert product_settings.LANGUAGE_CODE == "id"


def test_pages_are_indonesian_by_default_and_english_on_request(db, settings):
    settings.LANGUAGE_CODE = "id"
    client = Client()
    indonesian = client.get("/accounts/login/").content.decode()
    assert 'lang="id"' in indonesian
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in english
    assert "Log in" in english and "Log in" not in indonesian


def test_a_browser_asking_for_english_still_gets_indonesian_until_the_user_switches(db, settings):
    settings.LANGUAGE_CODE = "id"
    page = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page

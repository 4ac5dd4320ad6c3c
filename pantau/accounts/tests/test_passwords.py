"""Changing one's own password and resetting a forgotten one by e-mail (Django's views, Pantau's templates):
the old password is needed, the e-mailed link works once, the reset page does not tell whether an address has an
account, and neither path lifts or bypasses the django-axes lockout."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from pantau.audit.models import AuditEntry

OLD = "correct-horse-battery-9"
NEW = "gunung-kerinci-3805-mdpl"


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()


@pytest.fixture
def officer(world):
    user = world.officer
    user.email = "petugas@batanghari.example"
    user.save()
    return user


def _logged_in(user):
    client = Client()
    assert client.login(username=user.username, password=OLD) or client.post(
        "/accounts/login/", {"username": user.username, "password": OLD}).status_code == 302
    return client


def _reload(user):
    return get_user_model().objects.get(pk=user.pk)


def test_the_user_menu_and_the_login_page_link_to_the_password_pages(client, officer):
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").content.decode()
    client.post("/accounts/login/", {"username": officer.username, "password": OLD})
    assert 'href="/accounts/password/"' in client.get("/accounts/password/").content.decode()


def test_changing_the_password_needs_the_old_one(officer):
    client = Client()
    client.post("/accounts/login/", {"username": officer.username, "password": OLD})
    wrong = client.post("/accounts/password/", {"old_password": "not-the-old-one-1", "new_password1": NEW,
                                                "new_password2": NEW})
    assert wrong.status_code == 200 and "old password" in wrong.content.decode()
    assert _reload(officer).check_password(OLD) and not _reload(officer).check_password(NEW)

    done = client.post("/accounts/password/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/done/"
    assert _reload(officer).check_password(NEW)
    assert client.get("/accounts/password/done/").status_code == 200  # still logged in (session hash updated)
    entry = AuditEntry.objects.filter(object_id=str(officer.pk), note="password changed").get()
    assert entry.actor_id == officer.pk and officer.password not in str(entry.before) + str(entry.after)


def test_the_change_page_needs_a_login(client, db):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_guessing_the_old_password_on_the_change_form_is_locked_like_a_login(officer):
    client = Client()
    client.post("/accounts/login/", {"username": officer.username, "password": OLD})
    for _ in range(5):
        client.post("/accounts/password/", {"old_password": "guess-0000-x", "new_password1": NEW,
                                            "new_password2": NEW})
    client.post("/accounts/password/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert _reload(officer).check_password(OLD) and not _reload(officer).check_password(NEW)


def test_the_full_reset_flow_by_e_mail_and_the_link_works_once(client, officer):
    page = client.get("/accounts/password/reset/")
    assert page.status_code == 200
    sent = client.post("/accounts/password/reset/", {"email": "petugas@batanghari.example"})
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["petugas@batanghari.example"]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)  # Django swaps the token for a session marker and redirects
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    saved = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert saved.status_code == 302 and saved["Location"] == "/accounts/password/reset/done/"
    assert _reload(officer).check_password(NEW)
    assert "_auth_user_id" not in client.session  # the reset does not log in: the next login goes through axes
    assert AuditEntry.objects.filter(object_id=str(officer.pk), note="password reset by e-mail").count() == 1

    again = Client().get(link, follow=True)
    assert 'name="new_password1"' not in again.content.decode()
    assert "already used" in again.content.decode()
    Client().post(link, {"new_password1": "another-pass-7788", "new_password2": "another-pass-7788"})
    assert _reload(officer).check_password(NEW)


def test_the_reset_page_does_not_tell_whether_an_address_has_an_account(officer):
    known, unknown = Client(), Client()
    a = known.post("/accounts/password/reset/", {"email": "petugas@batanghari.example"}, follow=True)
    b = unknown.post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert a.redirect_chain == b.redirect_chain == [("/accounts/password/reset/sent/", 302)]
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    assert csrf.sub(b"", a.content) == csrf.sub(b"", b.content)  # the same page but for the per-client token
    assert len(mail.outbox) == 1


def test_a_reset_does_not_lift_a_lockout(officer):
    attacker = Client()
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": officer.username, "password": "wrong-password-1"})
    Client().post("/accounts/password/reset/", {"email": "petugas@batanghari.example"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    owner = Client()
    form = owner.get(link, follow=True)
    owner.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert _reload(officer).check_password(NEW)
    login = attacker.post("/accounts/login/", {"username": officer.username, "password": NEW})
    assert login.status_code in (403, 429) and "_auth_user_id" not in attacker.session


def test_too_many_reset_requests_from_one_client_are_refused_and_send_nothing(client, officer, monkeypatch):
    from pantau.accounts import views

    monkeypatch.setattr(views, "RESET_RATE_LIMIT", 2)
    for _ in range(2):
        client.post("/accounts/password/reset/", {"email": "petugas@batanghari.example"})
    refused = client.post("/accounts/password/reset/", {"email": "petugas@batanghari.example"})
    assert refused.status_code == 429 and len(mail.outbox) == 2

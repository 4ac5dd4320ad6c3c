"""Delivery: preferences per kind, one e-mail at once or one daily digest instead of a flood, nothing twice, the
one-click unsubscribe link (no login, one kind only), and the command for cron."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from pantau.accounts.models import User
from pantau.audit.models import AuditEntry
from pantau.conftest import action_data
from pantau.notifications import actions, registry
from pantau.notifications.jobs import send_reminders
from pantau.notifications.models import Channel, Digest, Notification, Preference
from pantau.workplans import actions as wp
from pantau.workplans import reminders

NOW = dt.datetime(2021, 12, 30, 23, 0, tzinfo=dt.UTC)  # 31 December 2021 06:00 WIB


@pytest.fixture
def due(world):
    """Two Dukcapil actions due on 31 December 2021 and one overdue since 20 December; the officer has an
    e-mail address."""
    User.objects.filter(pk=world.officer.pk).update(email="officer@dukcapil.example.id")
    world.officer.refresh_from_db()
    for code in ("1", "2"):
        wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil, code=code))
    wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(
        world.dukcapil, code="3", due_date=dt.date(2021, 12, 20)))
    return world


def urls_in(text):
    return re.findall(r"http://testserver\S+", text)


def test_by_default_the_officer_gets_one_digest_with_everything_of_the_day(due, settings):
    settings.PANTAU_BASE_URL = "http://testserver"
    summary = send_reminders(now=NOW)
    assert len(summary.created) == 3  # actions 1 and 2 due today, action 3 eleven days overdue
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@dukcapil.example.id"]
    assert message.subject == "[Pantau] 3 notifications, 2021-12-31"
    body = message.body
    assert "== actions due soon ==" in body and "== overdue actions ==" in body
    assert body.index("== actions due soon ==") < body.index("== overdue actions ==")  # in the registry's order
    assert "Action 1 is due today (31 December 2021)" in body
    assert "Action 2 is due today (31 December 2021)" in body
    assert "Action 3 is 11 days overdue" in body
    assert body.count('(one click):') == 2  # one unsubscribe link per kind present
    assert "List-Unsubscribe" not in message.extra_headers  # two kinds: no single kind to name in the header
    digest = Digest.objects.get()
    assert (digest.recipient, digest.day, digest.count) == (due.officer, dt.date(2021, 12, 31), 3)
    assert set(Notification.objects.filter(recipient=due.officer).values_list("digest", flat=True)) == {digest.pk}


def test_a_second_run_on_the_same_day_makes_and_sends_nothing_new(due):
    first = send_reminders(now=NOW)
    second = send_reminders(now=NOW + dt.timedelta(hours=5))
    assert len(first.created) == 3
    assert (len(second.created), second.emails, second.digests) == (0, 0, 0)
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 3


def test_the_command_twice_on_one_day_sends_nothing_new_and_a_dry_run_writes_nothing(due):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--now", "2021-12-31T06:00+07:00", stdout=out)
    assert "DRY RUN: 3 notifications made, 0 e-mails and 1 digests sent." in out.getvalue()
    assert (Notification.objects.count(), len(mail.outbox), AuditEntry.objects.filter(actor=None).count()) == (0, 0, 0)
    out = io.StringIO()
    call_command("send_reminders", "--now", "2021-12-31T06:00+07:00", stdout=out)
    assert "3 notifications made, 0 e-mails and 1 digests sent." in out.getvalue()
    out = io.StringIO()
    call_command("send_reminders", "--now", "2021-12-31T18:00", stdout=out)  # no offset: Asia/Jakarta
    assert "0 notifications made, 0 e-mails and 0 digests sent." in out.getvalue()
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(actor=None, note__startswith="send_reminders").count() == 1


def test_a_malformed_now_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO date-time"):
        call_command("send_reminders", "--now", "yesterday")


def test_what_arrives_after_the_days_digest_waits_for_the_next_day(due):
    send_reminders(now=NOW)
    actions.notify(recipient=due.officer, kind=reminders.DUE, key="test:later", subject="later", body="b",
                   on=dt.date(2021, 12, 31))
    assert send_reminders(now=NOW + dt.timedelta(hours=3)).digests == 0
    assert send_reminders(now=NOW + dt.timedelta(days=1)).digests == 1
    assert "later" in mail.outbox[-1].body


def test_e_mail_at_once_sends_one_e_mail_per_notification_with_its_unsubscribe_header(due, settings):
    settings.PANTAU_BASE_URL = "https://pantau.example.go.id"
    actions.set_preference(actor=due.officer, user=due.officer, kind=reminders.DUE, channel=Channel.EMAIL)
    summary = send_reminders(now=NOW)
    assert (summary.emails, summary.digests) == (2, 1)  # two due reminders at once; the overdue one in the digest
    singles = [m for m in mail.outbox if "due today" in m.subject]
    assert sorted(m.subject for m in singles) == ["[Pantau] Action 1 is due today (31 December 2021)",
                                                   "[Pantau] Action 2 is due today (31 December 2021)"]
    header = singles[0].extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://pantau.example.go.id/notifications/unsubscribe/")
    assert singles[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://pantau.example.go.id/actions/" in singles[0].body


def test_in_pantau_only_sends_no_e_mail_and_off_makes_nothing(due):
    actions.set_preference(actor=due.officer, user=due.officer, kind=reminders.DUE, channel=Channel.IN_APP)
    actions.set_preference(actor=due.officer, user=due.officer, kind=reminders.OVERDUE, channel=Channel.OFF)
    summary = send_reminders(now=NOW)
    assert sorted(n.kind for n in summary.created) == [reminders.DUE, reminders.DUE]
    assert {n.channel for n in Notification.objects.all()} == {Channel.IN_APP}
    assert mail.outbox == []


def test_a_user_without_an_e_mail_address_gets_the_inbox_only(due):
    User.objects.filter(pk=due.officer.pk).update(email="")
    send_reminders(now=NOW)
    assert {n.channel for n in Notification.objects.all()} == {Channel.IN_APP}
    assert mail.outbox == []


def test_a_failed_e_mail_stays_pending_and_goes_out_on_the_next_run(due, settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    calls = {"n": 0}
    original = EmailBackend.send_messages

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP server down")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    assert send_reminders(now=NOW).digests == 0
    assert Digest.objects.count() == 0 and Notification.objects.filter(emailed_at__isnull=True).count() == 3
    assert send_reminders(now=NOW + dt.timedelta(hours=1)).digests == 1
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


# unsubscribe


def test_the_unsubscribe_link_works_without_login_and_switches_off_only_its_kind(due):
    token = actions.unsubscribe_token(due.officer, reminders.DUE)
    anonymous = Client()
    page = anonymous.get(f"/notifications/unsubscribe/{token}/")
    assert page.status_code == 200
    assert "actions due soon" in page.content.decode()
    assert not Preference.objects.exists()  # showing the page changes nothing
    done = anonymous.post(f"/notifications/unsubscribe/{token}/")
    assert done.status_code == 200
    assert list(Preference.objects.values_list("user", "kind", "channel")) == [
        (due.officer.pk, reminders.DUE, Channel.OFF)]
    entry = AuditEntry.objects.get(note="unsubscribe link")
    assert entry.actor is None
    summary = send_reminders(now=NOW)
    assert [n.kind for n in summary.created] == [reminders.OVERDUE]


def test_the_link_in_the_digest_is_the_one_that_works(due, settings):
    settings.PANTAU_BASE_URL = "http://testserver"
    send_reminders(now=NOW)
    body = mail.outbox[0].body
    line = next(ln for ln in body.splitlines() if 'Stop "actions due soon"' in ln)
    url = urls_in(line)[0]
    assert Client().post(url.removeprefix("http://testserver")).status_code == 200
    assert Preference.objects.get(user=due.officer).kind == reminders.DUE


def test_a_changed_token_or_another_kind_is_refused_and_changes_nothing(due):
    token = actions.unsubscribe_token(due.officer, reminders.DUE)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().post(f"/notifications/unsubscribe/{forged}/").status_code == 404
    unknown = actions.unsubscribe_token(due.officer, "no_such_kind")
    assert Client().post(f"/notifications/unsubscribe/{unknown}/").status_code == 404
    assert not Preference.objects.exists()


def test_a_token_of_one_user_never_changes_another(due):
    token = actions.unsubscribe_token(due.officer, reminders.DUE)
    Client().post(f"/notifications/unsubscribe/{token}/")
    assert not Preference.objects.filter(user=due.other_officer).exists()


# the registry, for meetings and complaints later


def test_another_app_can_register_its_own_kind_and_rule(due, monkeypatch):
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))
    monkeypatch.setattr(registry, "_rules", dict(registry._rules))
    registry.register_kind(registry.Kind("meeting_invitation", "meeting invitations"))

    def invitations(now):
        return [registry.Draft(recipient_id=due.officer.pk, kind="meeting_invitation", key="meeting:1:invited",
                               day=now.date(), subject="Coordination meeting on 5 January", body="Kantor Bupati")]

    registry.register_rule("meetings.invitations", invitations)
    summary = send_reminders(now=NOW)
    assert summary.drafted["meetings.invitations"] == 1
    assert Notification.objects.filter(kind="meeting_invitation").count() == 1
    assert "== meeting invitations ==" in mail.outbox[0].body


def test_an_unregistered_kind_is_refused(world):
    with pytest.raises(ValueError, match="unregistered"):
        actions.notify(recipient=world.officer, kind="nope", key="k", subject="s", body="b", on=dt.date(2024, 1, 1))


@pytest.mark.parametrize("code", ["", "Capital", "x" * 41, "with space"])
def test_a_kind_code_must_be_short_lowercase_words(code):
    with pytest.raises(ValueError):
        registry.register_kind(registry.Kind(code, "label"))


def test_a_line_break_in_a_typed_title_does_not_break_the_e_mail_header(due):
    actions.set_preference(actor=due.officer, user=due.officer, kind=reminders.DUE, channel=Channel.EMAIL)
    actions.notify(recipient=due.officer, kind=reminders.DUE, key="k", subject="Action 9\nBcc: x@example.com",
                   body="b", on=dt.date(2021, 12, 31))
    from pantau.notifications import mail as delivery

    assert delivery.send_pending_emails(now=NOW) == 1
    assert mail.outbox[0].subject == "[Pantau] Action 9 Bcc: x@example.com"

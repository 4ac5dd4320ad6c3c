"""The inbox, its badge in the header, marking read and the preferences page: each user sees and changes only their
own."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from pantau.audit.models import AuditEntry
from pantau.notifications import actions
from pantau.notifications.models import Channel, Notification, Preference
from pantau.workplans import reminders

DAY = dt.date(2024, 8, 15)


def note(user, key, subject="Action 1 is due in 1 day (16 August 2024)"):
    return actions.notify(recipient=user, kind=reminders.DUE, key=key, subject=subject, body="Body", on=DAY,
                          url="/actions/1/")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_inbox_lists_my_notifications_and_not_those_of_others(world):
    note(world.officer, "a", "mine")
    note(world.other_officer, "b", "someone else's")
    page = client_for(world.officer).get("/notifications/").content.decode()
    assert "mine" in page
    assert "someone else&#x27;s" not in page and "someone else's" not in page


def test_the_header_badge_counts_my_unread_notifications_with_one_query(world, django_assert_num_queries):
    note(world.officer, "a")
    note(world.officer, "b")
    client = client_for(world.officer)
    page = client.get("/notifications/preferences/").content.decode()
    assert '<span class="badge count" aria-label="unread">2</span>' in page
    from django.test import RequestFactory

    from pantau.notifications.context_processors import unread_notifications

    request = RequestFactory().get("/")
    request.user = world.officer
    context = unread_notifications(request)
    with django_assert_num_queries(1):
        assert int(str(context["unread_notifications"])) == 2
        assert bool(context["unread_notifications"])  # the second use costs nothing


def test_an_anonymous_visitor_gets_no_badge_and_no_query(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = Client().get("/").content.decode()
    assert "badge count" not in page


def test_mark_one_read_then_all(world):
    first = note(world.officer, "a")
    note(world.officer, "b")
    client = client_for(world.officer)
    client.post("/notifications/read/", {"id": [str(first.pk)]})
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    client.post("/notifications/read/", {"all": "1"})
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_marking_another_users_notification_read_changes_nothing(world):
    theirs = note(world.other_officer, "a")
    response = client_for(world.officer).post("/notifications/read/", {"id": [str(theirs.pk), "x", "9" * 30]})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_needs_a_login(world):
    assert Client().get("/notifications/").status_code == 302


def test_the_preferences_page_saves_one_channel_per_kind_and_audits_it(world):
    client = client_for(world.officer)
    page = client.get("/notifications/preferences/").content.decode()
    assert "actions due soon" in page and "reports waiting for verification" in page
    data = {f"kind_{k.code}": Channel.DIGEST for k in reminders.KINDS}
    data[f"kind_{reminders.DUE}"] = Channel.EMAIL
    data[f"kind_{reminders.OVERDUE}"] = Channel.OFF
    assert client.post("/notifications/preferences/", data).status_code == 302
    assert dict(Preference.objects.filter(user=world.officer).values_list("kind", "channel")) == {
        k.code: data[f"kind_{k.code}"] for k in reminders.KINDS}
    assert AuditEntry.objects.filter(actor=world.officer, object_repr__contains="action_due").count() == 1
    client.post("/notifications/preferences/", data)  # unchanged: no new audit entry
    assert AuditEntry.objects.filter(actor=world.officer, object_repr__contains="action_due").count() == 1


def test_nobody_changes_another_users_preferences(world):
    with pytest.raises(PermissionDenied):
        actions.set_preference(actor=world.coordinator, user=world.officer, kind=reminders.DUE,
                               channel=Channel.OFF)
    assert not Preference.objects.exists()


def test_an_unknown_channel_or_kind_is_refused(world):
    with pytest.raises(ValidationError):
        actions.set_preference(actor=world.officer, user=world.officer, kind=reminders.DUE, channel="sms")
    with pytest.raises(ValidationError):
        actions.set_preference(actor=world.officer, user=world.officer, kind="nope", channel=Channel.OFF)
    assert not Preference.objects.exists()


def test_the_same_key_on_the_same_day_is_stored_once_even_when_not_once(world):
    first = actions.notify(recipient=world.officer, kind=reminders.DUE, key="k", subject="s", body="b", on=DAY,
                           once=False)
    again = actions.notify(recipient=world.officer, kind=reminders.DUE, key="k", subject="s", body="b", on=DAY,
                           once=False)
    next_day = actions.notify(recipient=world.officer, kind=reminders.DUE, key="k", subject="s", body="b",
                              on=DAY + dt.timedelta(days=1), once=False)
    assert first is not None and again is None and next_day is not None
    assert Notification.objects.count() == 2


def test_the_database_refuses_a_duplicate_of_recipient_key_and_day(world):
    from django.db import IntegrityError, transaction

    note(world.officer, "k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=world.officer, kind=reminders.DUE, key="k", day=DAY, subject="s",
                                    body="b", channel=Channel.IN_APP)

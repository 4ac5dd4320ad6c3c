"""Meetings around an agreement: the signing, mentoring (pendampingan), coordination, evaluation and field visits
(monitoring, spot checks), their attendance by mode, minutes and decisions, and each user's calendar feed.

Modes daring / luring / hibrida (GLOSSARY). The founding case: the 18 November 2020 signing was hybrid, in person with
limited seats at the regent's office and online for the agencies (data/batanghari/agreement_events.csv). A meeting's
times are instants (``starts_at``, ``ends_at``, stored in UTC) shown in the zone of its host unit (``Meeting.zone``:
WIB, WITA or WIT from the unit's province, domain/rules.md section 10).

Two kinds of attendance figures live side by side: ``attendance_in_person`` / ``attendance_online`` are the counts a
source published (null: not published), ``Attendance`` rows are the people registered in Pantau (the sign-in page or
staff entry).
"""

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pantau.accounts.scoping import scope
from pantau.agreements.models import Agreement, AgreementKind

SIGN_IN_OPENS_BEFORE = dt.timedelta(hours=2)
"""The sign-in page opens this long before the meeting starts (Pantau's choice: people arrive early)."""
SIGN_IN_GRACE_AFTER = dt.timedelta(hours=1)
"""...and closes this long after it ends; without an end time, at midnight ending the meeting's day (local)."""


class MeetingKind(models.TextChoices):
    """Purpose of a meeting."""

    SIGNING = "signing", _("signing")
    MENTORING = "mentoring", _("mentoring (pendampingan)")
    COORDINATION = "coordination", _("coordination")
    EVALUATION = "evaluation", _("evaluation")
    FIELD_VISIT = "field_visit", _("field visit (monitoring, spot check)")


class MeetingMode(models.TextChoices):
    """How people attend."""

    IN_PERSON = "in_person", _("in person (luring)")
    ONLINE = "online", _("online (daring)")
    HYBRID = "hybrid", _("hybrid (hibrida)")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    """Meetings, scoped per user through their agreement and their invited units."""

    def for_user(self, user: object, permission: str) -> "MeetingQuerySet":
        """Meetings of agreements the user may see with ``permission``, and meetings that invite a unit in the
        user's scope for ``permission`` (an agency invited to a coordination meeting sees it)."""
        allowed = scope(user, permission)
        if allowed.everything:
            return self
        invited = Meeting.objects.filter(allowed.q("invited_units__")).values("pk")  # type: ignore[arg-type]
        return self.filter(Q(agreement__in=Agreement.objects.for_user(user, permission)) | Q(pk__in=invited))


class Meeting(models.Model):
    """One meeting. Counts are numbers of people; null means the source did not publish the number. ``version``
    counts saves (``core.concurrency``).

    ``date`` is the meeting's day in its zone; ``starts_at`` and ``ends_at`` are optional (sources of past meetings
    rarely publish the hour) and, when set, ``date`` is the local date of ``starts_at``. ``host_unit`` is the unit
    hosting the meeting (its zone is the meeting's); unset, the government party of the agreement. ``sign_in_token``
    is the secret part of the public sign-in links (QR code in the room, link for online participants).

    Rules (``clean``): an in-person meeting has no online attendance, an online one no in-person attendance; in-person
    attendance may not exceed the room capacity when both are known; the end comes after the start.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    host_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("host unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=MeetingMode.choices)
    room_capacity = models.PositiveIntegerField(_("room capacity"), null=True, blank=True)
    invited_units = models.ManyToManyField(
        "organizations.Unit", verbose_name=_("invited units"), blank=True, related_name="invited_meetings"
    )
    attendance_in_person = models.PositiveIntegerField(_("attending in person (published)"), null=True, blank=True)
    attendance_online = models.PositiveIntegerField(_("attending online (published)"), null=True, blank=True)
    participants = models.TextField(_("participants by position"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    source_url = models.TextField(_("source"), blank=True)
    sign_in_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    sign_in_closed_at = models.DateTimeField(_("sign-in closed at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    def clean(self) -> None:
        """Raise ValidationError when attendance contradicts the mode or the room capacity, or the times are out
        of order."""
        errors: dict[str, str] = {}
        if self.mode == MeetingMode.IN_PERSON and self.attendance_online:
            errors["attendance_online"] = _("An in-person meeting has no online attendance.")
        if self.mode == MeetingMode.ONLINE and self.attendance_in_person:
            errors["attendance_in_person"] = _("An online meeting has no in-person attendance.")
        if (
            self.room_capacity is not None
            and self.attendance_in_person is not None
            and self.attendance_in_person > self.room_capacity
        ):
            errors["attendance_in_person"] = _("In-person attendance exceeds the room capacity.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.ends_at and not self.starts_at:
            errors["starts_at"] = _("Give the start time when the end time is given.")
        if errors:
            raise ValidationError(errors)

    @property
    def attendance_total(self) -> int | None:
        """Published in person plus online, or None when neither count is known."""
        if self.attendance_in_person is None and self.attendance_online is None:
            return None
        return (self.attendance_in_person or 0) + (self.attendance_online or 0)

    # -- time -----------------------------------------------------------------------------------------------------
    @property
    def zone(self) -> str:
        """The meeting's IANA time zone: its host unit's, else the zone of the agreement's government party."""
        unit = self.host_unit if self.host_unit_id else self.agreement.government
        return str(unit.zone)

    @property
    def zone_abbreviation(self) -> str:
        """WIB, WITA or WIT of ``zone``."""
        unit = self.host_unit if self.host_unit_id else self.agreement.government
        return str(unit.zone_abbreviation)

    def local(self, instant: dt.datetime | None) -> dt.datetime | None:
        """``instant`` in the meeting's zone (None stays None)."""
        return instant.astimezone(zoneinfo.ZoneInfo(self.zone)) if instant else None

    @property
    def local_start(self) -> dt.datetime | None:
        """``starts_at`` in the meeting's zone."""
        return self.local(self.starts_at)

    @property
    def local_end(self) -> dt.datetime | None:
        """``ends_at`` in the meeting's zone."""
        return self.local(self.ends_at)

    def sign_in_window(self) -> tuple[dt.datetime, dt.datetime]:
        """(opens, closes) of the public sign-in, aware instants: from ``SIGN_IN_OPENS_BEFORE`` before the start
        (without a start time: local midnight beginning the meeting's day) to ``SIGN_IN_GRACE_AFTER`` after the end
        (without an end time: local midnight ending the day of the start)."""
        zone = zoneinfo.ZoneInfo(self.zone)
        day_start = dt.datetime.combine(self.date, dt.time(0, 0), tzinfo=zone)
        opens = self.starts_at - SIGN_IN_OPENS_BEFORE if self.starts_at else day_start
        if self.ends_at:
            closes = self.ends_at + SIGN_IN_GRACE_AFTER
        else:
            last_day = self.local_start.date() if self.starts_at else self.date  # type: ignore[union-attr]
            closes = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
        return opens, closes

    def sign_in_state(self, now: dt.datetime | None = None) -> str:
        """"open", "not_yet" (before the window), "closed" (after it, or closed by staff) or "none" (no sign-in
        link: the meeting predates the sign-in page)."""
        if not self.sign_in_token:
            return "none"
        if self.sign_in_closed_at is not None:
            return "closed"
        now = now or timezone.now()
        opens, closes = self.sign_in_window()
        if now < opens:
            return "not_yet"
        if now >= closes:
            return "closed"
        return "open"

    def attendance_modes(self) -> list[str]:
        """The attendance modes this meeting takes: in person, online, or both for a hybrid meeting."""
        if self.mode == MeetingMode.IN_PERSON:
            return [AttendanceMode.IN_PERSON]
        if self.mode == MeetingMode.ONLINE:
            return [AttendanceMode.ONLINE]
        return [AttendanceMode.IN_PERSON, AttendanceMode.ONLINE]


class AttendanceMode(models.TextChoices):
    """How one person attended."""

    IN_PERSON = "in_person", _("in person (luring)")
    ONLINE = "online", _("online (daring)")


class AttendanceSource(models.TextChoices):
    """How an attendance row came in."""

    QR = "qr", _("sign-in by QR code in the room")
    LINK = "link", _("sign-in by the online link")
    STAFF = "staff", _("entered by staff")


class Attendance(models.Model):
    """One person registered as attending a meeting (a line of the daftar hadir): name, position, unit (a unit of
    Pantau, else ``unit_name`` as typed), mode. ``key`` (name and unit folded) keeps one row per person and unit.
    ``is_sample`` marks illustrative rows of the demo (the real sources publish no attendance lists)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendances")
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("position"), max_length=200)
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    unit_name = models.CharField(_("unit or institution"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=AttendanceMode.choices)
    source = models.CharField(_("recorded through"), max_length=6, choices=AttendanceSource.choices)
    key = models.CharField(max_length=340, editable=False)
    signed_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="attendance_one_row_per_person")]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"

    @property
    def unit_label(self) -> str:
        """The unit's name, or the institution as typed."""
        return self.unit.name if self.unit_id and self.unit else self.unit_name


class DecisionKind(models.TextChoices):
    """What a meeting decision does to the work plan."""

    CREATE_ACTION = "create", _("creates an action")
    CHANGE_ACTION = "change", _("changes an action")
    NOTE = "note", _("no action needed")


class DecisionStatus(models.TextChoices):
    """What became of a decision."""

    OPEN = "open", _("awaiting its action")
    APPLIED = "applied", _("applied to the work plan")
    NOTED = "noted", _("recorded")
    DROPPED = "dropped", _("dropped")


class Decision(models.Model):
    """A decision (keputusan rapat) in a meeting's minutes; it may create or change an action of the work plan.

    ``responsible_unit`` and ``due_date`` are what the meeting said (who, by when) and pre-fill the action form.
    ``action`` is the action it created or changed (``action.decisions`` links back); ``changes`` is
    ``{field: [before, after]}`` of the change it made. ``is_sample`` marks illustrative demo decisions.
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    kind = models.CharField(_("kind"), max_length=8, choices=DecisionKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=DecisionStatus.choices)
    responsible_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    action = models.ForeignKey(
        "workplans.Action", verbose_name=_("action"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="decisions",
    )
    changes = models.JSONField(_("changes made"), default=dict, blank=True)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_unique_number")]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.number}"

    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """``changes`` as (translated field label, before, after) rows, for people."""
        model = self._meta.get_field("action").related_model
        labels = {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}  # type: ignore[union-attr]
        return [(labels.get(name, name), pair[0], pair[1]) for name, pair in (self.changes or {}).items()]


class CalendarFeed(models.Model):
    """A user's private iCalendar feed of the meetings of their units. Only a SHA-256 digest of the secret token is
    stored; the feed URL is shown once, when the token is issued."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


def meeting_unit_choices(meeting: Any) -> Any:
    """Units of the meeting's agreement parties (the government's whole subtree and the Ombudsman office) as a Unit
    queryset: where hosts, invited units and attendees' units may come from."""
    unit_model = Meeting._meta.get_field("host_unit").related_model
    agreement = meeting.agreement
    government = agreement.government
    # a PKS's government party is an agency: its meetings may invite the rest of the regional government too
    top = government
    if agreement.kind == AgreementKind.COOPERATION and agreement.parent_id:
        top = agreement.parent.government
    return unit_model.objects.filter(  # type: ignore[attr-defined]
        Q(path__startswith=top.path) | Q(path__startswith=agreement.ombudsman_office.path)
    )

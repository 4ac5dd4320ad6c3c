"""Meetings around an agreement: the signing, mentoring (pendampingan), coordination and evaluation.

Modes daring / luring / hibrida (GLOSSARY). The founding case: the 18 November 2020 signing was hybrid, in person with
limited seats at the regent's office and online for the agencies (data/batanghari/agreement_events.csv).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """Purpose of a meeting."""

    SIGNING = "signing", _("signing")
    MENTORING = "mentoring", _("mentoring (pendampingan)")
    COORDINATION = "coordination", _("coordination")
    EVALUATION = "evaluation", _("evaluation")


class MeetingMode(models.TextChoices):
    """How people attend."""

    IN_PERSON = "in_person", _("in person (luring)")
    ONLINE = "online", _("online (daring)")
    HYBRID = "hybrid", _("hybrid (hibrida)")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    """Meetings, scoped per user through their agreement."""

    def for_user(self, user: object, permission: str) -> "MeetingQuerySet":
        """Meetings of agreements the user may see with ``permission``."""
        from pantau.agreements.models import Agreement

        return self.filter(agreement__in=Agreement.objects.for_user(user, permission))


class Meeting(models.Model):
    """One meeting. Counts are numbers of people; null means the source did not publish the number. ``version``
    counts saves (``core.concurrency``).

    Rules (``clean``): an in-person meeting has no online attendance, an online one no in-person attendance; in-person
    attendance may not exceed the room capacity when both are known.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=MeetingMode.choices)
    room_capacity = models.PositiveIntegerField(_("room capacity"), null=True, blank=True)
    attendance_in_person = models.PositiveIntegerField(_("attending in person"), null=True, blank=True)
    attendance_online = models.PositiveIntegerField(_("attending online"), null=True, blank=True)
    participants = models.TextField(_("participants by position"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    source_url = models.TextField(_("source"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    def clean(self) -> None:
        """Raise ValidationError when attendance contradicts the mode or the room capacity."""
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
        if errors:
            raise ValidationError(errors)

    @property
    def attendance_total(self) -> int | None:
        """In person plus online, or None when neither count is known."""
        if self.attendance_in_person is None and self.attendance_online is None:
            return None
        return (self.attendance_in_person or 0) + (self.attendance_online or 0)

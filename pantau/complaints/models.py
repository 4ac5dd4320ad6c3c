"""Complaints (pengaduan) about public services, their stages and deadlines, and what they lead to.

Sources (domain/rules.md section 5): Perpres 76/2013 (the provider manages complaints, keeps the complainant's
identity confidential and resolves a complaint within 60 days after its file is complete), UU 25/2009 (first answer
within 14 days stating whether the file is complete; the complainant completes it within 30 days, otherwise the
complaint counts as withdrawn: both UNCERTAIN), UU 37/2008 art. 24 (a complainant not satisfied by the provider may
report to the Ombudsman) and Peraturan Ombudsman 58/2023 (the Ombudsman's handling of such a report).

- ``Complaint``: one complaint, routed to the responsible ``unit`` of a regional ``government``, with its stage, the
  dates of each step and the due dates computed from the ``DeadlineRule`` rows and the working-day calendar
  (``complaints.calendars``). The tracking code given to the complainant is stored only as a hash.
- ``ComplainantIdentity``: name, NIK, phone and e-mail, kept apart from the complaint so that no list, export,
  API serializer or audit snapshot of a complaint can carry them by accident (``complaints.identity``).
- ``ComplaintEvent``: the readable timeline of a complaint (STYLE.md habit 5); ``is_public`` events show on the
  complainant's tracking page.
- ``ComplaintAttachment``: files from the complainant or the unit, served only to those who may see the identity.
- ``DeadlineRule``: each deadline as data (code, length, working or calendar days, source, provisional), national
  or a unit's own shorter rule; ``CalendarDay``: the editable corrections of the working-day calendar.
- ``OmbudsmanReport``: an unresolved complaint forwarded to the Ombudsman (laporan), with its own stages.
- ``ComplaintWindow``: a count of complaints about one service or standard component in a window: the measurement
  that opens and closes complaint findings (``findings.actions``).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pantau.accounts.scoping import ScopedQuerySet
from pantau.core.uploads import safe_name
from pantau.core.workdays import CALENDAR_DAYS, WIB, WORKING_DAYS
from pantau.standards.components import ComponentCode


class Channel(models.TextChoices):
    """How a complaint came in (the channels of Perpres 76/2013 and SP4N-LAPOR!)."""

    WEB = "web", _("public form")
    WALK_IN = "walk_in", _("in person (walk-in)")
    PHONE = "phone", _("telephone")
    LETTER = "letter", _("letter")
    EMAIL = "email", _("e-mail")
    SOCIAL_MEDIA = "social_media", _("social media")
    SP4N_LAPOR = "sp4n_lapor", _("SP4N-LAPOR!")
    OTHER = "other", _("other channel")


STAFF_CHANNELS = tuple(c for c in Channel if c != Channel.WEB)
"""Channels a handler enters or imports (the public form is the complainant's own)."""


class Stage(models.TextChoices):
    """The stages of a complaint (issue 13; domain/rules.md section 5)."""

    RECEIVED = "received", _("received")
    INCOMPLETE = "incomplete", _("completeness check: file to be completed")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    RESOLVED = "resolved", _("resolved")
    NOT_RESOLVED = "not_resolved", _("not resolved")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STAGES = (Stage.RECEIVED, Stage.INCOMPLETE, Stage.IN_PROGRESS, Stage.ANSWERED, Stage.RESOLVED,
               Stage.NOT_RESOLVED)
"""Stages of a complaint not yet closed or withdrawn."""

CLOCK_STAGES = (Stage.RECEIVED, Stage.INCOMPLETE, Stage.IN_PROGRESS)
"""Stages whose deadlines still run (recomputed when the calendar or a rule changes)."""


class Outcome(models.TextChoices):
    """Whether the matter was resolved, as the unit concluded after its answer."""

    RESOLVED = "resolved", _("resolved")
    NOT_RESOLVED = "not_resolved", _("not resolved")


class WithdrawalReason(models.TextChoices):
    """Why a complaint was withdrawn."""

    BY_COMPLAINANT = "by_complainant", _("withdrawn by the complainant")
    FILE_NOT_COMPLETED = "file_not_completed", _("file not completed within the window (UU 25/2009, provisional)")


class RuleCode(models.TextChoices):
    """The deadlines a complaint runs against (domain/rules.md section 5)."""

    PICKUP = "pickup", _("pick-up by the unit (else escalation to the coordinator)")
    FIRST_RESPONSE = "first_response", _("first answer: is the file complete?")
    FILE_COMPLETION = "file_completion", _("completion of the file by the complainant")
    RESOLUTION = "resolution", _("resolution after the file is complete")


class DayKind(models.TextChoices):
    """Working days (hari kerja) or calendar days (hari), rules.md sections 5 and 11."""

    WORKING_DAYS = WORKING_DAYS, _("working days")
    CALENDAR_DAYS = CALENDAR_DAYS, _("calendar days")


class ComplaintQuerySet(ScopedQuerySet):
    """Complaints, scoped per user through their responsible unit."""

    scope_unit = "unit"

    def open(self) -> "ComplaintQuerySet":
        """Complaints not closed or withdrawn."""
        return self.filter(stage__in=OPEN_STAGES)

    def overdue(self, todays: dict[str, dt.date]) -> "ComplaintQuerySet":
        """Complaints past a deadline the unit had to meet: no first answer after ``first_response_due``, or no
        answer after ``resolution_due``; ``todays`` maps each IANA zone to its date today (an office's today is
        its own zone's date, rules.md section 10)."""
        return self.filter(overdue_q(todays))


def overdue_q(todays: dict[str, dt.date], prefix: str = "") -> Q:
    """The ``Q`` of ``ComplaintQuerySet.overdue`` (``prefix`` for a lookup from another model)."""
    q = Q(pk__in=[])
    for zone, today in todays.items():
        q |= Q(**{f"{prefix}zone": zone}) & (
            Q(**{f"{prefix}stage": Stage.RECEIVED, f"{prefix}first_response_due__lt": today})
            | Q(**{f"{prefix}stage": Stage.IN_PROGRESS, f"{prefix}resolution_due__lt": today})
        )
    return q


class Complaint(models.Model):
    """A complaint about a public service, routed to the unit responsible for it.

    ``government`` is the regional government the complaint was filed with (the root of ``unit``'s tree; routing
    and reassignment stay inside it). ``received_at`` is the instant of receipt; ``received_on`` its date in the
    unit's zone (``zone``, copied from ``unit.zone`` when routed), or the date a letter or a walk-in was received
    as the handler recorded it. The ``*_due`` dates come from ``DeadlineRule`` and the unit's calendar
    (``complaints.calendars``); the ``*_on`` dates are when each step happened (local dates). ``tracking_hash`` is
    the SHA-256 of the complainant's tracking code (``complaints.identity``). ``version`` counts saves: a write
    made from a stale page is refused.
    """

    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    external_ticket = models.CharField(
        _("ticket number of the channel"), max_length=60, blank=True,
        help_text=_("The SP4N-LAPOR! ticket number, or the reference of the letter or message."),
    )
    government = models.ForeignKey(
        "organizations.Unit", verbose_name=_("regional government"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
        related_name="complaints",
    )
    province_code = models.CharField(_("province code"), max_length=2, blank=True, db_index=True)
    zone = models.CharField(_("time zone"), max_length=20, default=WIB)
    service = models.ForeignKey(
        "standards.Service", verbose_name=_("service"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="complaints",
    )
    component = models.CharField(
        _("service-standard component"), max_length=40, choices=ComponentCode.choices, blank=True
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"))
    confidential = models.BooleanField(_("identity confidential"), default=False)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.RECEIVED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"))
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("picked up by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    routed_on = models.DateField(_("routed on"))
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    first_response_on = models.DateField(_("first answer on"), null=True, blank=True)
    file_requested_on = models.DateField(_("file completion asked on"), null=True, blank=True)
    file_completed_on = models.DateField(_("file complete on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=24, choices=WithdrawalReason.choices, blank=True
    )
    pickup_due = models.DateField(_("pick-up due"), null=True, blank=True)
    first_response_due = models.DateField(_("first answer due"), null=True, blank=True)
    completion_due = models.DateField(_("file completion due"), null=True, blank=True)
    resolution_due = models.DateField(_("resolution due"), null=True, blank=True)
    first_response_days = models.PositiveIntegerField(_("days to first answer"), null=True, blank=True)
    resolution_days = models.PositiveIntegerField(_("days to resolution"), null=True, blank=True)
    answer = models.TextField(_("answer of the unit"), blank=True)
    feedback_satisfied = models.BooleanField(_("complainant satisfied"), null=True, blank=True)
    feedback_comment = models.TextField(_("complainant's feedback"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "stage"]),
            models.Index(fields=["government", "received_on"]),
            models.Index(fields=["service", "received_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The complaint's public number, e.g. "PGD-000042" (it reveals nothing and grants nothing)."""
        return f"PGD-{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        """True until the complaint is closed or withdrawn."""
        return self.stage in OPEN_STAGES

    def current_due(self) -> dt.date | None:
        """The deadline of the current stage: the first answer while received, the completion of the file while
        incomplete (the complainant's), the resolution while in progress; None afterwards."""
        return {
            Stage.RECEIVED: self.first_response_due,
            Stage.INCOMPLETE: self.completion_due,
            Stage.IN_PROGRESS: self.resolution_due,
        }.get(Stage(self.stage))

    def is_overdue(self, today: dt.date) -> bool:
        """True when the unit missed a deadline it still has to meet (``overdue_q``) on ``today`` (local)."""
        if self.stage == Stage.RECEIVED:
            return self.first_response_due is not None and today > self.first_response_due
        if self.stage == Stage.IN_PROGRESS:
            return self.resolution_due is not None and today > self.resolution_due
        return False


class ComplainantIdentity(models.Model):
    """Who complained: name, NIK (16 digits, ``identity.check_nik``), phone and e-mail. Seen only by the handlers of
    the complaint and the Ombudsman (``complaints.access``); never in a list, an export, the API's complaint
    records, Open311 or an audit snapshot in clear (``complaints.identity.fingerprint``)."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="identity"
    )
    name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("complainant's identity")
        verbose_name_plural = _("complainants' identities")

    def __str__(self) -> str:
        return f"{_('identity')} {self.complaint}"


class EventKind(models.TextChoices):
    """What happened on a complaint's timeline."""

    RECEIVED = "received", _("received")
    PICKED_UP = "picked_up", _("picked up by the unit")
    REASSIGNED = "reassigned", _("reassigned to another unit")
    ESCALATED = "escalated", _("escalated to the regional coordinator")
    FILE_REQUESTED = "file_requested", _("asked to complete the file")
    FILE_COMPLETE = "file_complete", _("file complete")
    QUESTION = "question", _("question to the complainant")
    COMPLAINANT_MESSAGE = "complainant_message", _("message from the complainant")
    ANSWERED = "answered", _("answered")
    OUTCOME = "outcome", _("outcome recorded")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    DEADLINES_CHANGED = "deadlines_changed", _("deadlines recomputed")
    FORWARDED = "forwarded", _("forwarded to the Ombudsman")
    REPORT_STAGE = "report_stage", _("Ombudsman report stage")
    CODE_RENEWED = "code_renewed", _("new tracking code issued")
    NOTE = "note", _("internal note")


class ComplaintEvent(models.Model):
    """One line of a complaint's timeline: when, who (a user, or the complainant when ``actor`` is empty and
    ``by_complainant``), what (``kind``), the text (a question, a message, an answer, a reason) and ``data`` (for
    example the due dates before and after a recomputation). ``is_public`` lines show on the tracking page, where
    staff appear as "the unit", never by name."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    by_complainant = models.BooleanField(_("by the complainant"), default=False)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    is_public = models.BooleanField(_("shown to the complainant"), default=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_kind_display()}"


def attachment_upload_to(instance: Any, filename: str) -> str:
    """Storage path of complaint files: ``complaints/<random>-<name>`` under MEDIA_ROOT (never served publicly)."""
    return f"complaints/{safe_name(filename)}"


class ComplaintAttachment(models.Model):
    """A file of a complaint, checked with ``core.uploads.validate_document``; served only to those who may see the
    complainant's identity (a file may show a KTP or a letter)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        ComplaintEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    from_complainant = models.BooleanField(_("from the complainant"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("complaint file")
        verbose_name_plural = _("complaint files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.original_name}"


class DeadlineRule(models.Model):
    """A deadline as data (issue 13; domain/rules.md section 5): ``length`` working or calendar days for the step
    ``code``, with its legal ``source`` and ``provisional`` when the source is UNCERTAIN. A rule without ``unit`` is
    national; a unit's rule is its own standard's shorter deadline and applies to the unit and the units below it
    (the national rule stays the ceiling, ``complaints.deadlines.effective_due``). Edited only through
    ``complaints.actions.save_deadline_rule`` (the Ombudsman admin; audited); ``version`` refuses stale saves."""

    code = models.CharField(_("deadline"), max_length=20, choices=RuleCode.choices)
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="complaint_deadline_rules", help_text=_("Empty: the national rule."),
    )
    length = models.PositiveSmallIntegerField(_("length (days)"))
    day_kind = models.CharField(_("counted in"), max_length=16, choices=DayKind.choices)
    source = models.TextField(_("source"))
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("The source does not settle this deadline for certain.")
    )
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(unit__isnull=True), name="deadline_rule_national"),
            models.UniqueConstraint(fields=["code", "unit"], name="deadline_rule_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.length} {self.get_day_kind_display()}"


class CalendarDayKind(models.TextChoices):
    """A correction of the working-day calendar (rules.md section 11)."""

    DAY_OFF = "day_off", _("day off (added)")
    WORKING_DAY = "working_day", _("working day (a day off withdrawn)")


class CalendarDay(models.Model):
    """A correction of the calendar of the ``holidays`` library: a local or newly decreed day off, or a day off
    withdrawn (a joint leave day the government moved). National without ``unit``; otherwise it applies to the unit
    and the units below it, the most local entry winning (``complaints.deadlines.compose_days_off``). Changing the
    calendar recomputes the deadlines of open complaints (``complaints.actions.add_calendar_day``)."""

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=CalendarDayKind.choices)
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="calendar_days", help_text=_("Empty: national."),
    )
    description = models.CharField(_("description"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
        ordering = ["date", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["date"], condition=Q(unit__isnull=True), name="calendar_day_national"),
            models.UniqueConstraint(fields=["date", "unit"], name="calendar_day_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class ReportStage(models.TextChoices):
    """Stages of a report to the Ombudsman (UU 37/2008 art. 24-37; Peraturan Ombudsman 58/2023 per rules.md
    section 5; the stage names are Pantau's summary of that procedure, UNCERTAIN in detail)."""

    RECEIVED = "received", _("received by the Ombudsman")
    VERIFICATION = "verification", _("verification of the report")
    EXAMINATION = "examination", _("examination")
    CLOSED = "closed", _("closed")


class ReportOutcome(models.TextChoices):
    """How the Ombudsman closed a report (rules.md section 5: LAHP with corrective action, Rekomendasi)."""

    CORRECTIVE_ACTION = "corrective_action", _("maladministration found: corrective action (LAHP)")
    RECOMMENDATION = "recommendation", _("Recommendation issued")
    SETTLED = "settled", _("settled by the provider during examination")
    NO_MALADMINISTRATION = "no_maladministration", _("no maladministration found")
    NOT_ACCEPTED = "not_accepted", _("not accepted (requirements of UU 37/2008 art. 24 not met)")


class OmbudsmanReportQuerySet(ScopedQuerySet):
    """Reports, scoped through the complaint's unit."""

    scope_unit = "complaint__unit"


class OmbudsmanReport(models.Model):
    """A complaint the provider did not resolve, forwarded to the Ombudsman as a report (laporan, UU 37/2008
    art. 24: the reporter already complained to the provider without a proper resolution), with its own stages.
    ``office`` is the Ombudsman office of the complaint's province when Pantau knows one."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="ombudsman_report"
    )
    office = models.ForeignKey(
        "organizations.Unit", verbose_name=_("Ombudsman office"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ReportStage.choices, default=ReportStage.RECEIVED)
    outcome = models.CharField(_("outcome"), max_length=24, choices=ReportOutcome.choices, blank=True)
    forwarded_on = models.DateField(_("forwarded on"))
    by_complainant = models.BooleanField(_("forwarded by the complainant"), default=False)
    register_number = models.CharField(_("Ombudsman register number"), max_length=60, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = OmbudsmanReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report to the Ombudsman")
        verbose_name_plural = _("reports to the Ombudsman")
        ordering = ["-forwarded_on", "-id"]

    def __str__(self) -> str:
        return f"{_('report')} {self.complaint}"


class ComplaintWindowQuerySet(ScopedQuerySet):
    """Windows, scoped through their unit."""

    scope_unit = "unit"


class ComplaintWindow(models.Model):
    """The number of complaints about one service or one standard component of a unit received from ``start`` to
    ``end`` (inclusive): the measurement that records a complaint finding (``count`` at or above the threshold)
    and, in a later window below it, closes the finding and credits its actions (``complaints.patterns``).
    ``key`` is the finding's ``source_key``."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="complaint_windows"
    )
    key = models.CharField(_("subject"), max_length=120)
    label = models.CharField(_("about"), max_length=300)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    count = models.PositiveIntegerField(_("complaints"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ComplaintWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint window")
        verbose_name_plural = _("complaint windows")
        ordering = ["-end", "key"]
        constraints = [models.UniqueConstraint(fields=["unit", "key", "start", "end"], name="complaint_window_once")]

    def __str__(self) -> str:
        return f"{self.label} {self.start.isoformat()}..{self.end.isoformat()}: {self.count}"

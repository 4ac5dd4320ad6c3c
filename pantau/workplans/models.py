"""Improvement actions of a work plan, their progress reports, evidence and Ombudsman verification.

Each action states what (title, description, finding), when (start, due), who (responsible unit, person in charge by
position, supporting units), budget (planned IDR, source, fiscal year; realized = sum of accepted reports) and a
measurable indicator (baseline, target, actual) - the Ombudsman's demand in the founding case
(domain/rules.md section 7). Status is derived by ``workplans.progress.derive_status``.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pantau.accounts.scoping import ScopedQuerySet
from pantau.core.natural import SORT_KEY_LENGTH, sort_key
from pantau.core.uploads import evidence_upload_to, validate_document
from pantau.workplans import progress as rules

MAX_MONEY = 10**15
"""Largest amount of money Pantau accepts, in IDR (a thousand trillion rupiah, far above any regional budget), so
that sums over many rows stay within a 64-bit integer."""


class BudgetSource(models.TextChoices):
    """Where an action's money comes from (domain/rules.md section 6)."""

    APBD = "APBD", _("regional budget (APBD)")
    APBDES = "APBDes", _("village budget (APBDes)")
    OTHER = "other", _("other")
    NONE = "none", _("no budget needed")


STATUS_LABELS: dict[str, Any] = {
    rules.Status.NOT_STARTED: _("not started"),
    rules.Status.ON_TRACK: _("on track"),
    rules.Status.AT_RISK: _("at risk"),
    rules.Status.OVERDUE: _("overdue"),
    rules.Status.DONE: _("done, awaiting verification"),
    rules.Status.VERIFIED: _("verified"),
    rules.Status.CANCELLED: _("cancelled"),
}


class ActionQuerySet(ScopedQuerySet):
    """Actions, scoped per user by their responsible unit (``accounts.scoping``)."""

    scope_unit = "responsible_unit"


class Action(models.Model):
    """One improvement action (rencana aksi) in a work plan, possibly a child of another action.

    Money is whole rupiah (IDR, integers). Indicator values are decimals in the indicator's unit. ``weight`` is a
    positive number relative to the siblings, set on all of them or on none (``progress.effective_weights``; the
    write path refuses a mix). ``actual_reported``, ``actual_verified`` and ``budget_realized`` are kept by
    ``workplans.actions`` from the progress reports; ``progress_reported``, ``progress_verified`` (percent 0..100) and
    ``reported_any`` are the rolled-up figures of ``progress`` and ``has_reported``, stored by every write of the plan
    (``workplans.actions.refresh_rollups``) so that statuses and dashboards are computed in SQL
    (``workplans.statuses``). ``version`` counts saves (``core.concurrency``). Dates are
    calendar dates in the responsible unit's own time zone (``Unit.zone``; domain/rules.md section 10).
    """

    work_plan = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("work plan"), on_delete=models.PROTECT, related_name="actions"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent action"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20)
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, default="", db_index=True)
    title = models.CharField(_("what changes"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    finding = models.TextField(_("finding it answers"), blank=True)
    start_date = models.DateField(_("start"))
    due_date = models.DateField(_("due"))
    responsible_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
        related_name="actions",
    )
    pic_position = models.CharField(_("person in charge (position)"), max_length=200)
    supporting_units = models.ManyToManyField(
        "organizations.Unit", verbose_name=_("supporting units"), blank=True, related_name="supported_actions"
    )
    budget_planned = models.BigIntegerField(
        _("planned budget (IDR)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_MONEY)]
    )
    budget_source = models.CharField(_("budget source"), max_length=8, choices=BudgetSource.choices)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), null=True, blank=True, validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    indicator_name = models.CharField(_("indicator"), max_length=300)
    indicator_unit = models.CharField(_("indicator unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    weight = models.DecimalField(
        _("weight"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    actual_reported = models.DecimalField(
        _("actual (reported)"), max_digits=16, decimal_places=2, null=True, blank=True, editable=False
    )
    actual_verified = models.DecimalField(
        _("actual (verified)"), max_digits=16, decimal_places=2, null=True, blank=True, editable=False
    )
    budget_realized = models.BigIntegerField(_("realized budget (IDR)"), default=0, editable=False)
    province_code = models.CharField(max_length=2, blank=True, db_index=True, editable=False)
    progress_reported = models.DecimalField(
        _("reported progress (%)"), max_digits=5, decimal_places=2, default=Decimal("0.00"), editable=False
    )
    progress_verified = models.DecimalField(
        _("verified progress (%)"), max_digits=5, decimal_places=2, default=Decimal("0.00"), editable=False
    )
    reported_any = models.BooleanField(_("has reported"), default=False, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["work_plan", "sort_key", "code"]
        constraints = [
            models.UniqueConstraint(fields=["work_plan", "code"], name="action_unique_code_in_plan"),
            models.CheckConstraint(condition=Q(due_date__gte=models.F("start_date")), name="action_due_after_start"),
            models.CheckConstraint(condition=Q(budget_planned__gte=0), name="action_budget_not_negative"),
            models.CheckConstraint(condition=~Q(target=models.F("baseline")), name="action_target_differs"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves with ``sort_key`` kept from ``code`` (``core.natural.sort_key``: F2 before F10 in SQL ordering)."""
        self.sort_key = sort_key(self.code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "code" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)

    # Progress and status are computed from the stored actuals and (for parents) the children.
    def own_progress(self, *, verified: bool) -> Decimal:
        """Indicator progress (percent 0..100) from this action's own actual value."""
        actual = self.actual_verified if verified else self.actual_reported
        return rules.indicator_progress(self.baseline, self.target, actual)

    def active_children(self) -> list["Action"]:
        """Children that are not cancelled (uses a prefetched ``children`` when available)."""
        return [c for c in self.children.all() if c.cancelled_on is None]

    def progress(self, *, verified: bool = False) -> Decimal:
        """Progress in percent 0..100: the weighted roll-up of the children when there are any, else own progress."""
        children = self.active_children()
        if children:
            return rules.rollup([(c.weight, c.progress(verified=verified)) for c in children])
        return self.own_progress(verified=verified)

    @property
    def reported_progress(self) -> Decimal:
        """Progress claimed by the latest report that was not returned (percent)."""
        return self.progress(verified=False)

    @property
    def verified_progress(self) -> Decimal:
        """Progress accepted by the Ombudsman (percent)."""
        return self.progress(verified=True)

    def has_reported(self) -> bool:
        """True when progress was reported: for an action without sub-actions, a report that was not returned; for
        a parent, at least one of its non-cancelled sub-actions has one (the test ``status_on`` uses)."""
        children = self.active_children()
        return any(c.has_reported() for c in children) if children else self.actual_reported is not None

    def coverage(self) -> rules.Coverage:
        """How many of the non-cancelled sub-actions reported (``has_reported``) out of how many: what the roll-up
        of ``progress`` counts (a sub-action without a report counts as 0 %, docs/status.md)."""
        children = self.active_children()
        return rules.Coverage(reported=sum(1 for c in children if c.has_reported()), total=len(children))

    def status_on(self, today: dt.date) -> str:
        """Derived status on ``today`` (see ``progress.derive_status``)."""
        has_reports = self.has_reported()
        return rules.derive_status(
            rules.StatusInput(
                today=today,
                start=self.start_date,
                due=self.due_date,
                cancelled=self.cancelled_on is not None,
                reported_progress=self.reported_progress,
                verified_progress=self.verified_progress,
                has_reports=has_reports,
            )
        )

    def local_today(self, now: dt.datetime | None = None) -> dt.date:
        """Today in the responsible unit's own time zone (WIB, WITA or WIT; ``Unit.local_today``): the day every
        date rule of the action uses (status, due dates, report dates). ``now``: an aware instant, default now."""
        return self.responsible_unit.local_today(now)

    def status_at(self, now: dt.datetime) -> str:
        """Derived status at the instant ``now`` (aware), on the responsible unit's local date."""
        return self.status_on(self.local_today(now))

    def status_as_of(self, when: dt.datetime | dt.date) -> str:
        """Status at an aware instant (on the responsible unit's local date, ``status_at``) or on a given calendar
        date (``status_on``: a report "as of" the end of a quarter)."""
        if isinstance(when, dt.datetime):
            return self.status_at(when)
        return self.status_on(when)

    @property
    def status(self) -> str:
        """Status today, in the responsible unit's own time zone."""
        return self.status_at(timezone.now())

    @property
    def is_verified(self) -> bool:
        """True when the Ombudsman-accepted progress reached 100 % (status "verified" whatever the date)."""
        return self.verified_progress >= rules.HUNDRED

    def get_status_display(self) -> str:
        """Translated label of the status today."""
        return str(STATUS_LABELS[self.status])


class ReportStatus(models.TextChoices):
    """Review state of a progress report."""

    SUBMITTED = "submitted", _("awaiting verification")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class ProgressReport(models.Model):
    """A progress report on an action: date, new actual value of the indicator, narrative, money spent in whole
    rupiah since the previous report, evidence files; accepted or returned (with a reason) by an Ombudsman assistant.
    ``province_code`` is the action's, for national partitioning (docs/scale.md).
    """

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="reports")
    report_date = models.DateField(_("report date"))
    actual_value = models.DecimalField(_("new actual value"), max_digits=16, decimal_places=2)
    narrative = models.TextField(_("narrative"))
    amount_spent = models.BigIntegerField(
        _("money spent (IDR)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_MONEY)]
    )
    status = models.CharField(
        _("review"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review note"), blank=True)
    province_code = models.CharField(max_length=2, blank=True, db_index=True, editable=False)
    """The action's province (``Action.province_code``), kept on the report for distribution by province
    (docs/scale.md); set by ``workplans.actions.report_progress`` and when an action's province changes."""

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["action", "report_date", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_spent__gte=0), name="report_spent_not_negative")]
        indexes = [
            # the reports awaiting verification, oldest first (home page of the Ombudsman's assistants): a seq scan
            # of every report at national size without it (docs/scale.md)
            models.Index(fields=["report_date", "id"], condition=Q(status="submitted"), name="report_awaiting"),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} {self.report_date}"


class Evidence(models.Model):
    """A supporting-evidence file (bukti dukung) of a progress report, served only through a permission check."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, validators=[validate_document])
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name

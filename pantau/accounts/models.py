"""Users, roles granted on a unit (inherited by its subtree), and permission codes.

Roles follow DESIGN.md (accounts). The public has no account and sees only published pages.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A Pantau user. ``position`` is the job title (jabatan) shown instead of a name in shared data."""

    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Permission(models.TextChoices):
    """Permission codes checked by ``for_user`` and by every write path (``<app>/actions.py``)."""

    VIEW = "view", _("view")
    MANAGE_AGREEMENTS = "manage_agreements", _("manage agreements and work plans")
    MANAGE_MEETINGS = "manage_meetings", _("manage meetings")
    EDIT_ACTIONS = "edit_actions", _("create and edit actions")
    REPORT_PROGRESS = "report_progress", _("report progress")
    VERIFY_PROGRESS = "verify_progress", _("verify progress")
    IMPORT_ACTIONS = "import_actions", _("import actions")
    MANAGE_SURVEYS = "manage_surveys", _("manage satisfaction surveys")
    MANAGE_STANDARDS = "manage_standards", _("manage services and their standards")
    REVIEW_STANDARDS = "review_standards", _("turn gaps in service standards into findings")
    RECORD_SELF_ASSESSMENT = "record_self_assessment", _("record self-assessments")
    RECORD_ASSESSMENTS = "record_assessments", _("record official assessments and pre-evaluations")
    IMPORT_RESULTS = "import_results", _("import published compliance results and recompute scores")
    MANAGE_UNITS = "manage_units", _("create, edit and move units")
    MANAGE_ROLES = "manage_roles", _("grant roles")
    PUBLISH_RESULTS = "publish_results", _("publish assessment rounds and survey results")
    HANDLE_COMPLAINTS = "handle_complaints", _("handle complaints and see the complainant's identity")
    SUPERVISE_COMPLAINTS = "supervise_complaints", _("supervise complaint handling and handle Ombudsman reports")
    MANAGE_DEADLINE_RULES = "manage_deadline_rules", _("edit complaint deadline rules and the national calendar")
    MANAGE_WORK_CALENDAR = "manage_work_calendar", _("edit a unit's local days off and added working days")


class Role(models.TextChoices):
    """Roles a user holds on a unit (and everything below it)."""

    OMBUDSMAN_ADMIN = "ombudsman_admin", _("Ombudsman admin")
    OMBUDSMAN_ASSISTANT = "ombudsman_assistant", _("Ombudsman assistant")
    COORDINATOR = "coordinator", _("regional coordinator")
    UNIT_OFFICER = "unit_officer", _("unit officer")
    VIEWER = "viewer", _("viewer")


P = Permission
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OMBUDSMAN_ADMIN: frozenset(
        {P.VIEW, P.MANAGE_AGREEMENTS, P.MANAGE_MEETINGS, P.EDIT_ACTIONS, P.VERIFY_PROGRESS, P.IMPORT_ACTIONS,
         P.MANAGE_ROLES, P.MANAGE_SURVEYS, P.REVIEW_STANDARDS, P.RECORD_SELF_ASSESSMENT, P.RECORD_ASSESSMENTS,
         P.IMPORT_RESULTS, P.MANAGE_UNITS, P.SUPERVISE_COMPLAINTS, P.MANAGE_DEADLINE_RULES,
         P.MANAGE_WORK_CALENDAR, P.PUBLISH_RESULTS}
    ),
    Role.OMBUDSMAN_ASSISTANT: frozenset(
        {P.VIEW, P.VERIFY_PROGRESS, P.MANAGE_MEETINGS, P.REVIEW_STANDARDS, P.RECORD_ASSESSMENTS,
         P.SUPERVISE_COMPLAINTS, P.PUBLISH_RESULTS}
    ),
    Role.COORDINATOR: frozenset(
        {P.VIEW, P.MANAGE_AGREEMENTS, P.MANAGE_MEETINGS, P.EDIT_ACTIONS, P.REPORT_PROGRESS, P.IMPORT_ACTIONS,
         P.MANAGE_ROLES, P.MANAGE_SURVEYS, P.MANAGE_STANDARDS, P.REVIEW_STANDARDS, P.RECORD_SELF_ASSESSMENT,
         P.MANAGE_UNITS, P.HANDLE_COMPLAINTS, P.MANAGE_WORK_CALENDAR}
    ),
    # a unit runs its own SKM, drafts and adopts its own service standards (UU 25/2009 art. 20-22) and handles the
    # complaints about its services (Perpres 76/2013: the provider manages its complaints)
    Role.UNIT_OFFICER: frozenset(
        {P.VIEW, P.REPORT_PROGRESS, P.MANAGE_SURVEYS, P.MANAGE_STANDARDS, P.HANDLE_COMPLAINTS}
    ),
    Role.VIEWER: frozenset({P.VIEW}),
}
"""What each role may do. Verification is the Ombudsman's alone; the government reports and plans. Complaints are
handled by the government (coordinator, unit officer: HANDLE_COMPLAINTS) and supervised by the Ombudsman
(SUPERVISE_COMPLAINTS), whose admin alone edits the deadline rules (MANAGE_DEADLINE_RULES). Publishing assessment
rounds and survey results (turning a draft into the official figure viewers see) is the Ombudsman's too
(PUBLISH_RESULTS; DESIGN.md, "Figures are drafts until published")."""

GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.OMBUDSMAN_ADMIN: frozenset(Role.values),
    Role.COORDINATOR: frozenset({Role.COORDINATOR, Role.UNIT_OFFICER, Role.VIEWER}),
}
"""Which roles a holder of MANAGE_ROLES may grant below its unit: only the Ombudsman grants Ombudsman roles."""


class RoleGrant(models.Model):
    """A role held by a user on a unit; it reaches the unit's whole subtree.

    A grant on an Ombudsman office reaches every unit in the office's region (its province), since the office
    supervises the governments there rather than owning them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_grants"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="rolegrant_unique")]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.unit}"

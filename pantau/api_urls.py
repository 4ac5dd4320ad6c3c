"""REST API under /api/v1/ with its OpenAPI schema (/api/v1/schema/).

Regions are public reference data addressed by their dotted Kemendagri code; everything else needs a login and is
scoped to what the user may view (``for_user(user, VIEW)``).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from pantau.agreements.api import AgreementViewSet
from pantau.assessments.api import AssessmentRoundViewSet, ComplianceResultViewSet, MethodEditionViewSet
from pantau.complaints.api import ComplaintServiceViewSet, ComplaintViewSet, DeadlineRuleViewSet
from pantau.findings.api import CreditViewSet, FindingViewSet
from pantau.meetings.api import CalendarFeedView, DecisionViewSet, MeetingViewSet
from pantau.organizations.api import UnitViewSet
from pantau.regions.api import RegionViewSet
from pantau.standards.api import ServiceViewSet
from pantau.surveys.api import IkmResultViewSet, SurveyPeriodViewSet
from pantau.workplans.api import ActionViewSet, ProgressReportViewSet, WorkPlanViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", UnitViewSet, basename="unit")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("work-plans", WorkPlanViewSet, basename="work-plan")
router.register("actions", ActionViewSet, basename="action")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("assessment-editions", MethodEditionViewSet, basename="assessment-edition")
router.register("compliance-results", ComplianceResultViewSet, basename="compliance-result")
router.register("assessment-rounds", AssessmentRoundViewSet, basename="assessment-round")
router.register("findings", FindingViewSet, basename="finding")
router.register("credits", CreditViewSet, basename="credit")
router.register("services", ServiceViewSet, basename="service")
router.register("survey-periods", SurveyPeriodViewSet, basename="survey-period")
router.register("ikm-results", IkmResultViewSet, basename="ikm-result")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("complaint-services", ComplaintServiceViewSet, basename="complaint-service")
router.register("deadline-rules", DeadlineRuleViewSet, basename="deadline-rule")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("calendar-feed/", CalendarFeedView.as_view(), name="calendar-feed"),
    path("", include(router.urls)),
]

"""REST API under /api/v1/ with its OpenAPI schema (/api/v1/schema/) and its documentation page (/api/v1/docs/,
Swagger UI served by Pantau). The root lists the endpoints: JSON for programs, a short page in the user's language
for a browser.

Regions are public reference data addressed by their dotted Kemendagri code; everything else needs a login and is
scoped to what the user may view (``for_user(user, VIEW)``).
"""

from typing import Any

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.routers import APIRootView, DefaultRouter

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


class ApiRootPageRenderer(TemplateHTMLRenderer):
    """The API root as a page (``api_root.html``) for a browser asking for HTML: the endpoints and the docs link."""

    template_name = "api_root.html"

    def get_template_context(self, data: Any, renderer_context: Any) -> dict[str, Any]:
        """``endpoints``: (name, absolute URL) pairs in the order of the JSON answer."""
        return {"endpoints": sorted(data.items()) if isinstance(data, dict) else []}


class PantauAPIRootView(APIRootView):
    """``GET /api/v1/``: ``{endpoint name: absolute URL}`` as JSON (the default), or a page in the user's language
    when the client prefers ``text/html``. Open to anyone: it names the endpoints only, each needs its own rights."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, ApiRootPageRenderer]


class ApiDocsView(SpectacularSwaggerSplitView):
    """``GET /api/v1/docs/``: Swagger UI for the OpenAPI schema, its script a separate file (CSP script-src 'self')
    and its files from ``drf-spectacular-sidecar``."""

    template_name = "api_docs.html"
    title = "Pantau API"


router = DefaultRouter()
router.APIRootView = PantauAPIRootView
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
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("calendar-feed/", CalendarFeedView.as_view(), name="calendar-feed"),
    path("", include(router.urls)),
]

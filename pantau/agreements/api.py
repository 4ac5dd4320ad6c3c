"""Agreements API: MoUs and work plans, read-only, scoped to what the user may view.

``GET /api/v1/agreements/`` and ``/api/v1/agreements/<id>/``. Work plans with their progress summary are served by
``workplans.api.WorkPlanViewSet`` at ``/api/v1/work-plans/`` with the same fields plus ``summary``.
"""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from pantau.accounts.models import Permission
from pantau.agreements.models import Agreement, AgreementKind, AgreementStatus, Signatory
from pantau.core.api import IdLookupMixin, PantauAPIMixin, PantauPagination, choice_param
from pantau.organizations.models import Unit


class PartySerializer(serializers.ModelSerializer):
    """A party to an agreement, in brief: ``{id, name, kind}``."""

    class Meta:
        model = Unit
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class SignatorySerializer(serializers.ModelSerializer):
    """One signatory, by position (never by name): ``{position, capacity ("signed" or "witnessed"),
    capacity_label, unit (id), unit_name}``."""

    capacity_label = serializers.CharField(source="get_capacity_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Signatory
        fields = ["position", "capacity", "capacity_label", "unit", "unit_name"]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    """An MoU or a work plan: ``{id, kind, kind_label, title, number, parent (id of the MoU or null),
    ombudsman_office {id, name, kind}, government {id, name, kind}, is_signed, signed_on, signed_place, period_start,
    period_end, terminated_on (dates YYYY-MM-DD or null), status (derived today in the government party's own time
    zone: draft, active, expired or terminated), status_label, signatories [signatory], has_document, summary,
    source_url}``.

    The document file itself is not exposed here: files are served only through permission-checked pages.
    """

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    ombudsman_office = PartySerializer(read_only=True)
    government = PartySerializer(read_only=True)
    status = serializers.ChoiceField(choices=AgreementStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id", "kind", "kind_label", "title", "number", "parent", "ombudsman_office", "government", "is_signed",
            "signed_on", "signed_place", "period_start", "period_end", "terminated_on", "status", "status_label",
            "signatories", "has_document", "summary", "source_url",
        ]
        read_only_fields = fields

    def get_has_document(self, obj: Agreement) -> bool:
        """True when a signed document is on file."""
        return bool(obj.document)


def agreements_for(user: object) -> QuerySet[Agreement]:
    """Agreements ``user`` may view, with parties and signatories loaded in a fixed number of queries."""
    return (
        Agreement.objects.for_user(user, Permission.VIEW)
        .select_related("ombudsman_office", "government")
        .prefetch_related(Prefetch("signatories", queryset=Signatory.objects.select_related("unit").order_by("id")))
        .order_by("-signed_on", "title", "id")
    )


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=AgreementKind.values)])
)
class AgreementViewSet(IdLookupMixin, PantauAPIMixin, viewsets.ReadOnlyModelViewSet):
    """MoUs, work plans and cooperation agreements the user may view (``Agreement.objects.for_user(user, VIEW)``);
    login required, read-only.

    List: paginated ``{count, next, previous, results: [agreement]}``, newest signing first; ``?kind=`` one of
    mou, work_plan, cooperation (else 400). Detail: 404 for an agreement outside the user's scope or a junk id.
    """

    serializer_class = AgreementSerializer
    pagination_class = PantauPagination

    def get_queryset(self) -> QuerySet[Agreement]:
        """Agreements in the user's VIEW scope, filtered by ``?kind=``."""
        qs = agreements_for(self.request.user)
        kind = choice_param(self.request, "kind", AgreementKind.values) if self.action == "list" else None
        if kind:
            qs = qs.filter(kind=kind)
        return qs

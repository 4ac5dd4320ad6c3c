"""Agreement pages: the list, an MoU, work plan or PKS with its parties, signing, signatories by position, period,
documents, addenda, history, the plans under it and its meetings; create, edit, sign, amend, terminate.

Views stay thin: every change goes through ``pantau.agreements.actions``. Agreements outside the user's VIEW scope
are 404; visible but not manageable (MANAGE_AGREEMENTS on neither party) is 403.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pantau.accounts.models import Permission
from pantau.accounts.scoping import has_unit_permission, units_for
from pantau.agreements import actions as write
from pantau.agreements.forms import (
    AddendumForm,
    AgreementForm,
    DocumentForm,
    SignatoryFormSet,
    SignForm,
    TerminateForm,
)
from pantau.agreements.models import Agreement, AgreementDocument, AgreementKind
from pantau.audit.timeline import history, last_change
from pantau.core.concurrency import StaleVersion, add_version, conflict_page, form_version

MAX_ID = 2**63 - 1

CHILD_KIND = {AgreementKind.MOU: AgreementKind.WORK_PLAN, AgreementKind.WORK_PLAN: AgreementKind.COOPERATION}
"""What stands under an agreement of each kind (domain/rules.md section 7)."""


def header_context(agreement: Agreement) -> dict[str, Any]:
    """What the agreement header shows: ``{"agreement", "signatories" (list, signers first), "meetings" (list,
    by date)}``. Meeting counts that the source did not publish stay None and show as "not published"."""
    return {
        "agreement": agreement,
        "signatories": list(agreement.signatories.select_related("unit").order_by("capacity", "unit__path", "pk")),
        "meetings": list(agreement.meetings.order_by("date", "pk")),
    }


def _check_id(pk: int) -> None:
    if pk < 1 or pk > MAX_ID:
        raise Http404


def visible_agreement_or_404(user: Any, pk: int) -> Agreement:
    """The agreement ``pk`` if ``user`` may VIEW it, else Http404."""
    _check_id(pk)
    return get_object_or_404(
        Agreement.objects.for_user(user, Permission.VIEW).select_related("government", "ombudsman_office", "parent"),
        pk=pk,
    )


def _manageable(user: Any, pk: int) -> Agreement:
    agreement = visible_agreement_or_404(user, pk)
    if not write.may_manage(user, agreement):
        raise PermissionDenied(_("You may not manage agreements of these parties."))
    return agreement


def apply_errors(form: Form, exc: ValidationError) -> None:
    """Put a write-path ValidationError on ``form`` (on the field it names when the form has it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _may_create(user: Any) -> bool:
    """True when the user holds MANAGE_AGREEMENTS anywhere."""
    return units_for(user, Permission.MANAGE_AGREEMENTS).exists()


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    """GET /agreements/: the MoUs, work plans and PKS the user may see, MoUs first with what stands under them."""
    agreements = list(
        Agreement.objects.for_user(request.user, Permission.VIEW)
        .select_related("government", "ombudsman_office", "parent").order_by("-signed_on", "title", "pk")
    )
    order = {AgreementKind.MOU: 0, AgreementKind.WORK_PLAN: 1, AgreementKind.COOPERATION: 2}
    agreements.sort(key=lambda a: order.get(a.kind, 3))
    return render(request, "agreements/agreement_list.html",
                  {"agreements": agreements, "can_create": _may_create(request.user)})


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An agreement the user may VIEW (else 404): its header, documents, addenda with what they changed, the visible
    agreements under it (work plans of an MoU, PKS of a work plan), its meetings, and its readable history."""
    agreement = visible_agreement_or_404(request.user, pk)
    visible = Agreement.objects.for_user(request.user, Permission.VIEW)
    children = visible.filter(parent=agreement).select_related("government").order_by("kind", "-signed_on", "title")
    context = header_context(agreement)
    can_manage = write.may_manage(request.user, agreement)
    context.update({
        "children": list(children),
        "child_kind": CHILD_KIND.get(agreement.kind),
        "history": history(agreement),
        "documents": list(agreement.documents.select_related("version").order_by("uploaded_at", "pk")),
        "versions": list(agreement.versions.order_by("number")),
        "can_manage": can_manage,
        "can_plan_meetings": _may_plan_meetings(request.user, agreement),
        "document_form": DocumentForm() if can_manage else None,
    })
    return render(request, "agreements/agreement_detail.html", context)


def _may_plan_meetings(user: Any, agreement: Agreement) -> bool:
    """True when ``user`` holds MANAGE_MEETINGS on a party of ``agreement``."""
    return any(has_unit_permission(user, Permission.MANAGE_MEETINGS, party)
               for party in (agreement.ombudsman_office, agreement.government))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    """GET/POST /agreements/new/?kind=mou|work_plan|cooperation[&parent=<id>]: a new agreement (MANAGE_AGREEMENTS
    on one of its parties, checked by the write path); then its signatories."""
    kind = request.GET.get("kind", AgreementKind.WORK_PLAN)
    if kind not in AgreementKind.values:
        raise Http404
    if not _may_create(request.user):
        raise PermissionDenied(_("You may not manage agreements of these parties."))
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = visible_agreement_or_404(request.user, int(request.GET["parent"]))
    form = AgreementForm(request.POST or None, user=request.user, kind=kind, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = write.create_agreement(actor=request.user, data=form.agreement_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The agreement was saved. Now record its signatories."))
            return redirect("agreements:signatories", pk=agreement.pk)
    return render(request, "agreements/agreement_form.html",
                  {"form": form, "agreement": None, "kind": kind, "kind_label": AgreementKind(kind).label})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /agreements/<id>/edit/: change the agreement's fields (MANAGE_AGREEMENTS). Once signed, the signing
    fields are fixed; changes of substance are recorded as addenda."""
    agreement = _manageable(request.user, pk)

    def build(data: Any, instance: Agreement) -> AgreementForm:
        form = AgreementForm(data, user=request.user, kind=instance.kind, instance=instance)
        return add_version(form, instance)  # type: ignore[return-value]

    form = build(request.POST or None, agreement)
    if request.method == "POST" and form.is_valid():
        try:
            write.update_agreement(actor=request.user, agreement=agreement, data=form.agreement_data(),
                                   expected_version=form_version(form))
        except StaleVersion as exc:
            return conflict_page(
                request, exc, form, rebuild=build, template="agreements/agreement_form.html",
                context={"agreement": agreement, "kind": agreement.kind, "kind_label": agreement.get_kind_display()},
                fields=write.AGREEMENT_FIELDS, entry_for=last_change, zone=agreement.government.zone,
            )
        except ValidationError as exc:
            agreement.refresh_from_db()
            apply_errors(form, exc)
        except PermissionDenied as exc:
            agreement.refresh_from_db()
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("agreements:agreement_detail", pk=agreement.pk)
    return render(request, "agreements/agreement_form.html",
                  {"form": form, "agreement": agreement, "kind": agreement.kind,
                   "kind_label": agreement.get_kind_display()})


@login_required
@require_http_methods(["GET", "POST"])
def signatories_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /agreements/<id>/signatories/: who signs or witnesses, by position, for each party."""
    agreement = _manageable(request.user, pk)
    initial = [{"unit": s.unit, "position": s.position, "capacity": s.capacity}
               for s in agreement.signatories.select_related("unit").order_by("capacity", "pk")]
    formset = SignatoryFormSet(request.POST or None, agreement=agreement, prefix="s", initial=initial)
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            write.set_signatories(actor=request.user, agreement=agreement, signatories=formset.rows())
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The signatories were saved."))
            return redirect("agreements:agreement_detail", pk=agreement.pk)
    return render(request, "agreements/signatories_form.html",
                  {"agreement": agreement, "formset": formset, "errors": errors})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /agreements/<id>/sign/: record the signing of a draft with the signed document."""
    agreement = _manageable(request.user, pk)
    if agreement.is_signed:
        messages.error(request, _("This agreement is already signed."))
        return redirect("agreements:agreement_detail", pk=agreement.pk)
    form = SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            write.sign_agreement(actor=request.user, agreement=agreement, signed_on=data["signed_on"],
                                 signed_place=data["signed_place"], document=data["document"],
                                 period_start=data["period_start"])
        except ValidationError as exc:
            agreement.refresh_from_db()
            apply_errors(form, exc)
        else:
            messages.success(request, _("The signing was recorded."))
            return redirect("agreements:agreement_detail", pk=agreement.pk)
    return render(request, "agreements/agreement_step.html",
                  {"agreement": agreement, "form": form, "title": _("Record the signing"), "multipart": True})


@login_required
@require_http_methods(["GET", "POST"])
def addendum_create(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /agreements/<id>/addenda/new/: record a signed addendum as the next version, with what changed."""
    agreement = _manageable(request.user, pk)
    form = AddendumForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = write.add_addendum(
                actor=request.user, agreement=agreement, title=data["title"], signed_on=data["signed_on"],
                summary=data["summary"], changes=form.changes(), document_number=data["document_number"],
                document=data["document"],
            )
        except ValidationError as exc:
            agreement.refresh_from_db()
            apply_errors(form, exc)
        else:
            messages.success(request, _("Addendum %(number)d was recorded.") % {"number": version.number})
            return redirect("agreements:agreement_detail", pk=agreement.pk)
    return render(request, "agreements/agreement_step.html",
                  {"agreement": agreement, "form": form, "title": _("Record an addendum"), "multipart": True})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET/POST /agreements/<id>/terminate/: end a signed agreement early, with the reason."""
    agreement = _manageable(request.user, pk)
    form = TerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            write.terminate_agreement(actor=request.user, agreement=agreement,
                                      on=form.cleaned_data["terminated_on"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            agreement.refresh_from_db()
            apply_errors(form, exc)
        else:
            messages.success(request, _("The agreement was terminated."))
            return redirect("agreements:agreement_detail", pk=agreement.pk)
    return render(request, "agreements/agreement_step.html",
                  {"agreement": agreement, "form": form, "title": _("Terminate the agreement"), "danger": True})


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /agreements/<id>/documents/: upload one checked document (MANAGE_AGREEMENTS)."""
    agreement = _manageable(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            write.upload_document(actor=request.user, agreement=agreement, upload=data["file"], kind=data["kind"],
                                  note=data["note"] or "")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The document was uploaded."))
    else:
        messages.error(request, _("Choose a file and its kind."))
    return redirect("agreements:agreement_detail", pk=agreement.pk)


def _visible_document(request: HttpRequest, pk: int) -> AgreementDocument:
    _check_id(pk)
    visible = Agreement.objects.for_user(request.user, Permission.VIEW)
    return get_object_or_404(AgreementDocument.objects.select_related("agreement"), pk=pk, agreement__in=visible)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /agreement-documents/<id>/: the file as an attachment, only to users who may VIEW its agreement (404
    otherwise, also when the file is missing). Never a public media URL."""
    document = _visible_document(request, pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def legacy_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /agreements/<id>/document/: the single document stored on the agreement before documents had their own
    records (``Agreement.document``), to users who may VIEW it."""
    agreement = visible_agreement_or_404(request.user, pk)
    if not agreement.document:
        raise Http404
    try:
        handle = agreement.document.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    name = agreement.document.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /agreement-documents/<id>/remove/: remove a document uploaded by mistake (MANAGE_AGREEMENTS)."""
    document = _visible_document(request, pk)
    agreement_pk = document.agreement_id
    write.remove_document(actor=request.user, document=document)
    messages.success(request, _("The document was removed."))
    return redirect("agreements:agreement_detail", pk=agreement_pk)

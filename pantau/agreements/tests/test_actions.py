"""The write path of agreements: who may, the layering of MoU, work plan and PKS (rules.md section 7), the lifecycle,
addenda as versions with what changed, signatories, documents; every change audited, every refusal changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pantau.agreements import actions as write
from pantau.agreements.models import Agreement, AgreementKind, AgreementStatus, DocumentKind, Signatory
from pantau.audit.models import AuditAction, AuditEntry

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="signed.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def pks_data(world, **overrides):
    data = {
        "kind": AgreementKind.COOPERATION, "title": "PKS Ombudsman Jambi - Dukcapil", "parent": world.plan,
        "ombudsman_office": world.office, "government": world.dukcapil,
    }
    data.update(overrides)
    return data


def test_the_coordinator_enters_a_pks_with_one_agency_under_the_work_plan_and_it_is_audited(world):
    pks = write.create_agreement(
        actor=world.coordinator, data=pks_data(world),
        signatories=[{"unit": world.dukcapil, "position": "Kepala Dinas", "capacity": Signatory.Capacity.SIGNED},
                     {"unit": world.office, "position": "Kepala Perwakilan", "capacity": Signatory.Capacity.SIGNED}],
    )
    assert (pks.kind, pks.government, pks.parent, pks.status) == ("cooperation", world.dukcapil, world.plan, "draft")
    assert sorted(pks.signatories.values_list("position", flat=True)) == ["Kepala Dinas", "Kepala Perwakilan"]
    entry = AuditEntry.objects.for_object(pks).get()
    assert (entry.action, entry.actor, entry.note) == (AuditAction.CREATE, world.coordinator, "2 signatories")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"government": "regency"}, "government"),  # a PKS is with one agency, not the whole government
        ({"parent": None}, "parent"),  # a PKS stands under a work plan
        ({"parent": "mou"}, "parent"),  # ... not under an MoU
        ({"government": "tapah_sari"}, "government"),  # a village government is not an agency
    ],
)
def test_a_pks_breaking_the_layering_is_refused_and_nothing_is_saved(world, overrides, field):
    data = pks_data(world, **{k: getattr(world, v) if isinstance(v, str) else v for k, v in overrides.items()})
    before = Agreement.objects.count()
    with pytest.raises(ValidationError) as exc:
        write.create_agreement(actor=world.coordinator, data=data)
    assert field in exc.value.message_dict
    assert Agreement.objects.count() == before


def test_a_pks_with_an_agency_of_another_government_is_refused(world):
    from pantau.organizations.models import Unit, UnitKind

    other_agency = Unit.objects.create(name="Dinas X Muaro Jambi", kind=UnitKind.AGENCY, parent=world.other_regency)
    with pytest.raises(ValidationError) as exc:
        write.create_agreement(actor=world.superuser, data=pks_data(world, government=other_agency))
    assert exc.value.message_dict["government"] == ["The agency must belong to the government of the work plan."]


@pytest.mark.parametrize("persona", ["officer", "viewer", "assistant", "outsider"])
def test_who_holds_no_manage_agreements_on_a_party_may_not_create_or_change(world, persona):
    user = getattr(world, persona)
    before = Agreement.objects.count()
    with pytest.raises(PermissionDenied):
        write.create_agreement(actor=user, data=pks_data(world))
    with pytest.raises(PermissionDenied):
        write.update_agreement(actor=user, agreement=world.plan, data={"title": "changed"})
    world.plan.refresh_from_db()
    assert (Agreement.objects.count(), world.plan.title) == (before, "Rencana Kerja Pelayanan Publik 2020")
    assert not AuditEntry.objects.exists()


def test_the_ombudsman_admin_and_the_coordinator_each_manage_from_their_own_party(world):
    # the admin's grant is on the Jambi office (and reaches its province), the coordinator's on the regency
    assert write.may_manage(world.ombudsman_admin, world.plan)
    assert write.may_manage(world.coordinator, world.plan)
    assert not write.may_manage(world.coordinator, world.other_plan)  # Muaro Jambi is not the coordinator's


def test_a_draft_is_signed_with_its_document_and_the_period_starts_that_day(world):
    draft = write.create_agreement(actor=world.coordinator, data=pks_data(world))
    write.sign_agreement(actor=world.coordinator, agreement=draft, signed_on=dt.date(2021, 5, 4),
                         signed_place=" Kantor   Dukcapil ", document=pdf())
    draft.refresh_from_db()
    assert (draft.is_signed, draft.signed_on, draft.signed_place, draft.period_start) == (
        True, dt.date(2021, 5, 4), "Kantor Dukcapil", dt.date(2021, 5, 4))
    document = draft.documents.get()
    assert (document.kind, document.original_name, document.size) == (DocumentKind.SIGNED, "signed.pdf", len(PDF))
    assert AuditEntry.objects.for_object(draft).filter(note="signed").count() == 1


def test_signing_in_the_future_or_twice_or_with_a_fake_pdf_is_refused(world):
    draft = write.create_agreement(actor=world.coordinator, data=pks_data(world))
    tomorrow = world.dukcapil.local_today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        write.sign_agreement(actor=world.coordinator, agreement=draft, signed_on=tomorrow, signed_place="X")
    assert "signed_on" in exc.value.message_dict
    fake = SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        write.sign_agreement(actor=world.coordinator, agreement=draft, signed_on=dt.date(2021, 5, 4),
                             signed_place="X", document=fake)
    assert "document" in exc.value.message_dict
    draft = Agreement.objects.get(pk=draft.pk)
    assert (draft.is_signed, draft.documents.count()) == (False, 0)
    with pytest.raises(ValidationError):
        write.sign_agreement(actor=world.coordinator, agreement=world.plan, signed_on=dt.date(2021, 1, 1),
                             signed_place="X")


def test_the_lifecycle_is_derived_from_the_dates(world):
    a = Agreement(kind=AgreementKind.WORK_PLAN, is_signed=False, period_start=dt.date(2021, 1, 1),
                  period_end=dt.date(2022, 12, 31))
    assert a.status_on(dt.date(2021, 6, 1)) == AgreementStatus.DRAFT
    a.is_signed = True
    assert a.status_on(dt.date(2020, 12, 31)) == AgreementStatus.SIGNED  # signed, period not begun
    assert a.status_on(dt.date(2021, 1, 1)) == AgreementStatus.ACTIVE
    assert a.status_on(dt.date(2023, 1, 1)) == AgreementStatus.EXPIRED
    a.original_period_end, a.period_end = dt.date(2022, 12, 31), dt.date(2023, 12, 31)
    assert a.status_on(dt.date(2022, 12, 31)) == AgreementStatus.ACTIVE  # the original period still runs
    assert a.status_on(dt.date(2023, 1, 1)) == AgreementStatus.EXTENDED
    assert a.status_on(dt.date(2024, 1, 1)) == AgreementStatus.EXPIRED
    a.terminated_on = dt.date(2023, 3, 1)
    assert a.status_on(dt.date(2023, 3, 1)) == AgreementStatus.TERMINATED


def test_an_extension_addendum_is_a_version_that_records_what_changed(world):
    plan = world.plan
    write.update_agreement(actor=world.coordinator, agreement=plan,
                           data={"period_start": dt.date(2020, 11, 18), "period_end": dt.date(2021, 12, 31)})
    version = write.add_addendum(
        actor=world.ombudsman_admin, agreement=plan, title="Adendum I", signed_on=dt.date(2021, 12, 20),
        summary="Masa berlaku diperpanjang satu tahun.", changes={"period_end": dt.date(2022, 12, 31)},
        document_number="001/ADD/2021", document=pdf("adendum.pdf"),
    )
    plan.refresh_from_db()
    assert (version.number, version.is_extension) == (1, True)
    assert version.changes == {"period_end": ["2021-12-31", "2022-12-31"]}
    assert version.change_rows() == [("period end", "2021-12-31", "2022-12-31")]
    assert (plan.period_end, plan.original_period_end) == (dt.date(2022, 12, 31), dt.date(2021, 12, 31))
    assert plan.status_on(dt.date(2022, 6, 1)) == AgreementStatus.EXTENDED
    assert plan.documents.get().version == version
    second = write.add_addendum(actor=world.coordinator, agreement=plan, title="Adendum II",
                                signed_on=dt.date(2022, 3, 1), summary="Judul disesuaikan.",
                                changes={"title": "Rencana Kerja 2020-2022"})
    plan.refresh_from_db()
    assert (second.number, second.is_extension, plan.original_period_end) == (2, False, dt.date(2021, 12, 31))
    assert AuditEntry.objects.for_object(plan).filter(note__startswith="addendum").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"summary": " "}, "summary"),
        ({"changes": {"government": 1}}, "changes"),  # the parties are not changed by an addendum
        ({"signed_on": dt.date(2020, 1, 1)}, "signed_on"),  # before the agreement itself
    ],
)
def test_an_addendum_without_substance_or_out_of_order_is_refused(world, kwargs, field):
    args = {"title": "Adendum", "signed_on": dt.date(2021, 1, 5), "summary": "x", "changes": {}}
    args.update(kwargs)
    with pytest.raises(ValidationError) as exc:
        write.add_addendum(actor=world.coordinator, agreement=world.plan, **args)
    assert field in exc.value.message_dict
    assert not world.plan.versions.exists()


def test_a_draft_has_no_addenda(world):
    draft = write.create_agreement(actor=world.coordinator, data=pks_data(world))
    with pytest.raises(ValidationError) as exc:
        write.add_addendum(actor=world.coordinator, agreement=draft, title="A", signed_on=dt.date(2021, 1, 5),
                           summary="x", changes={})
    assert "agreement" in exc.value.message_dict


def test_signatories_come_from_the_parties_and_replacing_them_is_audited(world):
    write.set_signatories(actor=world.coordinator, agreement=world.plan, signatories=[
        {"unit": world.regency, "position": "Bupati", "capacity": Signatory.Capacity.SIGNED}])
    assert list(world.plan.signatories.values_list("position", flat=True)) == ["Bupati"]
    with pytest.raises(ValidationError) as exc:
        write.set_signatories(actor=world.coordinator, agreement=world.plan, signatories=[
            {"unit": world.other_regency, "position": "Bupati Muaro Jambi", "capacity": Signatory.Capacity.SIGNED}])
    assert "signatories" in exc.value.message_dict
    assert list(world.plan.signatories.values_list("position", flat=True)) == ["Bupati"]
    entry = AuditEntry.objects.for_object(world.plan).get(note="signatories")
    assert entry.after == {"signatories": [{"unit": world.regency.pk, "position": "Bupati", "capacity": "signed"}]}


def test_termination_needs_a_reason_and_ends_the_agreement(world):
    with pytest.raises(ValidationError):
        write.terminate_agreement(actor=world.coordinator, agreement=world.plan, on=dt.date(2022, 1, 1), reason="")
    write.terminate_agreement(actor=world.coordinator, agreement=world.plan, on=dt.date(2022, 1, 1),
                              reason="Digantikan rencana kerja baru")
    world.plan.refresh_from_db()
    assert world.plan.status_on(dt.date(2022, 1, 1)) == AgreementStatus.TERMINATED
    assert AuditEntry.objects.for_object(world.plan).get().note == "terminated: Digantikan rencana kerja baru"


def test_a_document_uploaded_by_mistake_is_removed_and_the_audit_keeps_its_name(world):
    document = write.upload_document(actor=world.coordinator, agreement=world.plan, upload=pdf("lampiran.pdf"),
                                     kind=DocumentKind.ANNEX)
    with pytest.raises(PermissionDenied):
        write.remove_document(actor=world.viewer, document=document)
    write.remove_document(actor=world.coordinator, document=document)
    assert not world.plan.documents.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_repr="lampiran.pdf").count() == 1

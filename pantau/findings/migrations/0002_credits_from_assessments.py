"""Credits of assessment rounds (``assessments.ActionCredit``) become ``findings.Credit`` rows with the same ids, and
the content types of the moved models follow them, so audit entries keep pointing at their objects. Reversible."""

from django.db import migrations

KIND_LABELS = {"official": "Penilaian resmi", "pre_evaluation": "Pra-evaluasi", "self_assessment": "Penilaian mandiri"}


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ActionCredit = apps.get_model("assessments", "ActionCredit")
    Credit = apps.get_model("findings", "Credit")
    for old, new in ((("workplans", "finding"), ("findings", "finding")),
                     (("assessments", "actioncredit"), ("findings", "credit"))):
        if not ContentType.objects.filter(app_label=new[0], model=new[1]).exists():
            ContentType.objects.filter(app_label=old[0], model=old[1]).update(app_label=new[0], model=new[1])
    round_type, _ = ContentType.objects.get_or_create(app_label="assessments", model="assessmentround")
    Credit.objects.bulk_create([
        Credit(
            id=c.id, finding_id=c.finding_id, action_id=c.action_id, measured_on=c.round.assessed_on,
            value_before=c.score_before, value_after=c.score_after, measurement_type=round_type,
            measurement_id=c.round_id,
            measurement_label=f"{KIND_LABELS.get(c.round.kind, c.round.kind)} {c.round.year}",
        )
        for c in ActionCredit.objects.select_related("round")
    ])


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ActionCredit = apps.get_model("assessments", "ActionCredit")
    Credit = apps.get_model("findings", "Credit")
    round_type = ContentType.objects.filter(app_label="assessments", model="assessmentround").first()
    if round_type is not None:
        ActionCredit.objects.bulk_create([
            ActionCredit(id=c.id, round_id=c.measurement_id, finding_id=c.finding_id, action_id=c.action_id,
                         score_before=c.value_before, score_after=c.value_after)
            for c in Credit.objects.filter(measurement_type=round_type)
        ])
    Credit.objects.all().delete()
    for old, new in ((("workplans", "finding"), ("findings", "finding")),
                     (("assessments", "actioncredit"), ("findings", "credit"))):
        ContentType.objects.filter(app_label=new[0], model=new[1]).update(app_label=old[0], model=old[1])


class Migration(migrations.Migration):

    dependencies = [
        ("findings", "0001_initial"),
        ("assessments", "0004_finding_keys_by_kind_group"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

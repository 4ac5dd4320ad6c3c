"""Assessment findings' keys carry the group of the round that raised them (``rounds.KIND_GROUP``):
``assessment:<edition>:...`` becomes ``assessment:self:<edition>:...`` or ``assessment:ombudsman:<edition>:...``.

The group is read from the round about the finding's unit on the finding's detection date (the round that raised
it); a self-assessment wins when rounds of both groups share that date. A finding whose new key is already taken,
or with no such round, keeps its old key (no later round will match it; it stays as history)."""

from django.db import migrations

GROUPS = {"self_assessment": "self", "pre_evaluation": "ombudsman", "official": "ombudsman"}


def forwards(apps, schema_editor):
    Finding = apps.get_model("workplans", "Finding")
    AssessmentRound = apps.get_model("assessments", "AssessmentRound")
    for finding in Finding.objects.filter(source="assessment", source_key__startswith="assessment:").order_by("id"):
        rest = finding.source_key.removeprefix("assessment:")
        if rest.startswith(("self:", "ombudsman:")):
            continue
        kinds = set(AssessmentRound.objects.filter(unit_id=finding.unit_id, assessed_on=finding.detected_on)
                    .values_list("kind", flat=True))
        if not kinds:
            continue
        group = "self" if "self_assessment" in kinds else GROUPS[sorted(kinds)[0]]
        key = f"assessment:{group}:{rest}"
        if len(key) > Finding._meta.get_field("source_key").max_length:
            continue
        if Finding.objects.filter(source="assessment", source_key=key, unit_id=finding.unit_id).exists():
            continue
        finding.source_key = key
        finding.save(update_fields=["source_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_assessmentround_actioncredit_dimensionscore_and_more"),
        ("workplans", "0004_money_limit"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

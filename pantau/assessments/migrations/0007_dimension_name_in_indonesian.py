"""The combined dimension of the 2025 edition named in Indonesian, without the curation note of migration 0002."""

from django.db import migrations

OLD = "Input, Proses, Output, Pengaduan (together; their split is UNCERTAIN)"
NEW = "Input, Proses, Output, Pengaduan (gabungan; pembagian bobotnya belum dapat dipastikan)"


def rename(apps, schema_editor):
    Dimension = apps.get_model("assessments", "Dimension")
    Dimension.objects.filter(edition__code="ombudsman-2025", code="dimensi", name=OLD).update(name=NEW)


def unrename(apps, schema_editor):
    Dimension = apps.get_model("assessments", "Dimension")
    Dimension.objects.filter(edition__code="ombudsman-2025", code="dimensi", name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_assessmentround_published_at_and_more")]

    operations = [migrations.RunPython(rename, unrename)]

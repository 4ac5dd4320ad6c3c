"""Progress reports keep their action's province code (docs/scale.md: the large fact tables carry the province they
would be distributed by); existing reports are filled from their action in one UPDATE."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_province_codes(apps, schema_editor):
    """Copy each action's ``province_code`` onto its reports (one statement)."""
    Action = apps.get_model("workplans", "Action")
    ProgressReport = apps.get_model("workplans", "ProgressReport")
    ProgressReport.objects.update(
        province_code=Subquery(Action.objects.filter(pk=OuterRef("action_id")).values("province_code")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('workplans', '0007_action_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='progressreport',
            name='province_code',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=2),
        ),
        migrations.RunPython(fill_province_codes, migrations.RunPython.noop),
    ]

"""``Finding`` now lives in ``pantau.findings`` (its table was renamed by 0005): removed from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_delete_actioncredit'),
        ('workplans', '0005_findings_move_out'),
        ('findings', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Finding')],
            database_operations=[],
        ),
    ]

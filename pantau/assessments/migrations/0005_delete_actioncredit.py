"""Credits of rounds now live in ``findings.Credit`` (copied by ``findings.0002``)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0004_finding_keys_by_kind_group'),
        ('findings', '0002_credits_from_assessments'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ActionCredit',
        ),
    ]

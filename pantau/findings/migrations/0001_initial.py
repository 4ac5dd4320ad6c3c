"""Findings and credits in their own app.

``Finding`` already exists in the database (moved from ``workplans`` by ``workplans.0005_findings_move_out``, which
renamed its tables), so it is created in the migration state only; ``Credit`` is a new table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('organizations', '0001_initial'),
        ('workplans', '0005_findings_move_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Finding',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(choices=[('standard', 'missing service-standard component'), ('assessment', 'failed compliance-assessment indicator'), ('survey', 'low satisfaction-survey element'), ('complaint', 'complaint pattern'), ('other', 'other')], max_length=12, verbose_name='source')),
                        ('source_key', models.CharField(max_length=120, verbose_name='source reference')),
                        ('title', models.CharField(max_length=300, verbose_name='finding')),
                        ('detail', models.TextField(blank=True, verbose_name='detail')),
                        ('detected_on', models.DateField(verbose_name='detected on')),
                        ('indicator_name', models.CharField(blank=True, max_length=300, verbose_name='indicator')),
                        ('indicator_unit', models.CharField(blank=True, max_length=60, verbose_name='indicator unit')),
                        ('baseline', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='measured value')),
                        ('target', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='value that closes it')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                        ('closing_value', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='value when closed')),
                        ('is_sample', models.BooleanField(default=False, verbose_name='sample data')),
                        ('actions', models.ManyToManyField(blank=True, related_name='findings', to='workplans.action', verbose_name='actions answering it')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='findings', to='organizations.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'finding',
                        'verbose_name_plural': 'findings',
                        'ordering': ['-detected_on', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='finding',
                    constraint=models.UniqueConstraint(fields=('source', 'source_key', 'unit'), name='finding_unique_per_source'),
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name='Credit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measured_on', models.DateField(verbose_name='measured on')),
                ('value_before', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='value before')),
                ('value_after', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='value after')),
                ('measurement_id', models.PositiveBigIntegerField(verbose_name='measurement id')),
                ('measurement_label', models.CharField(max_length=300, verbose_name='measured by')),
                ('action', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='credits', to='workplans.action', verbose_name='action')),
                ('measurement_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='kind of measurement')),
                ('finding', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='credits', to='findings.finding', verbose_name='finding')),
            ],
            options={
                'verbose_name': 'credit',
                'verbose_name_plural': 'credits',
                'ordering': ['measured_on', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='credit',
            index=models.Index(fields=['measurement_type', 'measurement_id'], name='findings_cr_measure_a2bdda_idx'),
        ),
        migrations.AddConstraint(
            model_name='credit',
            constraint=models.UniqueConstraint(fields=('measurement_type', 'measurement_id', 'finding', 'action'), name='credit_unique'),
        ),
    ]

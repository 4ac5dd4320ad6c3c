"""Findings move to their own app (``pantau.findings``): the tables are renamed, the rows stay.

State: ``Action.findings`` leaves this app (``findings.Finding.actions`` takes over the same link table).
Database: ``workplans_finding`` becomes ``findings_finding`` and the link table ``workplans_action_findings``
becomes ``findings_finding_actions`` (its columns, ``action_id`` and ``finding_id``, are already what the new field
uses). Reversible.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("workplans", "0004_money_limit"),
        ("assessments", "0004_finding_keys_by_kind_group"),
    ]

    operations = [
        # in the state too, so that a downgrade recreates tables pointing at the renamed table
        migrations.AlterModelTable("finding", "findings_finding"),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE workplans_action_findings RENAME TO findings_finding_actions",
                    reverse_sql="ALTER TABLE findings_finding_actions RENAME TO workplans_action_findings",
                ),
            ],
            state_operations=[migrations.RemoveField(model_name="action", name="findings")],
        ),
    ]

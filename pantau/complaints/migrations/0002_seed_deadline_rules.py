"""Seed the national complaint deadline rules from domain/rules.md section 5 (reversible).

- resolution: 60 calendar days ("hari") after the file is complete, Perpres 76/2013 - confirmed.
- first_response: 14 calendar days, UU 25/2009 - UNCERTAIN (recalled, not retrieved): provisional.
- file_completion: 30 calendar days for the complainant to complete the file, UU 25/2009 - UNCERTAIN: provisional.
- pickup: 3 working days for the unit to pick a complaint up before it is escalated to the regional coordinator -
  Pantau's own choice, no regulation: provisional.

The regulations say "hari" (plain days), so those rules count calendar days (rules.md section 5, "Calendar vs working
days"). The Ombudsman admin corrects them through Pantau (complaints.actions.save_deadline_rule), audited.
"""

from django.db import migrations

RULES = [
    ("resolution", 60, "calendar_days", False,
     "Perpres 76/2013 (Pengelolaan Pengaduan Pelayanan Publik): the provider resolves a complaint within 60 days "
     "after the complaint file is complete. domain/rules.md section 5; "
     "https://meridianhukum.com/peraturan/perpres-no-76-tahun-2013"),
    ("first_response", 14, "calendar_days", True,
     "UU 25/2009 (Pelayanan Publik): the provider answers a written complaint within 14 days, stating whether the "
     "file is complete. domain/rules.md section 5: UNCERTAIN (recalled, not retrieved)."),
    ("file_completion", 30, "calendar_days", True,
     "UU 25/2009 (Pelayanan Publik): the complainant completes the file within 30 days, otherwise the complaint is "
     "treated as withdrawn. domain/rules.md section 5: UNCERTAIN (recalled, not retrieved)."),
    ("pickup", 3, "working_days", True,
     "Pantau's choice (no regulation retrieved sets it): a unit picks a complaint up within 3 working days, "
     "otherwise it is escalated to the regional coordinator."),
]


def seed(apps, schema_editor):
    rule = apps.get_model("complaints", "DeadlineRule")
    for code, length, day_kind, provisional, source in RULES:
        rule.objects.get_or_create(
            code=code, unit=None,
            defaults={"length": length, "day_kind": day_kind, "provisional": provisional, "source": source},
        )


def unseed(apps, schema_editor):
    rule = apps.get_model("complaints", "DeadlineRule")
    rule.objects.filter(unit__isnull=True, code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

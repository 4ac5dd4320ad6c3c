"""The national deadline rules as first seeded (domain/rules.md section 5), kept as plain data.

Migration 0002 writes these rows (with its own copy, as migrations must not follow later code). ``calendars.RuleBook``
falls back to them for a step whose national row is missing (a database emptied by hand or by a test flush), so a
complaint is never taken in without deadlines; the Ombudsman admin's edits live in the rows and win whenever a row
exists.
"""

SEED_RULES: tuple[tuple[str, int, str, bool, str], ...] = (
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
)
"""(code, length, kind of day, provisional, source) of each national rule."""

"""The national deadline rules as first seeded (domain/rules.md section 5), kept as plain data.

Migration 0002 writes these rows (with its own copy, as migrations must not follow later code). ``calendars.RuleBook``
falls back to them for a step whose national row is missing (a database emptied by hand or by a test flush), so a
complaint is never taken in without deadlines; the Ombudsman admin's edits live in the rows and win whenever a row
exists.
"""

SEED_RULES: tuple[tuple[str, int, str, bool, str], ...] = (
    ("resolution", 60, "calendar_days", False,
     "Perpres 76/2013 tentang Pengelolaan Pengaduan Pelayanan Publik: penyelenggara menyelesaikan pengaduan paling "
     "lama 60 hari sejak berkas pengaduan lengkap. Sumber: "
     "https://meridianhukum.com/peraturan/perpres-no-76-tahun-2013"),
    ("first_response", 14, "calendar_days", True,
     "UU 25/2009 tentang Pelayanan Publik: penyelenggara menanggapi pengaduan tertulis paling lama 14 hari dan "
     "menyatakan apakah berkasnya lengkap. Pasal dan naskahnya belum dapat dipastikan."),
    ("file_completion", 30, "calendar_days", True,
     "UU 25/2009 tentang Pelayanan Publik: pengadu melengkapi berkas paling lama 30 hari; bila tidak, pengaduan "
     "dianggap dicabut. Pasal dan naskahnya belum dapat dipastikan."),
    ("pickup", 3, "working_days", True,
     "Pilihan Pantau (tidak ada peraturan yang ditemukan mengaturnya): unit menindaklanjuti pengaduan paling lama "
     "3 hari kerja; bila tidak, pengaduan dinaikkan ke koordinator daerah."),
)
"""(code, length, kind of day, provisional, source) of each national rule."""

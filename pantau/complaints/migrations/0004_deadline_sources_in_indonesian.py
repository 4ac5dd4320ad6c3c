"""The sources of the seeded national deadline rules said in Indonesian sentences, without the curation notes of
migration 0002 (a source an Ombudsman admin has edited since is left as it is)."""

from django.db import migrations

SOURCES = [
    (
        "resolution",
        "Perpres 76/2013 (Pengelolaan Pengaduan Pelayanan Publik): the provider resolves a complaint within 60 days after the complaint file is complete. domain/rules.md section 5; https://meridianhukum.com/peraturan/perpres-no-76-tahun-2013",
        "Perpres 76/2013 tentang Pengelolaan Pengaduan Pelayanan Publik: penyelenggara menyelesaikan pengaduan paling lama 60 hari sejak berkas pengaduan lengkap. Sumber: https://meridianhukum.com/peraturan/perpres-no-76-tahun-2013",
    ),
    (
        "first_response",
        "UU 25/2009 (Pelayanan Publik): the provider answers a written complaint within 14 days, stating whether the file is complete. domain/rules.md section 5: UNCERTAIN (recalled, not retrieved).",
        "UU 25/2009 tentang Pelayanan Publik: penyelenggara menanggapi pengaduan tertulis paling lama 14 hari dan menyatakan apakah berkasnya lengkap. Pasal dan naskahnya belum dapat dipastikan.",
    ),
    (
        "file_completion",
        "UU 25/2009 (Pelayanan Publik): the complainant completes the file within 30 days, otherwise the complaint is treated as withdrawn. domain/rules.md section 5: UNCERTAIN (recalled, not retrieved).",
        "UU 25/2009 tentang Pelayanan Publik: pengadu melengkapi berkas paling lama 30 hari; bila tidak, pengaduan dianggap dicabut. Pasal dan naskahnya belum dapat dipastikan.",
    ),
    (
        "pickup",
        "Pantau's choice (no regulation retrieved sets it): a unit picks a complaint up within 3 working days, otherwise it is escalated to the regional coordinator.",
        "Pilihan Pantau (tidak ada peraturan yang ditemukan mengaturnya): unit menindaklanjuti pengaduan paling lama 3 hari kerja; bila tidak, pengaduan dinaikkan ke koordinator daerah.",
    ),
]


def rewrite(apps, schema_editor):
    rule = apps.get_model("complaints", "DeadlineRule")
    for code, old, new in SOURCES:
        rule.objects.filter(unit__isnull=True, code=code, source=old).update(source=new)


def restore(apps, schema_editor):
    rule = apps.get_model("complaints", "DeadlineRule")
    for code, old, new in SOURCES:
        rule.objects.filter(unit__isnull=True, code=code, source=new).update(source=old)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_alter_deadlinerule_provisional")]

    operations = [migrations.RunPython(rewrite, restore)]

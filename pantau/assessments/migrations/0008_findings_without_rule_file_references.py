"""Findings recorded before this release cite the developers' rule file in their detail; the sentence stays, the
reference goes: "... ke-14 komponen (domain/rules.md bagian 1.1)." becomes "... ke-14 komponen."; "(PermenPANRB
15/2014, domain/rules.md 1.2)" becomes "(PermenPANRB 15/2014)". The method edition's slug in the detail of assessment
findings becomes its name. Kept in the assessments app, which sits above findings and holds the editions. Not
reversed (the references carried no information for users)."""

import re

from django.db import migrations

REFERENCE = re.compile(r"\s*\((?:domain/)?rules\.md[^)]*\)|,\s*(?:domain/)?rules\.md[^)]*(?=\))")


def clean(apps, schema_editor):
    Finding = apps.get_model("findings", "Finding")
    MethodEdition = apps.get_model("assessments", "MethodEdition")
    names = {f"({e.code})": f"({e.name})" for e in MethodEdition.objects.all()}
    for finding in Finding.objects.filter(detail__contains="rules.md").only("pk", "detail").iterator():
        Finding.objects.filter(pk=finding.pk).update(detail=REFERENCE.sub("", finding.detail))
    for code, name in names.items():
        for finding in Finding.objects.filter(detail__contains=code).only("pk", "detail").iterator():
            Finding.objects.filter(pk=finding.pk).update(detail=finding.detail.replace(code, name))


class Migration(migrations.Migration):
    dependencies = [("findings", "0002_credits_from_assessments"), ("assessments", "0007_dimension_name_in_indonesian")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]

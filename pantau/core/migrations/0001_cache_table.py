"""The table of the shared database cache (settings.CACHES): created by ``migrate`` so that a fresh clone, every
worker and every restart share rate limits, one-time form tokens and cached public pages."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """``createcachetable`` on the database being migrated (a no-op when the table exists)."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    """Creates the cache table; reversing leaves it (it holds nothing that needs keeping)."""

    dependencies: list = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

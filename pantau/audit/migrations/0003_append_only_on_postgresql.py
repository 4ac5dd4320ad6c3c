"""On PostgreSQL the audit table refuses UPDATE and DELETE itself (issue 10): a trigger raises on any DELETE and on
any UPDATE except the one Django makes when the user or content type an entry points at is deleted (``SET NULL``
on ``actor`` and ``content_type``; the actor's name stays in ``actor_label``). ``AuditEntry.save``/``delete`` refuse
in Python already; this closes the door for raw SQL and other clients too. SQLite has no such trigger language
worth relying on here, so the migration does nothing there (the model-level refusal still holds). TRUNCATE (test
database flushes) is not covered: it is not a row change.
"""

from django.db import migrations

FUNCTION = "pantau_audit_append_only"
TRIGGER = "pantau_audit_append_only"


def create_trigger(apps, schema_editor):
    """Create the refusing trigger on PostgreSQL; nothing elsewhere."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEntry")._meta.db_table)
    schema_editor.execute(f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit entries cannot be deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.id, NEW.at, NEW.actor_label, NEW.action, NEW.object_id, NEW.object_repr, NEW.before, NEW.after,
        NEW.request_id, NEW.note)
       IS DISTINCT FROM
       (OLD.id, OLD.at, OLD.actor_label, OLD.action, OLD.object_id, OLD.object_repr, OLD.before, OLD.after,
        OLD.request_id, OLD.note)
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
       OR (NEW.content_type_id IS NOT NULL AND NEW.content_type_id IS DISTINCT FROM OLD.content_type_id) THEN
        RAISE EXCEPTION 'audit entries cannot be changed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""")
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();"
    )


def drop_trigger(apps, schema_editor):
    """Reverse: drop the trigger and its function on PostgreSQL."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEntry")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table};")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}();")


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_alter_auditentry_action"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]

"""PDF bytes are stored as they are: PostgreSQL would otherwise try to compress every PDF (already
deflated) on insert, spending the database's CPU for nothing during the batch. The XML, text,
keeps the default and is compressed."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def store_uncompressed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":  # SQLite has no per-column storage
        schema_editor.execute(
            "ALTER TABLE certificates_issuedcertificate ALTER COLUMN pdf SET STORAGE EXTERNAL"
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [migrations.RunPython(store_uncompressed, migrations.RunPython.noop)]

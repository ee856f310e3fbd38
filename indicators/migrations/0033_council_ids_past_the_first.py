"""The council id sequence moved past the councils already there, for databases that ran 0026
before it did so: 0026 writes the first council as row 1 by hand, which on PostgreSQL left the
sequence at 1, so the next council made (``create_council``, the new-council page) was given 1
again and refused. Resetting a sequence to the largest id is what ``manage.py sqlsequencereset``
does; on a database where 0026 already did it, this changes nothing. SQLite needs nothing."""

from django.core.management.color import no_style
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def sequence_past_the_councils(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    council = apps.get_model("indicators", "Council")
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [council]):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0032_data_version_per_council"),
    ]

    operations = [migrations.RunPython(sequence_past_the_councils, migrations.RunPython.noop)]

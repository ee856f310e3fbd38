"""The data version moves in commit order (indicators.changes): a one-row counter, moved on by
the database itself when a transaction that logged a change commits.

PostgreSQL hands out the change log's ids at INSERT, so a long writer that took its id first
and committed last left the version where a shorter writer had put it. The counter is moved by
a deferred constraint trigger, which runs at COMMIT: the row lock it takes is held only from
then to the end of the commit, so writers still never wait on one another while they work. On
SQLite, whose writers take the database's write lock at their first write and keep it until
they commit, a plain trigger in the writer's transaction is already in commit order.

The counter starts at the log's largest id, so the version never goes back on upgrade (pages
cached under the old versions are never served again). It is a plain table, not a model: no
flush, fixture or snapshot writes it; only the trigger does.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "indicators_dataversion"

POSTGRESQL = [
    f"CREATE TABLE {TABLE} (id integer PRIMARY KEY CHECK (id = 1), number bigint NOT NULL)",
    f"INSERT INTO {TABLE} VALUES (1, (SELECT COALESCE(MAX(id), 0) FROM indicators_datachange))",
    f"""CREATE FUNCTION indicators_data_version_move() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} (id, number) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET number = {TABLE}.number + 1;
        RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER indicators_data_version_at_commit
    AFTER INSERT ON indicators_datachange DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION indicators_data_version_move()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER indicators_data_version_at_commit ON indicators_datachange",
    "DROP FUNCTION indicators_data_version_move()",
    f"DROP TABLE {TABLE}",
]
SQLITE = [
    f"CREATE TABLE {TABLE} (id integer PRIMARY KEY CHECK (id = 1), number bigint NOT NULL)",
    f"INSERT INTO {TABLE} VALUES (1, (SELECT COALESCE(MAX(id), 0) FROM indicators_datachange))",
    f"""CREATE TRIGGER indicators_data_version_at_commit
    AFTER INSERT ON indicators_datachange BEGIN
        INSERT INTO {TABLE} (id, number) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET number = number + 1;
    END""",
]
SQLITE_REVERSE = ["DROP TRIGGER indicators_data_version_at_commit", f"DROP TABLE {TABLE}"]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRESQL if vendor == "postgresql" else SQLITE)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRESQL_REVERSE if vendor == "postgresql" else SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0015_progress_status"),
    ]

    operations = [migrations.RunPython(create, drop)]

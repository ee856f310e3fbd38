"""A data version per council (indicators.changes): a change logged for one council moves that
council's counter only, so one council's month end no longer makes every other council's cached
pages be worked out again.

The one-row counter of 0016 becomes a row per council, keyed by the council's id, and row 0 for
what every council shows (DfE's LAIT data, consortia, changes made outside any council). A
council's version is its row plus row 0: a sum of counters that only grow, so it never goes
back and it moves whenever either does. The old counter becomes row 0, so every council's
version starts where the single version stood (pages cached under it stay right: nothing
changed). The triggers stay as 0016 made them, in commit order, keyed by the change's council.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "indicators_dataversion"
MOVE = f"""INSERT INTO {TABLE} (id, number) VALUES (COALESCE(NEW.council_id, 0), 1)
        ON CONFLICT (id) DO UPDATE SET number = {TABLE}.number + 1;"""
MOVE_ONE = f"""INSERT INTO {TABLE} (id, number) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET number = {TABLE}.number + 1;"""


def _postgresql_function(move: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION indicators_data_version_move() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {move}
        RETURN NULL;
    END $$"""


POSTGRESQL = [
    f"ALTER TABLE {TABLE} DROP CONSTRAINT {TABLE}_id_check",
    f"UPDATE {TABLE} SET id = 0 WHERE id = 1",
    f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_id_check CHECK (id >= 0)",
    _postgresql_function(MOVE),
]
POSTGRESQL_REVERSE = [
    f"""UPDATE {TABLE} SET number = (SELECT SUM(number) FROM {TABLE} AS every_row)
    WHERE id = 0""",
    f"DELETE FROM {TABLE} WHERE id <> 0",
    f"UPDATE {TABLE} SET id = 1",
    f"ALTER TABLE {TABLE} DROP CONSTRAINT {TABLE}_id_check",
    f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_id_check CHECK (id = 1)",
    _postgresql_function(MOVE_ONE),
]


def _sqlite_trigger(move: str) -> str:
    return f"""CREATE TRIGGER indicators_data_version_at_commit
    AFTER INSERT ON indicators_datachange BEGIN
        {move}
    END"""


# SQLite cannot drop a column's check: the table is made again, as Django remakes tables. The
# trigger is made again too (adding the column may have remade the change log's table).
SQLITE = [
    "DROP TRIGGER IF EXISTS indicators_data_version_at_commit",
    f"CREATE TABLE {TABLE}_new (id integer PRIMARY KEY CHECK (id >= 0), number bigint NOT NULL)",
    f"INSERT INTO {TABLE}_new SELECT 0, number FROM {TABLE} WHERE id = 1",
    f"DROP TABLE {TABLE}",
    f"ALTER TABLE {TABLE}_new RENAME TO {TABLE}",
    _sqlite_trigger(MOVE.replace(f"{TABLE}.number", "number")),
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS indicators_data_version_at_commit",
    f"CREATE TABLE {TABLE}_new (id integer PRIMARY KEY CHECK (id = 1), number bigint NOT NULL)",
    f"INSERT INTO {TABLE}_new SELECT 1, SUM(number) FROM {TABLE} HAVING COUNT(*) > 0",
    f"DROP TABLE {TABLE}",
    f"ALTER TABLE {TABLE}_new RENAME TO {TABLE}",
    _sqlite_trigger(MOVE_ONE.replace(f"{TABLE}.number", "number")),
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def per_council(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRESQL if vendor == "postgresql" else SQLITE)


def one_for_all(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRESQL_REVERSE if vendor == "postgresql" else SQLITE_REVERSE)


def _trigger_of_one_for_all(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Undoing, last: removing the column remade SQLite's change log, and its trigger with it."""
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE[:1] + SQLITE_REVERSE[-1:])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0031_about_an_indicator_or_a_priority"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _trigger_of_one_for_all),
        migrations.AddField(
            model_name="datachange",
            name="council",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="indicators.council",
            ),
        ),
        # After the column: the trigger reads it.
        migrations.RunPython(per_council, one_for_all),
    ]

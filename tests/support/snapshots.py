"""The seed fixtures, loaded once per test session and written back for each test.

Loading the Plymouth seed through its loader takes about 2,000 queries; the tests that use it
would spend most of their time there. A ``Snapshot`` runs the loader once, in a transaction
that is rolled back, keeps every row it wrote to the ``indicators`` tables (history included)
and, for each test that asks, writes them back with one INSERT per table. What a test then
sees is exactly what the loader would have written, row for row and id for id.
"""

import copy

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


class Snapshot:
    def __init__(self, loader):
        self.loader = loader
        self.rows = None
        self.result = None

    @staticmethod
    def _models():
        # The council first: every council-owned row refers to it (a browser test's database
        # checks each foreign key as the row is written, not at the commit).
        models = list(apps.get_app_config("indicators").get_models())
        return sorted(models, key=lambda model: model.__name__ != "Council")

    def capture(self):
        """Run the loader once on an empty database and keep what it wrote."""
        with transaction.atomic():
            self.result = self.loader()
            self.rows = [
                (model, list(model._base_manager.order_by("pk").values()))
                for model in self._models()
            ]
            transaction.set_rollback(True)
        return self

    def restore(self):
        """Write the captured rows back (one INSERT per table) and return the loader's result.

        With indicators already in the database (another snapshot, or a test's own), the
        loader runs for real instead, so it meets what is there as it would in use."""
        if apps.get_model("indicators", "Indicator").objects.exists():
            return self.loader()
        written = []
        moved = self._council_moves()
        for model, captured in self.rows:
            # Rows of the council are written under the id of the council already there.
            rows = [
                {**row, "council_id": moved.get(row["council_id"], row["council_id"])}
                if "council_id" in row
                else row
                for row in captured
            ]
            if model.__name__ == "Council":
                rows = [{**row, "id": moved.get(row["id"], row["id"])} for row in rows]
            if rows:
                # The council's row may be there already (made by the first council-owned row
                # a fixture wrote, a user's membership): it takes the snapshot's values.
                manager = model._base_manager
                there = set(manager.filter(pk__in=[row["id"] for row in rows]).values_list("pk"))
                for row in rows:
                    if (row["id"],) in there:
                        manager.filter(pk=row["id"]).update(**row)
                manager.bulk_create([model(**row) for row in rows if (row["id"],) not in there])
                written.append(model)
        # Rows were written with their ids: move each id sequence past them (PostgreSQL).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(sql)
        return copy.deepcopy(self.result)

    def _council_moves(self):
        """{captured council id: the id of the council already in the database}: a fixture
        may have made the council first, under another id (PostgreSQL's ids are not rolled
        back with the test that used them)."""
        council = apps.get_model("indicators", "Council")
        there = council._base_manager.order_by("pk").values_list("pk", flat=True).first()
        captured = [row for model, rows in self.rows if model is council for row in rows]
        if there is None or not captured:
            return {}
        return {captured[0]["id"]: there}

"""Synthetic scorecards for the benchmarks, at three sizes, always the same (fixed seed).

* ``seed``: the Plymouth demonstration data (``load_demo``: 38 indicators under 6
  priorities, the published Jul-Sep 2023 figures and the flagged synthetic history);
* ``council``: 100 indicators x 120 months under 8 priorities, with targets (one changing
  part-way), commentary every month and every month published;
* ``stress``: 1,000 indicators x 120 months, laid out the same way under 10 priorities.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/generate.py council

Used by ``bench/pages.py`` and ``bench/load.py``; rows are written with ``bulk_create``
(no history rows: the read pages do not read them).
"""

import io
import os
import random
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Size:
    name: str
    indicators: int
    months: int
    priorities: int


SIZES = {
    "seed": None,  # the Plymouth demonstration data
    "council": Size("council", indicators=100, months=120, priorities=8),
    "stress": Size("stress", indicators=1000, months=120, priorities=10),
}
#: The last month of the generated history (the dashboard's default month).
LAST_MONTH = (2023, 9)
UNITS = [
    ("percentage", "higher_is_better", 1),
    ("count", "lower_is_better", 0),
    ("rate_per_10000", "lower_is_better", 1),
    ("days", "lower_is_better", 2),
]
BATCH = 5000


def bench_host(number):
    """The host name council ``number`` (1, 2, ...) answers at in the benchmarks."""
    return f"council-{number}.bench"


def generate(size_name, *, users=True):
    """Empty the scorecard tables and fill them at ``size_name``, all council one's.
    Returns row counts."""
    from django.core.management import call_command

    from indicators import roles
    from indicators.models import Council
    from indicators.periods import Month
    from indicators.tenancy import council_scope

    # Everything goes, users and history included (deleting row by row through the ORM
    # would write a history row for each).
    call_command("flush", interactive=False, verbosity=0)
    from django.contrib.auth.models import Group

    for role in roles.ALL_ROLES:  # the groups the migration made went with the flush
        Group.objects.get_or_create(name=role)
    # Council one: every generated row is its (bench/pages.py --councils copies them).
    council = Council.objects.create(slug="council-1", host=bench_host(1))
    with council_scope(council):
        return _generate(size_name, users, roles, Month)


def _generate(size_name, users, roles, Month):
    from django.core.management import call_command
    from django.utils import timezone

    from indicators.models import (
        Commentary,
        Indicator,
        Priority,
        PriorityIndicator,
        PublishedMonth,
        Target,
        Value,
    )

    size = SIZES[size_name]
    if size is None:
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    else:
        _fill(size, Month, Priority, Indicator, PriorityIndicator, Target, Value, Commentary)
        PublishedMonth.objects.bulk_create(
            PublishedMonth(
                period=Month(*LAST_MONTH).plus(-m).first_day, published_at=timezone.now()
            )
            for m in range(size.months)
        )
    if users:
        _bench_users(roles)
    return {
        "indicators": Indicator.objects.count(),
        "values": Value.objects.count(),
        "commentary": Commentary.objects.count(),
        "targets": Target.objects.count(),
        "published months": PublishedMonth.objects.count(),
    }


def _fill(size, Month, Priority, Indicator, PriorityIndicator, Target, Value, Commentary):
    rng = random.Random(f"scorecard-bench-{size.name}")
    Priority.objects.bulk_create(
        Priority(
            number=n,
            title=f"Priority {n}: synthetic improvement priority",
            commitment="We will improve outcomes for children and young people.",
            lead_officer=f"Service Director {n}",
            display_order=n,
        )
        for n in range(1, size.priorities + 1)
    )
    priorities = list(Priority.objects.order_by("number"))
    Indicator.objects.bulk_create(
        Indicator(
            reference=f"S{n}",
            description=f"Synthetic indicator {n}: children and young people measure",
            definition="A synthetic measure for benchmarking.",
            unit=UNITS[n % len(UNITS)][0],
            polarity=UNITS[n % len(UNITS)][1],
            decimal_places=UNITS[n % len(UNITS)][2],
            measure_basis="snapshot",
        )
        for n in range(size.indicators)
    )
    indicators = list(Indicator.objects.order_by("id"))
    per_priority = -(-len(indicators) // len(priorities))
    PriorityIndicator.objects.bulk_create(
        PriorityIndicator(
            priority=priorities[i // per_priority], indicator=indicator, display_order=i
        )
        for i, indicator in enumerate(indicators)
    )
    last = Month(*LAST_MONTH)
    first = last.plus(-(size.months - 1))
    middle = first.plus(size.months // 2)
    targets, values, comments = [], [], []
    for indicator in indicators:
        level = rng.uniform(20, 80)
        targets.append(
            Target(indicator=indicator, value=Decimal(f"{level:.1f}"), valid_from=first.first_day)
        )
        targets.append(
            Target(
                indicator=indicator,
                value=Decimal(f"{level * 1.05:.1f}"),
                valid_from=middle.first_day,
                label="Statistical neighbours",
            )
        )
        for m in range(size.months):
            month = first.plus(m)
            level = max(0.0, min(100.0, level + rng.gauss(0, 2)))
            places = indicator.decimal_places
            values.append(
                Value(
                    indicator=indicator,
                    period=month.first_day,
                    value=Decimal(f"{level:.{places}f}"),
                    status="actual",
                )
            )
            comments.append(
                Commentary(
                    indicator=indicator,
                    period=month.first_day,
                    text=f"{month.long_label}: performance moved with demand; the service "
                    "is reviewing cases and expects improvement next quarter.",
                )
            )
    Target.objects.bulk_create(targets, batch_size=BATCH)
    Value.objects.bulk_create(values, batch_size=BATCH)
    Commentary.objects.bulk_create(comments, batch_size=BATCH)


def copy_council(count):
    """Councils 2..``count``, each a copy of council one's rows (every table of a council-owned
    model: priorities, indicators and their links, targets, figures, commentary, published
    months...), made with one ``INSERT ... SELECT`` per table in one transaction rather than
    by generating each: council k's row ids are council one's plus (k - 1) times the table's
    span, so the keys between its rows follow, and its rows are written together in council
    one's order (a council's figures side by side on disk, as council one's are, not
    interleaved with the other councils'). Memberships are not copied. Returns the councils
    made and the rows written per table."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, models, transaction

    from indicators.models import Council, Membership
    from indicators.tenancy import every_council, is_scoped

    with every_council(), transaction.atomic():
        one = Council.objects.get()  # only council one so far: every scoped row is its
        councils = [
            Council(slug=f"council-{k}", host=bench_host(k), name=f"{one.name} {k}")
            for k in range(2, count + 1)
        ]
        councils = Council.objects.bulk_create(councils)
        if not councils:
            return [], {}
        scoped = [
            m
            for m in apps.get_models()
            if is_scoped(m) and m is not Membership and not m._meta.proxy
        ]
        spans = {}
        for model in scoped:
            found = model._base_manager.aggregate(low=models.Min("pk"), high=models.Max("pk"))
            if found["high"] is not None:
                spans[model] = found["high"] - found["low"] + 1
        ordered = _parents_first(spans)
        written = {}
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE bench_copy (k integer, council_id integer)")
            cursor.executemany(
                "INSERT INTO bench_copy (k, council_id) VALUES (%s, %s)",
                [(k, council.pk) for k, council in enumerate(councils, start=2)],
            )
            for model in ordered:
                columns, values = [], []
                for field in model._meta.local_concrete_fields:
                    columns.append(quote(field.column))
                    target = field.related_model if field.is_relation else None
                    if target is Council:
                        values.append("c.council_id")
                    elif field.primary_key:
                        values.append(f"t.{quote(field.column)} + (c.k - 1) * {spans[model]}")
                    elif target in spans:
                        values.append(f"t.{quote(field.column)} + (c.k - 1) * {spans[target]}")
                    else:
                        values.append(f"t.{quote(field.column)}")
                table = quote(model._meta.db_table)
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(values)} FROM {table} AS t CROSS JOIN bench_copy AS c "
                    f"ORDER BY c.k, t.{quote(model._meta.pk.column)}"
                )
                written[model._meta.db_table] = cursor.rowcount
            cursor.execute("DROP TABLE bench_copy")
            for sql in connection.ops.sequence_reset_sql(no_style(), ordered):
                cursor.execute(sql)
    return councils, written


def _parents_first(models):
    """``models`` ordered so that each comes after those its keys point to."""
    ordered, left = [], list(models)
    while left:
        for model in left:
            points_to = {
                f.related_model
                for f in model._meta.local_concrete_fields
                if f.is_relation and f.related_model is not model
            }
            if not points_to & set(left):
                ordered.append(model)
                left.remove(model)
                break
        else:
            raise ValueError(f"a cycle of keys among {left}")
    return ordered


BENCH_PASSWORD = "bench-reader-password"


def _bench_users(roles):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for username, role in (("bench-viewer", roles.VIEWER), ("bench-editor", roles.EDITOR)):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=BENCH_PASSWORD)
        roles.grant(user, role)


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SIZES:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(SIZES)}}}")
    if "DATABASE_URL" not in os.environ:
        sys.exit(
            "Set DATABASE_URL to the throwaway database to fill: everything in it is replaced."
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    counts = generate(sys.argv[1])
    print(", ".join(f"{n:,} {what}" for what, n in counts.items()))


if __name__ == "__main__":
    main()

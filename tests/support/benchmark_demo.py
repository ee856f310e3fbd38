"""The demonstration's benchmarks for the tests: the Plymouth seed, the Q2 2023/24 report and
the LAIT extract imported for Plymouth with the April 2021 list, the seed's indicators linked
to their measures as ``load_demo`` links them (intake.lait.demo). Loaded once per
session (tests/support/snapshots.py) and written back for each test that asks.

Hand-worked from fixtures/lait/lait_extract.parquet (Plymouth is 879), the figures the tests
expect for 2022/23 (DfE's "2023"):

- ReReferral (ID 10, Q2p): Plymouth 20.0, England 22.4, South West 23.0, the ten April 2021
  neighbours' mean 24.28 (27.8, 41.6, 21.1, 18.6, 27.7, 16.6, 21.7, 27.3, 17.8, 22.6), band B,
  rank 64 of 149 (63 authorities below 20.0); 2021/22: England 21.5, neighbours 23.07.
- CPP_rate (ID 20, Q4r): Plymouth 44.4, England 42.7, neighbours 55.37; polarity "-": no band
  and no rank.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator, PublishedMonth, Value
from indicators.periods import Month, month_range
from intake.lait.demo import load_demo_benchmarks
from intake.quarterly_seed import load_quarterly_seed
from intake.seed import load_seed

from .snapshots import Snapshot


def _load():
    data = load_seed()
    load_quarterly_seed()
    load_demo_benchmarks()
    return data


@pytest.fixture(scope="session")
def benchmark_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return Snapshot(_load).capture()


@pytest.fixture
def demo(db, benchmark_snapshot):
    """The seed scorecard and quarterly report with DfE benchmarks, as load_demo leaves them
    (without the synthetic history)."""
    # One transaction: the indicators are written before the LAIT measures they refer to,
    # and a browser test's database commits each statement (the keys are checked at commit).
    with transaction.atomic():
        return benchmark_snapshot.restore()


def publish(*months):
    for month in months:
        PublishedMonth.objects.get_or_create(
            period=month.first_day, defaults={"published_at": timezone.now()}
        )


def add_history(reference="10", first="2021-01", last="2023-06", value="19.0"):
    """Published monthly figures before the seed's Jul-23 (the seed has three months only)."""
    indicator = Indicator.objects.get(reference=reference)
    months = month_range(Month.parse(first), Month.parse(last))
    Value.objects.bulk_create(
        Value(indicator=indicator, period=month.first_day, value=Decimal(value)) for month in months
    )
    publish(*months)
    return indicator

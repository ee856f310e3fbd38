"""A judged row is built in one place (``judgement.judge_rows``) and never changed after:
the entry grid, every page, the exports and the pack read the same finished rows, so a new
judgement is added once and cannot be forgotten by one of them."""

import ast
import dataclasses
from decimal import Decimal as D

import pytest

from indicators import rules
from indicators.figures import Figure
from indicators.judgement import MonthLoaded, judge_rows
from indicators.periods import Month

from .support.application import ROOT, application_modules

ROW_CLASS = "Row"
BUILDER = "judge_rows"
SEP = Month(2023, 9)


def row_constructions(source):
    """(the enclosing function's name, line) of every call of ``Row(...)`` in ``source``,
    called by its name or as an attribute (``judgement.Row(...)``)."""
    found = []

    def visit(node, function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call):
            called = node.func
            name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
            if name == ROW_CLASS:
                found.append((function, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(source), None)
    return found


def test_the_finder_sees_a_row_built_by_name_or_through_its_module():
    snippet = (
        "def build():\n"
        "    return [Row(1, indicator), judgement.Row(priority_number=2)]\n"
        "row = Row()\n"
        "other = ReportRow()\n"
    )
    assert row_constructions(snippet) == [("build", 2), ("build", 2), (None, 3)]


def test_a_row_is_built_in_one_place_only():
    calls = [
        (str(path.relative_to(ROOT)), function)
        for path in application_modules()
        for function, _ in row_constructions(path.read_text(encoding="utf-8"))
    ]
    assert calls == [("indicators/judgement.py", BUILDER)]


class _Indicator:
    id = 1
    unit, polarity, decimal_places, measure_basis = "percentage", "higher_is_better", 1, "snapshot"
    population_age_from = population_age_to = spc_baseline_from = None


def _judged(current, previous, target=None, suppress=False, **indicator):
    """The one row ``judge_rows`` builds for September's ``current`` after August's
    ``previous`` (None: no figure), against ``target``."""
    fake = type("Indicator", (_Indicator,), indicator)()
    figures = {
        month: Figure(D(value))
        for month, value in ((SEP, current), (SEP.previous(), previous))
        if value is not None
    }
    spans = [rules.TargetSpan(value=D(target))] if target is not None else []
    (row,) = judge_rows(
        MonthLoaded(
            month=SEP,
            shown_months=(SEP.previous(), SEP),
            indicators=((1, fake),),
            figures={fake.id: figures},
            target_spans={fake.id: spans},
            suppress=suppress,
        )
    )
    return row


def test_a_built_row_cannot_be_changed():
    row = _judged("91", "88", target="90")
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.benchmark = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.commentary = "Changed after judging"


@pytest.mark.parametrize(
    ("current", "previous", "target", "polarity", "rag", "rag_name", "arrow", "judgement"),
    [
        pytest.param(
            "91", "88", "90", "higher_is_better", rules.Rag.GREEN, "Green: on target",
            rules.Arrow.UP, rules.Judgement.IMPROVEMENT, id="on-target-and-up",
        ),
        pytest.param(
            "80", "85", "90", "higher_is_better", rules.Rag.AMBER,
            "Amber: within 15% of target", rules.Arrow.DOWN, rules.Judgement.DECLINE,
            id="within-tolerance-and-down",
        ),
        pytest.param(
            "18.3", "18.6", "10", "lower_is_better", rules.Rag.RED,
            "Red: more than 15% from target", rules.Arrow.DOWN, rules.Judgement.IMPROVEMENT,
            id="spec-id10-red-but-improving",
        ),
        pytest.param(
            "12", None, None, "higher_is_better", rules.Rag.MONITOR, "Monitor: no target",
            rules.Arrow.NONE, rules.Judgement.NOT_JUDGED, id="no-target-no-previous",
        ),
        pytest.param(
            "100.0", "100.0", "100", "higher_is_better", rules.Rag.GREEN, "Green: on target",
            rules.Arrow.LEVEL, rules.Judgement.NO_CHANGE, id="spec-id25-level",
        ),
    ],
)  # fmt: skip
def test_the_builder_judges_rag_and_direction_by_the_rules(
    current, previous, target, polarity, rag, rag_name, arrow, judgement
):
    row = _judged(current, previous, target=target, polarity=polarity)
    assert (row.rag, row.rag_name) == (rag, rag_name)
    assert (row.direction.arrow, row.direction.judgement) == (arrow, judgement)


def test_a_month_without_a_figure_is_no_data():
    row = _judged(None, "88", target="90")
    assert row.rag is rules.Rag.NO_DATA
    assert row.direction.arrow is rules.Arrow.NONE


def test_beside_an_x_the_builder_says_only_what_every_possible_count_shares():
    row = _judged("3", "9", target="1", suppress=True, unit="count", polarity="lower_is_better")
    assert row.display(SEP) == rules.SUPPRESSED_MARK
    assert row.rag is rules.Rag.SUPPRESSED
    assert row.direction.arrow is rules.Arrow.DOWN


def test_the_seed_scorecard_is_judged_as_the_rules_judge_each_figure(seed):
    from scorecard.queries import load_scorecard

    rows = load_scorecard(SEP).rows
    assert rows
    for row in rows:
        indicator = row.indicator
        if row.is_suppressed(SEP) or row.is_suppressed(SEP.previous()):
            continue
        expected_rag = rules.rag_for_target(row.value(SEP), row.target, indicator.polarity)
        expected_direction = rules.direction_of_travel(
            row.value(SEP),
            row.value(SEP.previous()),
            indicator.polarity,
            indicator.decimal_places,
        )
        assert (row.rag, row.direction) == (expected_rag, expected_direction), indicator

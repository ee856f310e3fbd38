"""A set-up workbook for Devon County Council written by hand with openpyxl, as an
administrator fills in the template: three priorities and ten indicators from Devon's
children's scrutiny minutes (seeds/002): two rates per 10,000 children, a trajectory for
agency social workers (37.9% in Oct-22 to 25% by Oct-23) and an anticipated range.

Devon's figures from the same minutes go in as a figure import in the one-row-per-figure
layout: referrals 484 per 10,000 (Sep-22), assessments within 45 days 90% (Oct-22), 48
unaccompanied asylum-seeking children (10 in Oct-21), five children under 16 in unregistered
accommodation, 25% of care leavers in unsuitable accommodation, 37.9% agency social workers
(Oct-22) and an average caseload of 17 (23 in Mar-22).
"""

import datetime as dt
import io

import openpyxl

COUNCIL = "Devon County Council"
COMMITTEE = "Children's Scrutiny Committee"
SERVICE = "Children's social care performance"
DIRECTOR = "Director of Children and Young People's Futures"

PRIORITIES = [
    # number, title, commitment, lead officer, headline measures in order
    (
        1,
        "Front door, assessment and child protection",
        "Children get the right help at the right time, with timely, good quality assessments.",
        "Head of Service, Assessment",
        "D01, D02, D03",
    ),
    (
        2,
        "Children in care and care leavers",
        "Children in care and care leavers live in safe, suitable homes.",
        DIRECTOR,
        "D04, D05, D06, D07",
    ),
    (
        3,
        "Recruitment, retention and agency staff",
        "Fewer agency and consultancy staff, converted to permanent posts, with manageable "
        "caseloads.",
        "Head of Service, Workforce",
        "D08, D09, D10",
    ),
]

INDICATORS = [
    # reference, description, unit, polarity, basis, decimal places
    ("D01", "Rate of referrals per 10,000 children", "Rate per 10,000 children",
     "Neither (monitor)", "Rolling 12 months", 0),
    ("D02", "Percentage of assessments completed within 45 working days", "Percentage",
     "Higher is better", "In month", 1),
    ("D03", "Number of children subject to a child protection plan", "Count",
     "Neither (monitor)", "Month-end snapshot", 0),
    ("D04", "Rate of children in care per 10,000 children", "Rate per 10,000 children",
     "Neither (monitor)", "Month-end snapshot", 1),
    ("D05", "Number of unaccompanied asylum-seeking children in care", "Count",
     "Neither (monitor)", "Month-end snapshot", 0),
    ("D06", "Number of children in care under 16 in unregistered accommodation", "Count",
     "Lower is better", "Month-end snapshot", 0),
    ("D07", "Percentage of care leavers in unsuitable accommodation", "Percentage",
     "Lower is better", "Month-end snapshot", 1),
    ("D08", "Percentage of social workers who are agency staff", "Percentage",
     "Lower is better", "Month-end snapshot", 1),
    ("D09", "Average social worker caseload", "Count", "Lower is better",
     "Month-end snapshot", 0),
    ("D10", "Social worker turnover", "Percentage", "Lower is better", "Rolling 12 months", 1),
]  # fmt: skip

TARGETS = [
    # indicator, kind, value, from, to, goal value, goal month, lower, upper, label
    ("D01", "Anticipated range", None, "Apr-22", None, None, None, 430, 500, None),
    ("D02", "Target", 85, "Apr-22", None, None, None, None, None, None),
    ("D06", "Target", 0, "Apr-22", None, None, None, None, None, None),
    # A target that ends on the last day of the financial year, and the next one from the
    # next financial year as people write it.
    ("D07", "Target", 15, "Apr-22", dt.datetime(2023, 3, 31), None, None, None, None, None),
    ("D07", "Target", 10, "2023/24", None, None, None, None, None, None),
    # The committee's trajectory of agency reductions.
    ("D08", "Trajectory", 37.9, "Oct-22", None, 25, "Oct-23", None, None, None),
    ("D09", "Target", 18, "Apr-22", None, None, None, None, None, "Local"),
    ("D10", "Target", 15, "Apr-22", None, None, None, None, None, None),
]

FIGURES = [
    # reference, month, value
    ("D01", "Sep-22", "484"),
    ("D02", "Oct-22", "90.0%"),
    ("D05", "Oct-21", "10"),
    ("D05", "Oct-22", "48"),
    ("D06", "Oct-22", "5"),
    ("D07", "Oct-22", "25.0%"),
    ("D08", "Oct-22", "37.9%"),
    ("D09", "Mar-22", "23"),
    ("D09", "Oct-22", "17"),
]


def setup_workbook():
    """The workbook's bytes: the sheets and headers of the set-up template, filled in."""
    workbook = openpyxl.Workbook()
    council = workbook.active
    council.title = "Council"
    council.append(["Council name", "Service name", "Committee name", "DfE authority number"])
    council.append([COUNCIL, SERVICE, COMMITTEE, 878])

    priorities = workbook.create_sheet("Priorities")
    priorities.append(["Number", "Title", "Commitment", "Lead officer", "Headline measures"])
    for row in PRIORITIES:
        priorities.append(list(row))

    indicators = workbook.create_sheet("Indicators")
    indicators.append(
        ["Reference", "Description", "Unit", "Polarity", "Measure basis", "Decimal places"]
    )
    for row in INDICATORS:
        indicators.append(list(row))

    targets = workbook.create_sheet("Targets")
    targets.append(
        ["Indicator", "Kind", "Value", "From", "To", "Goal value", "Goal month", "Lower",
         "Upper", "Label"]
    )  # fmt: skip
    for row in TARGETS:
        targets.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def figures_csv():
    """Devon's figures from the minutes, one row per figure."""
    lines = ["reference,month,value"] + [",".join(row) for row in FIGURES]
    return ("\n".join(lines) + "\n").encode()

"""The questions and actions raised at a committee meeting, as the meeting page and the pack's
"Actions from the last meeting" section print them (issue 26): each with what it is about
(an indicator's reference and description, or a priority's number and title), its officer,
due date, status in words (overdue worked out for the day) and its answer.

What is printed is text the questions page already shows every reader: no figure, so no
draft month's figure, is ever said here.
"""

import datetime as dt
from dataclasses import dataclass, field

from indicators.models import CommitteeMeeting, Question
from scorecard.questions import Listed, listed

ACTIONS_TITLE = "Actions from the last meeting"


@dataclass(frozen=True)
class MeetingActions:
    """``meeting``'s questions and actions (none when there is no meeting), as on ``today``."""

    meeting: CommitteeMeeting | None
    today: dt.date
    items: list[Listed] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.words == "Overdue")


def raised_at(meeting: CommitteeMeeting | None, today: dt.date) -> MeetingActions:
    """The questions and actions tied to ``meeting``, actions first, then in the order they
    were raised: one query (none without a meeting)."""
    if meeting is None:
        return MeetingActions(None, today)
    questions = Question.objects.for_listing().filter(meeting=meeting)
    ordered = sorted(
        questions,
        key=lambda q: (q.kind != Question.Kind.ACTION, q.raised_at, q.pk),
    )
    return MeetingActions(meeting, today, listed(ordered, today))

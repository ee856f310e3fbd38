from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser

from indicators import roles
from indicators.models import Indicator
from indicators.tenancy import CouncilCommand
from intake.lait.demo import load_demo_benchmarks
from intake.quarterly_seed import load_quarterly_seed
from intake.seed import add_demo_meeting, add_synthetic_history, load_seed

DEMO_USERS = [
    # username, role, password: printed by the command, for a local demonstration only.
    ("councillor", roles.VIEWER, "demo-councillor-2023"),
    ("advisor", roles.EDITOR, "demo-advisor-2023"),
    ("admin", roles.ADMINISTRATOR, "demo-admin-2023"),
]
DEMO_OWNER = "advisor"
DEMO_OWNER_EMAIL = "advisor@example.org"


class Command(CouncilCommand):
    help = (
        "Load the seed scorecard, a flagged synthetic history for the charts, DfE's LAIT "
        "benchmarks from the extract in fixtures/lait/, and one demonstration user per role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--history-months", type=int, default=36)

    def handle(self, *args: Any, history_months: int, **options: Any) -> None:
        data = load_seed()
        # Before the synthetic history, so every run gives the quarterly report's rows the
        # same flagged history (the quarterly report itself never reads synthetic figures).
        quarterly = load_quarterly_seed()
        count = add_synthetic_history(history_months)
        self.stdout.write(
            f"Loaded {len(data['indicators'])} indicators from the seed, the "
            f"{quarterly['quarter']} quarterly report and {count} synthetic figures "
            f"({history_months} months before each indicator's first real figure, marked as "
            "synthetic)."
        )
        lait, linked = load_demo_benchmarks()
        self.stdout.write(
            f"DfE LAIT benchmarks: measures {lait.measures}; indicators {', '.join(linked)} "
            "linked to their LAIT measures."
        )
        User = get_user_model()
        self.stdout.write("Demonstration sign-ins:")
        for username, role, password in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = role == roles.ADMINISTRATOR
            user.save()
            roles.grant(user, role)
            self.stdout.write(f"  {role:<14} username: {username:<11} password: {password}")
        # The advisor owns every measure, so "your indicators" and the reminders show on the
        # demonstration (the email goes to the console unless EMAIL_HOST is set).
        advisor = User.objects.get(username=DEMO_OWNER)
        advisor.email = DEMO_OWNER_EMAIL
        advisor.save(update_fields=["email"])
        owned = 0
        for indicator in Indicator.objects.filter(owner__isnull=True):
            indicator.owner = advisor
            indicator.save(update_fields=["owner"])
            owned += 1
        self.stdout.write(f"The advisor ({DEMO_OWNER_EMAIL}) owns {owned} more indicators.")
        councillor = User.objects.get(username="councillor")
        added = add_demo_meeting(officer=advisor, councillor=councillor)
        self.stdout.write(
            f"The committee's August 2023 meeting, with {added} questions and actions raised "
            "at it (the Sep-23 pack's actions from the last meeting)."
        )

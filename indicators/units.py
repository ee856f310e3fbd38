"""Every unit a figure can be in, defined once: what it is called, how it is written, what a
numerator/denominator pair is multiplied by, its spreadsheet number format and whether it can
be negative. The model's choices, reading a typed figure, formatting, exports and rates all
read this table, so a new unit is one entry here.
"""

from dataclasses import dataclass
from decimal import Decimal

COUNT = "count"
PERCENTAGE = "percentage"
RATE_PER_10000 = "rate_per_10000"
RATE_PER_1000 = "rate_per_1000"
DAYS = "days"
POINTS = "points"
CURRENCY = "currency"


@dataclass(frozen=True)
class Unit:
    code: str
    label: str  # the admin's and the spreadsheet's name: "Rate per 10,000 children"
    name: str  # for sentences: "a rate per 10,000 children"
    example: str  # how a user may type one: "39.1r or 39.1"
    suffix: str = ""  # printed after the number: "52.0%", "39.1r"
    prefix: str = ""  # printed before it: "£1,200"
    multiplier: Decimal | None = None  # numerator / denominator x this gives the figure
    can_be_negative: bool = False
    whole_numbers: bool = False

    @property
    def is_rate(self) -> bool:
        return self.code in (RATE_PER_10000, RATE_PER_1000)

    def number_format(self, decimal_places: int) -> str:
        """The Excel number format: figures are stored as the reports print them, so a
        percentage is 52.0 (percentage points) with a literal "%" - not Excel's % format,
        which would multiply by 100."""
        decimals = "." + "0" * decimal_places if decimal_places else ""
        if self.prefix:
            return f'"{self.prefix}"#,##0{decimals}'
        if self.suffix:
            return f'0{decimals}"{self.suffix}"'
        if self.whole_numbers:
            return f"#,##0{decimals}"
        return f"0{decimals}"


UNITS = {
    unit.code: unit
    for unit in (
        Unit(COUNT, "Count", "a count", "1,485", whole_numbers=True),
        Unit(
            PERCENTAGE,
            "Percentage",
            "a percentage",
            "52.0% or 52.0",
            suffix="%",
            multiplier=Decimal(100),
        ),
        Unit(
            RATE_PER_10000,
            "Rate per 10,000 children",
            "a rate per 10,000 children",
            "39.1r or 39.1",
            suffix="r",
            multiplier=Decimal(10000),
        ),
        Unit(
            RATE_PER_1000,
            "Rate per 1,000 children",
            "a rate per 1,000 children",
            "39.1r or 39.1",
            suffix="r",
            multiplier=Decimal(1000),
        ),
        Unit(DAYS, "Days", "a number of days", "11.25"),
        Unit(POINTS, "Points", "a points score", "11.25", can_be_negative=True),
        Unit(
            CURRENCY,
            "Currency (£)",
            "an amount of money",
            "£1,200 or 1200",
            prefix="£",
            can_be_negative=True,
        ),
    )
}
CHOICES = [(unit.code, unit.label) for unit in UNITS.values()]
RATES = tuple(code for code, unit in UNITS.items() if unit.is_rate)


def get(code: str) -> Unit:
    """The ``Unit`` for a code; ValueError for one that does not exist."""
    try:
        return UNITS[code]
    except KeyError:
        raise ValueError(f"Unknown unit {code!r}.") from None

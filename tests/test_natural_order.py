import pytest

from indicators.natural_order import natural_key


@pytest.mark.parametrize(
    ("unordered", "ordered"),
    [
        (["10", "2", "1"], ["1", "2", "10"]),
        (["1.10 Care leavers", "1.9 Adoption", "1.2 Referrals"],
         ["1.2 Referrals", "1.9 Adoption", "1.10 Care leavers"]),
        (["21b", "21a", "3"], ["3", "21a", "21b"]),
        (["E2", "Q10", "Q9", "E10"], ["E2", "E10", "Q9", "Q10"]),
        (["a", "10", "B"], ["10", "a", "B"]),  # numbers first, then letters regardless of case
        (["b2", "B10", "b1"], ["b1", "b2", "B10"]),
        (["", "1"], ["", "1"]),
    ],
)  # fmt: skip
def test_it_orders_as_people_count(unordered, ordered):
    assert sorted(unordered, key=natural_key) == ordered


def test_it_ignores_case():
    assert natural_key("Children in care 2") == natural_key("children IN CARE 2")

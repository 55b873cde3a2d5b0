"""Deciding an appeal from a panel's votes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Outcome = Literal["upheld", "overturned"]


def panel_decision(
    votes: Iterable[Outcome], tie_goes_to: Literal["employee", "manager"]
) -> Outcome:
    """The majority of the votes; a tie goes the way the policy says.

    ``upheld`` means the manager's decision stands; a tie that goes to the employee
    overturns it.
    """
    cast = list(votes)
    upheld, overturned = cast.count("upheld"), cast.count("overturned")
    if upheld != overturned:
        return "upheld" if upheld > overturned else "overturned"
    return "overturned" if tie_goes_to == "employee" else "upheld"

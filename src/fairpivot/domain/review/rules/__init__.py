"""Every finding rule, registered in the order the review raises them."""

from fairpivot.domain.review.rules import offers, outcome, process, timing
from fairpivot.domain.review.rules.registry import RULES, Rule, codes_resting_on, rules_for

__all__ = [
    "RULES",
    "Rule",
    "codes_resting_on",
    "offers",
    "outcome",
    "process",
    "rules_for",
    "timing",
]

"""The review: findings, deadlines and options for one case (``fairpivot.review/1``)."""

from fairpivot.domain.review.engine import review
from fairpivot.domain.review.model import Deadline, Finding, Option, Review

__all__ = ["Deadline", "Finding", "Option", "Review", "review"]

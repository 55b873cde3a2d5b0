"""Letters from the record: the Focus notice, the Pivot letter, the plan, its outcome, the
appeal decision, a further offer and the separation agreement.

Each is built from the case as the record holds it (the fold and the review of its case
file) and rendered with its policy's templates (``templates``): a letter shows the
recorded terms exactly and adds none of its own (review-v4.md section 8 item 10), and does
not carry the review's notice (CLARIFICATIONS.md). Recording an issued letter in the
case's ledger is ``fairpivot.records.cases.documents``'s.
"""

from fairpivot.documents.letters.catalog import (
    LETTERS,
    Composed,
    Letter,
    LetterRefused,
    available,
    compose,
)
from fairpivot.documents.letters.facts import Source, source_of

__all__ = [
    "LETTERS",
    "Composed",
    "Letter",
    "LetterRefused",
    "Source",
    "available",
    "compose",
    "source_of",
]

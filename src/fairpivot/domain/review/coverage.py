"""Which laws reach an employer of a given size (review-v4.md item 8, readings 44-47).

A finding that rests on a protected activity is kept when any law protecting that activity
covers the employer: the federal law, or the work state's own where it reaches smaller
employers. The ADEA's and the FMLA's floors come from the policy (which may only lower
them); the others are the statutes' own.
"""

from __future__ import annotations

from fairpivot.domain.policy.model import Thresholds

# Minimum employer headcounts: Title VII and the ADA (42 U.S.C. 2000e(b), 12111(5)(A)),
# California's FEHA and CFRA (Cal. Gov. Code 12926(d), 12945.2(b)), Washington's WLAD
# (RCW 49.60.040(11)).
TITLE_VII_ADA = 15
FEHA = 5
CFRA = 5
WLAD = 8

_DISCRIMINATION_KINDS = frozenset(
    {
        "discrimination_complaint",
        "harassment_complaint",
        "retaliation_complaint",
        "agency_charge",
        "medical_leave",
        "ada_accommodation_request",
    }
)


def activity_min_headcount(kind: str, work_state: str, t: Thresholds) -> int | None:
    """The smallest employer a law protecting ``kind`` covers, or None when any size is."""
    if kind in _DISCRIMINATION_KINDS:
        state = {"CA": FEHA, "WA": WLAD}.get(work_state)
        return min(TITLE_VII_ADA, state) if state is not None else TITLE_VII_ADA
    if kind == "fmla_leave":
        return min(t.fmla_min_headcount, CFRA) if work_state == "CA" else t.fmla_min_headcount
    return None  # wage, safety, whistleblower, concerted activity, other: no size line


def claim_min_headcount(code: str, t: Thresholds) -> int | None:
    """The smallest employer a claim deadline is listed for (readings 47 and 55)."""
    return {
        "eeoc_charge": TITLE_VII_ADA,
        "state_agency": WLAD,
        "fmla_suit": t.fmla_min_headcount,
        "ca_crd_complaint": FEHA,
        "wa_wlad_suit": WLAD,
    }.get(code)

"""How the pages word things: stages, events and activities as people say them.

Days left and money come from ``fairpivot.domain.wording``, shared with the command line,
so a date or an amount reads the same on screen and in a terminal.
"""

from __future__ import annotations

from fairpivot.domain.vocabulary import STAGES

STAGE_LABELS: dict[str, str] = {
    "good_standing": "Good standing",
    "focus": "Focus",
    "pivot_offered": "Pivot offered",
    "in_plan": "In an improvement plan",
    "plan_failed": "Plan failed",
    "appeal": "Appeal pending",
    "appeal_lost": "Appeal lost",
    "exiting": "Exiting",
    "separated": "Separated",
    "closed_passed": "Plan passed",
    "closed_retained": "Appeal won",
}
assert set(STAGE_LABELS) == set(STAGES), "every stage needs a label"

# What each stage means for the person it concerns, in their own terms.
STAGE_FOR_EMPLOYEE: dict[str, str] = {
    "good_standing": "You are in good standing.",
    "focus": (
        "You are on Focus, a development plan. Focus is meant to end within 60 days: "
        "either you are taken off it, or you are offered Pivot."
    ),
    "pivot_offered": (
        "You have been offered Pivot: a choice between leaving now with a severance payment "
        "(in exchange for a release of claims) and taking an improvement plan. Compare the "
        "options below and decide by the date shown."
    ),
    "in_plan": "You are on an improvement plan. Your goals and check-ins are below.",
    "plan_failed": (
        "Your plan was marked as failed. You may take the severance offer, or file an appeal "
        "before the deadline below."
    ),
    "appeal": (
        "Your appeal is with the panel. Each side gives a written statement; you can add "
        "yours below. The panel decides once every panelist has voted."
    ),
    "appeal_lost": "The panel upheld the decision. The options still open are below.",
    "exiting": (
        "You chose severance or signed an offer. You can revoke a signature within the "
        "revocation period shown below."
    ),
    "separated": "Your employment has ended. The deadlines that still run are below.",
    "closed_passed": "You passed the plan and are back in good standing.",
    "closed_retained": "Your appeal succeeded: you stay, in good standing.",
}

EVENT_LABELS: dict[str, str] = {
    "concern_documented": "Concern documented",
    "focus_started": "Focus started",
    "focus_disclosed": "Told of Focus",
    "focus_removed": "Focus ended",
    "pivot_offered": "Pivot offered",
    "option_chosen": "Option chosen",
    "plan_started": "Plan started",
    "checkin": "Check-in",
    "plan_extended": "Plan extended",
    "plan_passed": "Plan passed",
    "plan_failed": "Plan failed",
    "appeal_elected": "Appeal filed",
    "appeal_decided": "Appeal decided",
    "offer_made": "Offer made",
    "offer_signed": "Offer signed",
    "offer_revoked": "Signature revoked",
    "separated": "Separated",
    "transferred": "Transferred",
}


DEADLINE_LABELS: dict[str, str] = {
    "eeoc_charge": "Last day to file a charge with the EEOC",
    "state_agency": "Last day to file with the state agency",
    "pivot_decide_by": "Decide on the Pivot offer by",
    "offer_expires": "The offer expires",
    "revoke_by": "Last day to revoke a signed offer",
    "appeal_elect_by": "Last day to file an appeal",
    "plan_ends": "The plan ends",
    "focus_review_by": "Focus should be resolved by",
    "fmla_suit": "Last day to sue under the FMLA (3 years if the violation was willful)",
    "nlrb_charge": "Last day to file an unfair labor practice charge with the NLRB",
    "osha_11c": "Last day to file a retaliation complaint with OSHA",
    "ca_crd_complaint": "Last day to file with California's Civil Rights Department",
    "wa_wlad_suit": "Last day to sue under Washington's Law Against Discrimination",
}

ACTIVITY_LABELS: dict[str, str] = {
    "fmla_leave": "FMLA leave",
    "medical_leave": "Medical leave",
    "ada_accommodation_request": "ADA accommodation request",
    "discrimination_complaint": "Discrimination complaint",
    "harassment_complaint": "Harassment complaint",
    "retaliation_complaint": "Retaliation complaint",
    "wage_complaint": "Wage complaint",
    "safety_complaint": "Safety complaint",
    "whistleblower_report": "Whistleblower report",
    "agency_charge": "Agency charge",
    "concerted_activity": "Concerted activity",
    "other": "Other protected activity",
}


def activity_label(kind: str) -> str:
    """A protected activity's kind as people say it: ``FMLA leave``."""
    return ACTIVITY_LABELS.get(kind, humanize(kind))


def deadline_label(code: str) -> str:
    """What a deadline means, in words: ``Last day to file an appeal``."""
    return DEADLINE_LABELS.get(code, humanize(code))


def stage_label(stage: str) -> str:
    """A stage as people say it: ``Pivot offered``."""
    return STAGE_LABELS.get(stage, humanize(stage))


def event_label(kind: str) -> str:
    """An event type as people say it: ``Focus started``."""
    return EVENT_LABELS.get(kind, humanize(kind))


def humanize(code: str) -> str:
    """``fmla_leave`` as ``Fmla leave``: the fallback for codes with no label of their own."""
    return code.replace("_", " ").capitalize()


def yes_no(flag: bool) -> str:
    """``yes`` or ``no``."""
    return "yes" if flag else "no"

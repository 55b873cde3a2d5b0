"""Acting on cases: the steps open to the caller, and taking one.

Every step goes through the command layer the pages use (``fairpivot.records.cases.commands``),
so the API offers every command, to the same people, with the same checks.
"""

# No ``from __future__ import annotations``: ninja reads the routes' annotations at run
# time, from the module its decorators wrap them in.

from typing import Annotated

from django.http import HttpRequest
from ninja import P, PathEx, Router, Status
from pydantic import WithJsonSchema

from fairpivot.records.cases.commands import COMMANDS, Situation
from fairpivot.records.models import Case
from fairpivot.web.access import finding_codes_for
from fairpivot.web.api.cases import READ, CaseId, requested_case, shown_review, stored_review
from fairpivot.web.api.schemas import (
    ActionOut,
    ErrorOut,
    FieldOut,
    HeldOut,
    RecordedOut,
    StepIn,
)
from fairpivot.web.case import acting

router = Router(tags=["steps"])

ActionName = PathEx[
    Annotated[str, WithJsonSchema({"type": "string", "enum": sorted(COMMANDS)})],
    P(description="an action's name, from GET /cases/{case_id}/actions"),
]


@router.get(
    "/cases/{case_id}/actions",
    response={200: list[ActionOut], **READ},
    summary="The steps you may take on the case now",
)
def list_actions(request: HttpRequest, case_id: CaseId) -> list[ActionOut]:
    """The actions open to you at the case's stage, with the inputs each takes."""
    who, case = requested_case(request, case_id)
    situation = Situation(case)
    out = []
    for action, relation in acting.available(who, situation):
        offered = action.choices(situation) if action.choices is not None else {}
        out.append(
            ActionOut(
                name=action.name,
                label=action.label,
                acting_as=relation,
                event=action.event,
                guarded=action.guarded,
                fields=[
                    FieldOut(
                        name=f.name,
                        kind=f.kind,
                        label=f.label,
                        required=f.required,
                        choices=list(f.choices) or [v for v, _ in offered.get(f.name, ())],
                    )
                    for f in action.fields
                ],
            )
        )
    return out


@router.post(
    "/cases/{case_id}/actions/{name}",
    response={200: RecordedOut, 202: HeldOut, 409: ErrorOut, 422: ErrorOut, **READ},
    summary="Take a step on the case",
)
def take_action(
    request: HttpRequest, case_id: CaseId, name: ActionName, step: StepIn
) -> Status[RecordedOut | HeldOut]:
    """Record the step, or hold a manager's risky step for HR sign-off (202).

    ``version`` is the case version the step was decided on: if the case has moved on
    since, nothing is recorded and the answer is 409.
    """
    who, case = requested_case(request, case_id)
    outcome = acting.take(who, case, name, raw=step.inputs, version=step.version)
    if outcome.held is not None:
        findings = list(finding_codes_for(who, case, outcome.findings))
        return Status(202, HeldOut(held=outcome.held, findings=findings))
    case = Case.objects.get(pk=case.pk)  # as it stands after the step
    review = outcome.review.to_json() if outcome.review is not None else stored_review(case)
    return Status(200, RecordedOut(version=case.version, review=shown_review(who, case, review)))

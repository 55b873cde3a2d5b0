"""HR scopes and the panelist pool, for administrators: read them, change them, see the log."""

# No ``from __future__ import annotations``: ninja reads the routes' annotations at run
# time, from the module its decorators wrap them in.

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import AuthorizationError

from fairpivot.web import roles
from fairpivot.web.access import viewer_of
from fairpivot.web.api.auth import ApiToken, BrowserSession
from fairpivot.web.api.schemas import ErrorOut
from fairpivot.web.models import RoleChange

_ADMINS_ONLY = "Only administrators manage HR scopes and panelists."


def _admin(user: Any) -> Any:
    """The signed-in caller if an admin; anyone else is refused (403) before the body is read."""
    if isinstance(user, User) and not viewer_of(user).has("admin"):
        raise AuthorizationError(message=_ADMINS_ONLY)
    return user


class _AdminToken(ApiToken):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return _admin(super().authenticate(request, token))  # type: ignore[no-any-return]


class _AdminSession(BrowserSession):
    def __call__(self, request: HttpRequest) -> Any:
        return _admin(super().__call__(request))


router = Router(tags=["roles"], auth=[_AdminToken(), _AdminSession()])

CHANGES_SHOWN = 200


class ScopeOut(Schema):
    """An org subtree an HR partner covers; ``org`` empty is the whole organisation."""

    id: int
    org: str


class HrPartnerOut(Schema):
    """An HR user and what they cover."""

    user: str
    scopes: list[ScopeOut]


class RoleChangeOut(Schema):
    """One logged change of a scope or of the panelist pool."""

    at: datetime
    by: str
    action: str = Field(description=", ".join(RoleChange.ACTIONS))
    subject: str
    org: str


class RolesOut(Schema):
    """The HR partners with their scopes, the panelist pool, and the latest changes."""

    hr: list[HrPartnerOut]
    panelists: list[str]
    changes: list[RoleChangeOut]


class RoleChangeIn(Schema):
    """One change: ``add_scope`` (user, and org or whole), ``remove_scope`` (scope),
    ``add_panelist`` or ``remove_panelist`` (user)."""

    change: str = Field(max_length=32, description=", ".join(roles.CHANGES))
    user: str = Field("", max_length=roles.NAME_LENGTH)
    org: str = Field("", max_length=roles.ORG_LENGTH)
    whole: bool = False
    scope: int | None = Field(None, ge=1, le=2**63 - 1)


def _state() -> RolesOut:
    return RolesOut(
        hr=[
            HrPartnerOut(
                user=p.user.get_username(),
                scopes=[ScopeOut(id=s.pk, org=s.org_prefix) for s in p.scopes],
            )
            for p in roles.hr_partners()
        ],
        panelists=list(roles.panelists().values_list("username", flat=True)),
        changes=[
            RoleChangeOut(at=c.at, by=c.by, action=c.action, subject=c.subject, org=c.org)
            for c in roles.changes()[:CHANGES_SHOWN]
        ],
    )


@router.get(
    "/roles",
    response={200: RolesOut, 401: ErrorOut, 403: ErrorOut},
    summary="HR scopes, the panelist pool and their changes (admins)",
)
def list_roles(request: HttpRequest) -> RolesOut:
    """Every HR partner with their scopes, the panelist pool, and the latest changes."""
    return _state()


@router.post(
    "/roles/changes",
    response={200: RolesOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Change an HR scope or the panelist pool (admins); the change is logged",
)
def change_roles(request: HttpRequest, body: RoleChangeIn) -> RolesOut:
    """Make one change; 422 naming the field when the input is wrong, nothing changed."""
    fields = {
        "user": body.user,
        "org": body.org,
        "whole": "true" if body.whole else "",
        "scope": "" if body.scope is None else str(body.scope),
    }
    roles.change(request.auth, body.change, fields)  # type: ignore[attr-defined]
    return _state()

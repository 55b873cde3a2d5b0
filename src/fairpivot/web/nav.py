"""The main navigation: the pages each role uses, and where ``/`` sends each person."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from fairpivot.web.access import ANALYTICS_ROLES, Viewer, request_viewer

OVERSIGHT = ("hr", "counsel", "admin")  # the roles that get the dashboard and the access log


@dataclass(frozen=True, slots=True)
class NavItem:
    """One link of the main navigation."""

    label: str
    url: str
    current: bool


def oversees(viewer: Viewer) -> bool:
    """Whether the viewer reads cases across the org: HR, counsel or an admin."""
    return any(viewer.has(role) for role in OVERSIGHT)


def has_own_case(viewer: Viewer) -> bool:
    """Whether the viewer is the employee of a case."""
    return viewer.person_id is not None and (viewer.has("employee") or viewer.has_case)


def home_of(viewer: Viewer) -> str:
    """The name of the page a person starts from."""
    if oversees(viewer):
        return "dashboard"
    if viewer.has("manager"):
        return "my_team"
    if viewer.has("panelist"):
        return "my_panels"
    if viewer.has("representative") and not has_own_case(viewer):
        return "represented"
    return "my_case"


def items_for(viewer: Viewer, path: str) -> list[NavItem]:
    """The viewer's navigation, the current page marked."""
    names: list[tuple[str, str]] = []
    if oversees(viewer):
        names.append(("dashboard", "Dashboard"))
    if viewer.has("manager"):
        names.append(("my_team", "My team"))
    if viewer.has("panelist"):
        names.append(("my_panels", "My panels"))
    if has_own_case(viewer):
        names.append(("my_case", "My case"))
    if viewer.has("representative"):
        names.append(("represented", "Cases I represent"))
    if any(viewer.has(role) for role in ANALYTICS_ROLES):
        names.append(("org_analytics", "Org analytics"))
        names.append(("group_programs", "Group programs"))
    if oversees(viewer):
        names.append(("access_log", "Access log"))
    if viewer.has("admin"):
        names.append(("roles", "HR scopes and panelists"))
    return [NavItem(label, reverse(name), reverse(name) == path) for name, label in names]


def nav_items(request: HttpRequest) -> dict[str, list[NavItem]]:
    """Context processor: ``nav_items`` for base.html (none for anonymous visitors)."""
    if not request.user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": items_for(request_viewer(request), request.path)}

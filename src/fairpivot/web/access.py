"""Who may see which case, and which parts of it: the one place these rules live.

Every page and every API endpoint asks here. A case out of someone's scope is reported
as not found, with no hint that it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from fairpivot.records.errors import CaseNotFound
from fairpivot.records.models import Case, CaseProjection, Employee, PersonHistory, case_number
from fairpivot.records.prepared import Prepared
from fairpivot.web import privacy
from fairpivot.web.models import AccessLogEntry, HrScope, PanelAssignment
from fairpivot.web.privacy import Audience

ROLES = ("employee", "manager", "hr", "panelist", "counsel", "admin", "representative")
# Parts of a case only some viewers get: medical and complaint facts (ADA confidentiality,
# 29 C.F.R. 1630.14) and demographics are never shown to managers.
SENSITIVE_PARTS = ("protected_activities", "demographics")
# Findings that reveal a protected activity (its timing, a leave, a complaint): they go
# only to viewers who may see protected activities (``privacy`` withholds more).
SENSITIVE_FINDINGS = privacy.PROTECTED_FINDINGS


@dataclass(frozen=True, slots=True)
class Viewer:
    """A signed-in user as the access rules see them, read in one query (``viewer_of``).

    What decides their reach rides on the viewer: their roles, their own employee record,
    the org subtrees they cover as HR and the employees who invited them as representative.
    A viewer lives for one request; what it learns of a case on the way is kept in the
    ``dict`` fields, since a page asks several times.
    """

    user: Any
    roles: frozenset[str]
    employee: Employee | None
    scopes: tuple[str, ...] = ()  # HR: the org prefixes covered ("" covers everything)
    represents: frozenset[str] = frozenset()  # representative: the employees' ids
    has_case: bool = False  # whether some case is the viewer's own (as its employee)
    hr_cases: dict[int, bool] = field(default_factory=dict, compare=False, repr=False)
    # The audience the viewer is for each case (by id), as asked so far.
    audiences: dict[int, Audience] = field(default_factory=dict, compare=False, repr=False)
    managed: dict[int, bool] = field(default_factory=dict, compare=False, repr=False)
    seats: dict[int, bool] = field(default_factory=dict, compare=False, repr=False)

    @property
    def person_id(self) -> str | None:
        """The viewer's id in case files, when they are in the org."""
        return self.employee.employee_id if self.employee else None

    def has(self, role: str) -> bool:
        """Whether the viewer holds ``role`` (admins hold every role's reach)."""
        return role in self.roles


_EMPLOYEE_FIELDS = tuple(f.attname for f in Employee._meta.concrete_fields)
_VIEWER = Prepared(
    lambda pk: (
        User.objects.filter(pk=pk)
        .annotate(
            has_case=Exists(Case.objects.filter(employee_ref=OuterRef("employee__employee_id")))
        )
        .values_list(
            "groups__name",
            "hr_scopes__org_prefix",
            "represents__employee_ref",
            "represents__withdrawn_at",
            "has_case",
            *(f"employee__{name}" for name in _EMPLOYEE_FIELDS),
        )
    ),
    int,
)


def viewer_of(user: User | AnonymousUser) -> Viewer:
    """The viewer behind a request's user; no roles for anonymous users.

    One query: the user's groups, HR scopes, representations and employee record joined
    (a handful of rows: the product of groups, scopes and representations), and whether a
    case is their own.
    """
    if not isinstance(user, User) or not user.is_active:
        return Viewer(user, frozenset(), None)
    rows = _VIEWER.rows(user.pk)
    roles = {row[0] for row in rows if row[0] is not None}
    if user.is_superuser:
        roles.add("admin")
    scopes = sorted({row[1] for row in rows if row[1] is not None})
    represents = frozenset(row[2] for row in rows if row[2] is not None and row[3] is None)
    employee = None
    if rows and rows[0][5] is not None:
        employee = Employee.from_db(Employee.objects.db, list(_EMPLOYEE_FIELDS), rows[0][5:])
    return Viewer(
        user,
        frozenset(roles) & set(ROLES),
        employee,
        tuple(scopes) if "hr" in roles else (),
        represents if "representative" in roles else frozenset(),
        has_case=bool(rows and rows[0][4] and employee is not None),
    )


def request_viewer(request: HttpRequest) -> Viewer:
    """The viewer behind ``request``, made once per request and user (views, nav, forms)."""
    cached = getattr(request, "_fairpivot_viewer", None)
    if isinstance(cached, Viewer) and cached.user is request.user:
        return cached
    found = viewer_of(request.user)
    request._fairpivot_viewer = found  # type: ignore[attr-defined]
    return found


def reporting_line(manager: Employee) -> list[int]:
    """The ids of everyone below ``manager``, at any depth."""
    found: list[int] = []
    seen = {manager.pk}
    frontier = [manager.pk]
    while frontier:
        below = Employee.objects.filter(manager_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in below if pk not in seen]  # a loop in the lines ends here
        seen.update(frontier)
        found += frontier
    return found


def visible_cases(viewer: Viewer) -> QuerySet[Case]:
    """Every case the viewer may open."""
    if viewer.has("admin") or viewer.has("counsel"):
        return Case.objects.all()
    rule = Q(pk__in=[])
    if viewer.person_id:  # everyone in the org sees their own case, whatever their roles
        rule |= Q(employee_ref=viewer.person_id)
    if viewer.has("manager") and viewer.employee is not None:
        rule |= Q(employee_id__in=reporting_line(viewer.employee))
    if viewer.has("hr"):
        for prefix in viewer.scopes:
            rule |= _org_subtree(prefix)
    if viewer.has("panelist"):
        seats = PanelAssignment.objects.filter(
            user=viewer.user, recused_at__isnull=True
        ).values_list("case_id", flat=True)
        rule |= Q(pk__in=seats, projection__stage="appeal")
    if viewer.has("representative"):
        rule |= Q(employee_ref__in=represented(viewer))
    return Case.objects.filter(rule).distinct()


def represented(viewer: Viewer) -> list[str]:
    """The employees (ids) who have invited the viewer as their representative."""
    return sorted(viewer.represents)


def _org_subtree(prefix: str) -> Q:
    if not prefix:
        return ~Q(pk__in=[])
    return Q(employee__org=prefix) | Q(employee__org__startswith=prefix.rstrip("/") + "/")


def case_for(viewer: Viewer, ref: str) -> Case:
    """The case ``ref`` if the viewer may open it; CaseNotFound otherwise, exists or not.

    The case is read with its employee, its projection and where its employee's history
    stands, in one query; whether the viewer may open it is then decided from what rides
    on the viewer (``may_open``), the same rules ``visible_cases`` puts in SQL.
    """
    number = case_number(ref)
    found = _case(number) if number is not None else None
    if found is None or not may_open(viewer, found):
        raise CaseNotFound(ref)
    return found


_CASE_FIELDS = tuple(f.attname for f in Case._meta.concrete_fields)
# The stored review is read when the case's record is built, not every view.
_PROJECTION_FIELDS = tuple(
    f.attname for f in CaseProjection._meta.concrete_fields if f.name != "review"
)
_history = PersonHistory.objects.filter(employee_ref=OuterRef("employee_ref"))
_CASE = Prepared(
    lambda pk: (
        Case.objects.filter(pk=pk)
        .annotate(
            history_version=Subquery(_history.values("version")[:1]),
            history_head=Subquery(_history.values("head_hash")[:1]),
        )
        .values_list(
            *_CASE_FIELDS,
            *(f"employee__{name}" for name in _EMPLOYEE_FIELDS),
            *(f"projection__{name}" for name in _PROJECTION_FIELDS),
            "history_version",
            "history_head",
        )
    ),
    int,
)


def _case(number: int) -> Case | None:
    """The case with its employee and projection (as ``select_related`` would give them)
    and where its employee's history stands, from one row."""
    rows = _CASE.rows(number)
    if not rows:
        return None
    row = rows[0]
    at = len(_CASE_FIELDS)
    case = Case.from_db(Case.objects.db, list(_CASE_FIELDS), row[:at])
    employee_row = row[at : at + len(_EMPLOYEE_FIELDS)]
    at += len(_EMPLOYEE_FIELDS)
    projection_row = row[at : at + len(_PROJECTION_FIELDS)]
    employee = None
    if employee_row[0] is not None:
        employee = Employee.from_db(Employee.objects.db, list(_EMPLOYEE_FIELDS), employee_row)
    projection = None
    if projection_row[0] is not None:
        projection = CaseProjection.from_db(
            CaseProjection.objects.db, list(_PROJECTION_FIELDS), projection_row
        )
        projection._state.fields_cache["case"] = case
    case._state.fields_cache["employee"] = employee
    case._state.fields_cache["projection"] = projection
    case.history_version, case.history_head = row[-2:]  # type: ignore[attr-defined]
    return case


def may_open(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer may open the case: ``visible_cases``'s rules, for one case."""
    if viewer.has("admin") or viewer.has("counsel"):
        return True
    if viewer.person_id is not None and viewer.person_id == case.employee_ref:
        return True
    if viewer.has("representative") and case.employee_ref in viewer.represents:
        return True
    if viewer.has("hr") and visible_by_hr(viewer, case):
        return True
    if viewer.has("panelist") and seated(viewer, case):
        projected = getattr(case, "projection", None)
        if projected is not None and projected.stage == "appeal":
            return True
    return viewer.has("manager") and manages(viewer, case)


def manages(viewer: Viewer, case: Case) -> bool:
    """Whether the case's employee reports to the viewer, at any depth (one query)."""
    known = viewer.managed.get(case.pk)
    if known is not None:
        return known
    found = False
    if viewer.employee is not None and case.employee_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(_ABOVE, [case.employee_id, viewer.employee.pk])
            found = cursor.fetchone() is not None
    viewer.managed[case.pk] = found
    return found


# Walk up from an employee through their managers (at most 64 levels, so a loop in the
# HRIS's reporting lines ends) and find the viewer among them.
_EMPLOYEES = Employee._meta.db_table
_ABOVE = (
    f"WITH RECURSIVE above(id, depth) AS ("  # noqa: S608  (table name from the model)
    f"SELECT manager_id, 1 FROM {_EMPLOYEES} WHERE id = %s "
    f"UNION ALL SELECT e.manager_id, above.depth + 1 FROM {_EMPLOYEES} e "
    f"JOIN above ON e.id = above.id WHERE above.depth < 64 AND e.manager_id IS NOT NULL) "
    f"SELECT 1 FROM above WHERE id = %s LIMIT 1"
)


def seated(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer sits on the case's appeal panel now (not recused)."""
    known = viewer.seats.get(case.pk)
    if known is not None:
        return known
    found = (
        viewer.has("panelist")
        and PanelAssignment.objects.filter(
            user=viewer.user, case=case, recused_at__isnull=True
        ).exists()
    )
    viewer.seats[case.pk] = found
    return found


def sees_sensitive(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer may see the case's protected activities and demographics."""
    if viewer.has("admin") or viewer.has("counsel"):
        return True
    if viewer.person_id is not None and viewer.person_id == case.employee_ref:
        return True  # the employee sees all of their own case
    if case.employee_ref in viewer.represents:
        return True  # and so does the representative they invited
    if viewer.has("hr"):
        return visible_by_hr(viewer, case)
    return False


def audience_of(viewer: Viewer, case: Case) -> Audience:
    """Which view of the case the viewer gets (``privacy``): the whole case, or a manager's
    or a panelist's. A viewer who is both a manager and seated on the case's panel gets the
    narrower panelist's view; anyone else who can open the case but is neither, too.
    """
    known = viewer.audiences.get(case.pk)
    if known is not None:
        return known
    found: Audience
    if sees_sensitive(viewer, case):
        found = "full"
    elif seated(viewer, case):
        found = "panelist"
    elif viewer.has("manager"):
        found = "manager"
    else:
        found = "panelist"
    viewer.audiences[case.pk] = found
    return found


def sight_for(viewer: Viewer, case: Case) -> privacy.Sight:
    """The facts of the case the viewer may see."""
    return privacy.sight_of(audience_of(viewer, case))


def visible_by_hr(viewer: Viewer, case: Case) -> bool:
    """Whether the case is in one of the HR viewer's org subtrees (``_org_subtree``'s rule)."""
    known = viewer.hr_cases.get(case.pk)
    if known is not None:
        return known
    org = case.employee.org if case.employee_id is not None and case.employee else None
    found = viewer.has("hr") and any(
        prefix == "" or (org is not None and _covers(prefix, org)) for prefix in viewer.scopes
    )
    viewer.hr_cases[case.pk] = found
    return found


ANALYTICS_ROLES = ("hr", "counsel", "admin")


def may_view_analytics(viewer: Viewer, org: str) -> bool:
    """Whether the viewer may see the org analytics of ``org`` (``""``: the whole company).

    Counsel and admins see every org; HR the orgs inside their subtrees, the whole company
    only with a scope that covers everything (an empty prefix). The analytics are counts by
    sex, race and age, so managers, employees and panelists never see them.
    """
    return analytics_reach(viewer)(org)


def analytics_reach(viewer: Viewer) -> Callable[[str], bool]:
    """``may_view_analytics`` for one viewer, asked of many orgs with one query."""
    if viewer.has("admin") or viewer.has("counsel"):
        return lambda org: True
    if not viewer.has("hr"):
        return lambda org: False
    prefixes = viewer.scopes
    return lambda org: any(_covers(prefix, org) for prefix in prefixes)


def analytics_home(viewer: Viewer) -> str | None:
    """The org the analytics open on: the company, or the HR viewer's first scope."""
    if viewer.has("admin") or viewer.has("counsel"):
        return ""
    if not viewer.has("hr"):
        return None
    scopes = HrScope.objects.filter(user=viewer.user).order_by("id")
    return scopes.values_list("org_prefix", flat=True).first()


def hr_covers_org(viewer: Viewer, org: str) -> bool:
    """Whether the HR viewer's org subtrees hold ``org`` (a person's, before any case)."""
    if not viewer.has("hr"):
        return False
    return any(_covers(prefix, org) for prefix in viewer.scopes)


def _covers(prefix: str, org: str) -> bool:
    """Whether the subtree at ``prefix`` holds ``org`` (mirrors ``_org_subtree``)."""
    if not prefix:
        return True
    if not org:
        return False
    return org == prefix or org.startswith(prefix.rstrip("/") + "/")


def may_see_program(viewer: Viewer, unit: str) -> bool:
    """Whether the viewer may read a group program over ``unit`` and its disclosure.

    The disclosure counts a whole unit by title and age, so it goes where the org's
    analytics go: HR within their subtrees, counsel and admins everywhere.
    """
    return may_view_analytics(viewer, unit)


def may_run_program(viewer: Viewer, unit: str) -> bool:
    """Whether the viewer may set up a group program over ``unit`` and issue its papers."""
    return viewer.has("admin") or hr_covers_org(viewer, unit)


def log_access(viewer: Viewer, case: Case, part: str, via: str = "page") -> None:
    """Record that the viewer saw a sensitive part of a case."""
    if part not in AccessLogEntry.PARTS:
        raise ValueError(f"not a logged part: {part}")
    AccessLogEntry.objects.create(
        user=viewer.user, case=case, part=part, at=timezone.now(), via=via
    )


def access_log_for(viewer: Viewer) -> QuerySet[AccessLogEntry]:
    """The access log entries the viewer may read: HR within their cases, counsel all."""
    if viewer.has("admin") or viewer.has("counsel"):
        return AccessLogEntry.objects.all()
    if viewer.has("hr"):
        return AccessLogEntry.objects.filter(case__in=visible_cases(viewer))
    return AccessLogEntry.objects.none()


def finding_codes_for(viewer: Viewer, case: Case, codes: Iterable[str]) -> tuple[str, ...]:
    """The finding codes the viewer may be told of, in order (a held step's reasons).

    Those who do not see the whole case are told only that HR reviews the step, never why
    (review-v4.md section 8 item 6): even a harmless code's presence or absence would say
    something about the hidden ones.
    """
    return privacy.finding_codes(sight_for(viewer, case), codes)


def may_read_ledger(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer may export the case's ledger, which holds every fact unfiltered.

    A case file can go to anyone who may open the case, filtered by ``case_file_for``; the
    ledger cannot be filtered without breaking its hashes, so only HR covering the case,
    counsel and admins get it. Pages and the API both ask here.
    """
    return (
        viewer.has("admin")
        or viewer.has("counsel")
        or (viewer.has("hr") and visible_by_hr(viewer, case))
    )


def may_take_own_record(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer may download the employee's own record of the case: the employee,
    and the representative they invited (review-v4.md section 8 item 8), nobody else."""
    if viewer.person_id is not None and viewer.person_id == case.employee_ref:
        return True
    return case.employee_ref in represented(viewer)


def case_file_for(viewer: Viewer, case: Case, document: dict[str, Any]) -> dict[str, Any]:
    """The case file as the viewer may see it (``privacy``: per audience)."""
    return privacy.case_file(sight_for(viewer, case), document)


def review_for(viewer: Viewer, case: Case, review: dict[str, Any]) -> dict[str, Any]:
    """The review document as the viewer may see it (``privacy``: per audience)."""
    return privacy.review_document(sight_for(viewer, case), review)

"""Who may reach what: one table of every page and API endpoint, for every role and case.

The rule under test: access is enforced in one place for pages and API alike. An employee
sees only their own case, all of it; a manager only the cases of people in their reporting
line, never protected activities or demographics; a panelist only the appeals they sit on,
and only while open; HR the cases of their org subtrees; counsel (and admins) every case.
A case out of someone's scope is not found (404), exactly as a case that does not exist.

``TABLE`` is the single source: one row per page or endpoint and subject, one expected
status per role. The demo org is seeded once for the module (in a transaction rolled back
at its end), every cell runs in a savepoint of its own, so a cell's writes never reach the
next. To make every rule bite, the fixture narrows demo-hr to two org subtrees, seats
demo-panelist on a closed appeal, and records a protected activity on the open appeal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NamedTuple

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings
from pytest_django import DjangoDbBlocker

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.domain.review.context import ACTIVITY_NAMES
from fairpivot.records.cases import programs, usecases
from fairpivot.records.cases.transfer import export_case
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.errors import CaseNotFound
from fairpivot.records.models import Case, Employee
from fairpivot.web import access
from fairpivot.web import urls as web_urls
from fairpivot.web.access import SENSITIVE_FINDINGS
from fairpivot.web.api import api
from fairpivot.web.models import AccessLogEntry, HrScope
from fairpivot.web.services import cover_org, issue_token
from fairpivot.web.wording import activity_label
from tests.commanding import seat_past

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "employee", "manager", "hr", "panelist", "counsel", "admin")
API = "/api/v1"
# demo-hr covers these subtrees only (the demo gives them the whole org): the employee's
# and the closed appeal's (Devices) and the open appeal's (Sales/Southeast), not the rest.
HR_ORGS = ("Devices", "Sales/Southeast")
# The test client's response (its type in django-stubs is private).
Response = Any
MISSING = "C-999999"
HR_ACTOR = Actor("tests", "HR-1", "Harper Lin", "hr")
CASE_SUBJECTS = ("own", "report", "other", "open_appeal", "closed_appeal", "missing")
# People who have no case yet, for opening one: in an org demo-hr covers, and outside.
HIRE_SUBJECTS = ("in_hr_org", "outside_hr_org")
# Someone below demo-manager (in demo-hr's orgs) with no case, for the team page's button.
NEWCOMER = "report_without_case"


class Row(NamedTuple):
    """One page or endpoint for one subject, and the status each role gets."""

    method: str
    url: str  # ``{case}`` stands for the subject's case ref
    subject: str | None
    expected: dict[str, int]

    @property
    def label(self) -> str:
        """``GET /cases/{own}/``: the row as its test id shows it."""
        if self.subject in CASE_SUBJECTS:
            return f"{self.method} {self.url.replace('{case}', '{' + str(self.subject) + '}')}"
        suffix = f" ({self.subject})" if self.subject else ""
        return f"{self.method} {self.url}{suffix}"

    @property
    def is_api(self) -> bool:
        return self.url.startswith(API + "/")


def _row(method: str, url: str, subject: str | None, codes: tuple[int, ...]) -> Row:
    assert len(codes) == len(ROLES), url
    return Row(method, url, subject, dict(zip(ROLES, codes, strict=True)))


def P(method: str, url: str, subject: str | None, *codes: int) -> Row:  # noqa: N802
    """A page's row; codes in ``ROLES`` order."""
    return _row(method, url, subject, codes)


def A(method: str, url: str, subject: str | None, *codes: int) -> Row:  # noqa: N802
    """An API endpoint's row (``url`` under /api/v1); codes in ``ROLES`` order."""
    return _row(method, API + url, subject, codes)


# Pages: anonymous visitors are sent to sign in (302); a page for other roles is 403; a
# case out of scope, or a download the viewer may not take, is 404; a posted action is
# 302 back to the case when recorded, 422 (the page again) when it is not the viewer's.
# API: no token is 401; an endpoint for other roles 403; a case out of scope 404; the
# ledger of a case in scope but not the caller's to export 403; an action that is not
# the caller's 422.
# fmt: off
TABLE: list[Row] = [
    # method  url                             subject           anon emp  mgr  hr   pan  cns  adm
    P("GET",  "/healthz",                     None,             200, 200, 200, 200, 200, 200, 200),
    P("GET",  "/login/",                      None,             200, 200, 200, 200, 200, 200, 200),
    P("POST", "/logout/",                     None,             302, 302, 302, 302, 302, 302, 302),
    P("GET",  "/",                            None,             302, 302, 302, 302, 302, 302, 302),
    P("GET",  "/dashboard/",                  None,             302, 403, 403, 200, 403, 200, 200),
    P("GET",  "/me/",                         None,             302, 200, 200, 200, 200, 200, 200),
    P("GET",  "/team/",                       None,             302, 403, 200, 403, 403, 403, 403),
    P("GET",  "/panels/",                     None,             302, 403, 403, 403, 200, 403, 403),
    # Anyone in the org invites a representative for their own cases (here with no login
    # named, so nothing is invited: the page says why); those not in the org get 403.
    P("POST", "/me/representatives/",         None,             302, 302, 302, 403, 302, 403, 403),
    P("POST", "/me/representatives/{rep}/withdraw/", None,      302, 302, 302, 403, 302, 403, 403),
    P("GET",  "/represented/",                None,             302, 403, 403, 403, 403, 403, 403),
    P("GET",  "/roles/",                      None,             302, 403, 403, 403, 403, 403, 200),
    P("GET",  "/access-log/",                 None,             302, 403, 403, 200, 403, 200, 200),
    P("GET",  "/analytics/",                  None,             302, 403, 403, 200, 403, 200, 200),
    P("GET",  "/analytics/?org=Devices",      None,             302, 403, 403, 200, 403, 200, 200),
    P("GET",  "/analytics/?org=Sales",        None,             302, 403, 403, 404, 403, 200, 200),
    P("GET",  "/analytics/?org=",             None,             302, 403, 403, 404, 403, 200, 200),
    P("GET",  "/analytics/?dimension=height", None,             302, 403, 403, 400, 403, 400, 400),
    P("GET",  "/admin/",                      None,             302, 302, 302, 302, 302, 302, 200),
    # Group programs: HR in the unit's orgs, counsel and admins read them; HR covering the
    # unit and admins set them up and issue their disclosure (posted empty: 422 named).
    P("GET",  "/group-programs/",             None,             302, 403, 403, 200, 403, 200, 200),
    P("POST", "/group-programs/",             None,             302, 403, 403, 422, 403, 403, 422),
    P("GET",  "/group-programs/{program}/",   "in_hr_org",      302, 403, 403, 200, 403, 200, 200),
    P("GET",  "/group-programs/{program}/",   "outside_hr_org", 302, 403, 403, 404, 403, 200, 200),
    P("GET",  "/group-programs/{program}/disclosure.pdf", "in_hr_org",
                                                                302, 403, 403, 200, 403, 200, 200),
    P("GET",  "/group-programs/{program}/disclosure.pdf", "outside_hr_org",
                                                                302, 403, 403, 404, 403, 200, 200),
    P("POST", "/group-programs/{program}/issue/", "in_hr_org",  302, 403, 403, 302, 403, 403, 302),
    P("POST", "/group-programs/{program}/issue/", "outside_hr_org",
                                                                302, 403, 403, 404, 403, 403, 302),
    P("GET",  "/cases/{case}/",               "own",            302, 200, 200, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/",               "report",         302, 404, 200, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/",               "other",          302, 404, 404, 404, 404, 200, 200),
    P("GET",  "/cases/{case}/",               "open_appeal",    302, 404, 404, 200, 200, 200, 200),
    P("GET",  "/cases/{case}/",               "closed_appeal",  302, 404, 404, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/",               "missing",        302, 404, 404, 404, 404, 404, 404),
    P("GET",  "/cases/{case}/case-file.json", "own",            302, 200, 200, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/case-file.json", "report",         302, 404, 200, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/case-file.json", "other",          302, 404, 404, 404, 404, 200, 200),
    P("GET",  "/cases/{case}/case-file.json", "open_appeal",    302, 404, 404, 200, 200, 200, 200),
    P("GET",  "/cases/{case}/case-file.json", "closed_appeal",  302, 404, 404, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/case-file.json", "missing",        302, 404, 404, 404, 404, 404, 404),
    P("GET",  "/cases/{case}/ledger.json",    "own",            302, 403, 403, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/ledger.json",    "report",         302, 404, 403, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/ledger.json",    "other",          302, 404, 404, 404, 404, 200, 200),
    P("GET",  "/cases/{case}/ledger.json",    "open_appeal",    302, 404, 404, 200, 403, 200, 200),
    P("GET",  "/cases/{case}/ledger.json",    "closed_appeal",  302, 404, 404, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/ledger.json",    "missing",        302, 404, 404, 404, 404, 404, 404),
    # HR's preview of a letter (every subject's case has had a Focus): 403 to the others
    # who may open the case, counsel included.
    P("GET",  "/cases/{case}/letters/focus_notice/", "own",
                                                                302, 403, 403, 200, 404, 403, 200),
    P("GET",  "/cases/{case}/letters/focus_notice/", "report",
                                                                302, 404, 403, 200, 404, 403, 200),
    P("GET",  "/cases/{case}/letters/focus_notice/", "other",
                                                                302, 404, 404, 404, 404, 403, 200),
    P("GET",  "/cases/{case}/letters/focus_notice/", "open_appeal",
                                                                302, 404, 404, 200, 403, 403, 200),
    P("GET",  "/cases/{case}/letters/focus_notice/", "closed_appeal",
                                                                302, 404, 404, 200, 404, 403, 200),
    P("GET",  "/cases/{case}/letters/focus_notice/", "missing",
                                                                302, 404, 404, 404, 404, 404, 404),
    # An issued document's download: none is issued here (test_letters_web.py has who gets
    # which); one that does not exist is not found, to everyone, as a case out of scope is.
    P("GET",  "/cases/{case}/documents/999999/", "own",
                                                                302, 404, 404, 404, 404, 404, 404),
    P("GET",  "/cases/{case}/documents/999999/", "report",
                                                                302, 404, 404, 404, 404, 404, 404),
    P("GET",  "/cases/{case}/documents/999999/", "other",
                                                                302, 404, 404, 404, 404, 404, 404),
    P("GET",  "/cases/{case}/documents/999999/", "open_appeal",
                                                                302, 404, 404, 404, 404, 404, 404),
    P("GET",  "/cases/{case}/documents/999999/", "closed_appeal",
                                                                302, 404, 404, 404, 404, 404, 404),
    P("GET",  "/cases/{case}/documents/999999/", "missing",
                                                                302, 404, 404, 404, 404, 404, 404),
    # Counsel's case packet: the whole case and ledger, so whoever may read the ledger.
    P("GET",  "/cases/{case}/packet.pdf",     "own",            302, 403, 403, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/packet.pdf",     "report",         302, 404, 403, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/packet.pdf",     "other",          302, 404, 404, 404, 404, 200, 200),
    P("GET",  "/cases/{case}/packet.pdf",     "open_appeal",    302, 404, 404, 200, 403, 200, 200),
    P("GET",  "/cases/{case}/packet.pdf",     "closed_appeal",  302, 404, 404, 200, 404, 200, 200),
    P("GET",  "/cases/{case}/packet.pdf",     "missing",        302, 404, 404, 404, 404, 404, 404),
    # The employee's own record: theirs (and their representative's) alone.
    P("GET",  "/cases/{case}/record.zip",     "own",            302, 200, 403, 403, 404, 403, 403),
    P("GET",  "/cases/{case}/record.zip",     "report",         302, 404, 403, 403, 404, 403, 403),
    P("GET",  "/cases/{case}/record.zip",     "other",          302, 404, 404, 404, 404, 403, 403),
    P("GET",  "/cases/{case}/record.zip",     "open_appeal",    302, 404, 404, 403, 403, 403, 403),
    P("GET",  "/cases/{case}/record.zip",     "closed_appeal",  302, 404, 404, 403, 404, 403, 403),
    P("GET",  "/cases/{case}/record.zip",     "missing",        302, 404, 404, 404, 404, 404, 404),
    P("POST", "/cases/{case}/actions/add_document/", "own",
                                                                302, 302, 302, 302, 404, 422, 302),
    P("POST", "/cases/{case}/actions/add_document/", "report",
                                                                302, 404, 302, 302, 404, 422, 302),
    P("POST", "/cases/{case}/actions/add_document/", "other",
                                                                302, 404, 404, 404, 404, 422, 302),
    P("POST", "/cases/{case}/actions/add_document/", "open_appeal",
                                                                302, 404, 404, 302, 422, 422, 302),
    P("POST", "/cases/{case}/actions/add_document/", "closed_appeal",
                                                                302, 404, 404, 302, 404, 422, 302),
    P("POST", "/cases/{case}/actions/add_document/", "missing",
                                                                302, 404, 404, 404, 404, 404, 404),
    P("POST", "/team/{person}/open-case/",    NEWCOMER,         302, 403, 302, 302, 403, 403, 302),
    P("POST", "/team/{person}/open-case/",    "outside_hr_org", 302, 403, 404, 404, 403, 403, 302),
    # method  url (under /api/v1)             subject           anon emp  mgr  hr   pan  cns  adm
    A("GET",  "/cases",                       None,             401, 200, 200, 200, 200, 200, 200),
    A("POST", "/cases",                       "in_hr_org",      401, 403, 403, 201, 403, 403, 201),
    A("POST", "/cases",                       "outside_hr_org", 401, 403, 403, 403, 403, 403, 201),
    A("GET",  "/holds",                       None,             401, 403, 403, 200, 403, 403, 200),
    A("GET",  "/access-log",                  None,             401, 403, 403, 200, 403, 200, 200),
    A("GET",  "/roles",                       None,             401, 403, 403, 403, 403, 403, 200),
    A("POST", "/roles/changes",               None,             401, 403, 403, 403, 403, 403, 422),
    A("GET",  "/analytics/ura",               None,             401, 403, 403, 200, 403, 200, 200),
    A("GET",  "/analytics/ura?org=Sales",     None,             401, 403, 403, 404, 403, 200, 200),
    A("GET",  "/analytics/funnel",            None,             401, 403, 403, 200, 403, 200, 200),
    A("GET",  "/analytics/funnel?org=",       None,             401, 403, 403, 404, 403, 200, 200),
    A("GET",  "/analytics/impact",            None,             401, 403, 403, 200, 403, 200, 200),
    A("GET",  "/analytics/impact?dimension=height",
                                              None,             401, 403, 403, 400, 403, 400, 400),
    A("GET",  "/analytics/findings",          None,             401, 403, 403, 200, 403, 200, 200),
    A("GET",  "/analytics/findings?org=Devices/x",
                                              None,             401, 403, 403, 200, 403, 200, 200),
    A("GET",  "/group-programs",              None,             401, 403, 403, 200, 403, 200, 200),
    A("POST", "/group-programs",              None,             401, 403, 403, 422, 403, 403, 422),
    A("GET",  "/group-programs/{program}",    "in_hr_org",      401, 403, 403, 200, 403, 200, 200),
    A("GET",  "/group-programs/{program}",    "outside_hr_org", 401, 403, 403, 404, 403, 200, 200),
    A("GET",  "/group-programs/{program}/disclosure.pdf", "in_hr_org",
                                                                401, 403, 403, 200, 403, 200, 200),
    A("GET",  "/group-programs/{program}/disclosure.pdf", "outside_hr_org",
                                                                401, 403, 403, 404, 403, 200, 200),
    A("POST", "/group-programs/{program}/issue", "in_hr_org",   401, 403, 403, 200, 403, 403, 200),
    A("POST", "/group-programs/{program}/issue", "outside_hr_org",
                                                                401, 403, 403, 404, 403, 403, 200),
    A("GET",  "/openapi.json",                None,             401, 200, 200, 200, 200, 200, 200),
    A("GET",  "/docs",                        None,             302, 200, 200, 200, 200, 200, 200),
    A("GET",  "/",                            None,             404, 404, 404, 404, 404, 404, 404),
    A("GET",  "/no-such-endpoint",            None,             401, 404, 404, 404, 404, 404, 404),
    A("GET",  "/cases/{case}",                "own",            401, 200, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}",                "report",         401, 404, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}",                "other",          401, 404, 404, 404, 404, 200, 200),
    A("GET",  "/cases/{case}",                "open_appeal",    401, 404, 404, 200, 200, 200, 200),
    A("GET",  "/cases/{case}",                "closed_appeal",  401, 404, 404, 200, 404, 200, 200),
    A("GET",  "/cases/{case}",                "missing",        401, 404, 404, 404, 404, 404, 404),
    A("GET",  "/cases/{case}/casefile",       "own",            401, 200, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/casefile",       "report",         401, 404, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/casefile",       "other",          401, 404, 404, 404, 404, 200, 200),
    A("GET",  "/cases/{case}/casefile",       "open_appeal",    401, 404, 404, 200, 200, 200, 200),
    A("GET",  "/cases/{case}/casefile",       "closed_appeal",  401, 404, 404, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/casefile",       "missing",        401, 404, 404, 404, 404, 404, 404),
    A("GET",  "/cases/{case}/ledger",         "own",            401, 403, 403, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/ledger",         "report",         401, 404, 403, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/ledger",         "other",          401, 404, 404, 404, 404, 200, 200),
    A("GET",  "/cases/{case}/ledger",         "open_appeal",    401, 404, 404, 200, 403, 200, 200),
    A("GET",  "/cases/{case}/ledger",         "closed_appeal",  401, 404, 404, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/ledger",         "missing",        401, 404, 404, 404, 404, 404, 404),
    A("GET",  "/cases/{case}/events",         "own",            401, 200, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/events",         "report",         401, 404, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/events",         "other",          401, 404, 404, 404, 404, 200, 200),
    A("GET",  "/cases/{case}/events",         "open_appeal",    401, 404, 404, 200, 200, 200, 200),
    A("GET",  "/cases/{case}/events",         "closed_appeal",  401, 404, 404, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/events",         "missing",        401, 404, 404, 404, 404, 404, 404),
    A("GET",  "/cases/{case}/review",         "own",            401, 200, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/review",         "report",         401, 404, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/review",         "other",          401, 404, 404, 404, 404, 200, 200),
    A("GET",  "/cases/{case}/review",         "open_appeal",    401, 404, 404, 200, 200, 200, 200),
    A("GET",  "/cases/{case}/review",         "closed_appeal",  401, 404, 404, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/review",         "missing",        401, 404, 404, 404, 404, 404, 404),
    A("GET",  "/cases/{case}/deadlines",      "own",            401, 200, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/deadlines",      "report",         401, 404, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/deadlines",      "other",          401, 404, 404, 404, 404, 200, 200),
    A("GET",  "/cases/{case}/deadlines",      "open_appeal",    401, 404, 404, 200, 200, 200, 200),
    A("GET",  "/cases/{case}/deadlines",      "closed_appeal",  401, 404, 404, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/deadlines",      "missing",        401, 404, 404, 404, 404, 404, 404),
    A("GET",  "/cases/{case}/options",        "own",            401, 200, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/options",        "report",         401, 404, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/options",        "other",          401, 404, 404, 404, 404, 200, 200),
    A("GET",  "/cases/{case}/options",        "open_appeal",    401, 404, 404, 200, 200, 200, 200),
    A("GET",  "/cases/{case}/options",        "closed_appeal",  401, 404, 404, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/options",        "missing",        401, 404, 404, 404, 404, 404, 404),
    A("GET",  "/cases/{case}/actions",        "own",            401, 200, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/actions",        "report",         401, 404, 200, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/actions",        "other",          401, 404, 404, 404, 404, 200, 200),
    A("GET",  "/cases/{case}/actions",        "open_appeal",    401, 404, 404, 200, 200, 200, 200),
    A("GET",  "/cases/{case}/actions",        "closed_appeal",  401, 404, 404, 200, 404, 200, 200),
    A("GET",  "/cases/{case}/actions",        "missing",        401, 404, 404, 404, 404, 404, 404),
    A("POST", "/cases/{case}/actions/add_document", "own",
                                                                401, 200, 200, 200, 404, 422, 200),
    A("POST", "/cases/{case}/actions/add_document", "report",
                                                                401, 404, 200, 200, 404, 422, 200),
    A("POST", "/cases/{case}/actions/add_document", "other",
                                                                401, 404, 404, 404, 404, 422, 200),
    A("POST", "/cases/{case}/actions/add_document", "open_appeal",
                                                                401, 404, 404, 200, 422, 422, 200),
    A("POST", "/cases/{case}/actions/add_document", "closed_appeal",
                                                                401, 404, 404, 200, 404, 422, 200),
    A("POST", "/cases/{case}/actions/add_document", "missing",
                                                                401, 404, 404, 404, 404, 404, 404),
]
# fmt: on

# Which cases each role may open (GET /api/v1/cases must list exactly these): named
# subjects, or every case in demo-hr's subtrees, or every case.
VISIBLE: dict[str, tuple[str, ...] | str] = {
    "employee": ("own",),
    "manager": ("own", "report"),
    "panelist": ("open_appeal",),
    "hr": "hr_orgs",
    "counsel": "all",
    "admin": "all",
}


@dataclass(frozen=True)
class World:
    """The seeded demo as the tests use it: subjects, users, sessions and API tokens."""

    refs: dict[str, str]  # case subject -> case ref
    hires: dict[str, dict[str, Any]]  # hire subject -> POST /api/v1/cases body
    newcomer: str  # the employee id of NEWCOMER
    users: dict[str, User]
    tokens: dict[str, str]
    sessions: dict[str, str]  # role -> session key of a signed-in browser
    programs: dict[str, int]  # hire subject -> a group program's id over such an org


def _in_line(employee: Employee | None, manager: Employee) -> bool:
    """Whether ``manager`` is above ``employee`` (walking up, unlike the app, which walks down)."""
    seen: set[int] = set()
    while employee is not None and employee.manager_id is not None:
        if employee.manager_id == manager.pk or employee.manager_id in seen:
            return employee.manager_id == manager.pk
        seen.add(employee.manager_id)
        employee = employee.manager
    return False


def _in_hr_orgs(org: str) -> bool:
    return any(org == prefix or org.startswith(prefix + "/") for prefix in HR_ORGS)


def _hire(employee: Employee) -> dict[str, Any]:
    return {
        "employee": {
            "id": employee.employee_id,
            "name": employee.name,
            "age": 35,
            "hire_date": "2023-02-01",
            "work_state": "WA",
            "base_salary": 120000,
        },
        "people": [{"id": "M-77", "name": "Morgan Lead", "role": "manager"}],
    }


def record_activity(
    ref: str, kind: str, days_ago: int, lasted: int = 0, known_to: tuple[str, ...] = ()
) -> None:
    """Record a protected activity in the case, as HR would."""
    case = Case.objects.get(pk=int(ref.removeprefix("C-")))
    start = today(SYSTEM_CLOCK) - timedelta(days=days_ago)
    fact: dict[str, Any] = {"date": start.isoformat(), "kind": kind, "known_to": list(known_to)}
    if lasted:
        fact["end_date"] = (start + timedelta(days=lasted)).isoformat()
    usecases.record_fact(
        ref, "protected_activity", fact, actor=HR_ACTOR, expected_version=case.version
    )


def seed() -> World:
    """The demo, with demo-hr narrowed and demo-panelist seated on a closed appeal too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        ensure_demo()
        ensure_web_demo()
    users = {role: User.objects.get(username=f"demo-{role}") for role in ROLES[1:]}
    HrScope.objects.filter(user=users["hr"]).delete()
    for prefix in HR_ORGS:
        cover_org(users["hr"], prefix)
    cases = list(Case.objects.select_related("employee", "projection").order_by("id"))
    me = Employee.objects.get(user=users["employee"])
    boss = Employee.objects.get(user=users["manager"])
    own = next(c for c in cases if c.employee_ref == me.employee_id)
    assert _in_line(own.employee, boss), "the demo employee reports to demo-manager"
    report = next(c for c in cases if c != own and _in_line(c.employee, boss))
    open_appeal = next(
        c
        for c in cases
        if c.projection.stage == "appeal" and c.panel.filter(user=users["panelist"])
    )
    closed_appeal = next(
        c
        for c in cases
        if c.projection.stage in ("closed_retained", "appeal_lost")
        and c.employee is not None
        and _in_hr_orgs(c.employee.org)
    )
    seat_past(closed_appeal, [users["panelist"]], actor=Actor("tests", None, "", "hr"))
    other = next(
        c
        for c in cases
        if c.employee is not None
        and not _in_hr_orgs(c.employee.org)
        and not _in_line(c.employee, boss)
        and c.employee_ref != me.employee_id
        and c.projection.stage != "appeal"
    )
    # Protected activities on the open appeal and the report's case too, so that the
    # panelist's and the manager's rules have something to hide there as well.
    record_activity(open_appeal.ref, "ada_accommodation_request", days_ago=200)
    record_activity(report.ref, "wage_complaint", days_ago=300)
    with_case = {c.employee_ref for c in cases}
    free = Employee.objects.exclude(employee_id__in=with_case).order_by("employee_id")
    hire_in = next(e for e in free if _in_hr_orgs(e.org) and e.user is None)
    hire_out = next(e for e in free if not _in_hr_orgs(e.org) and e.user is None)
    newcomer = next(e for e in free if _in_line(e, boss) and e.exit_date is None)
    assert _in_hr_orgs(newcomer.org), newcomer.org
    refs = {
        "own": own.ref,
        "report": report.ref,
        "other": other.ref,
        "open_appeal": open_appeal.ref,
        "closed_appeal": closed_appeal.ref,
        "missing": MISSING,
    }
    assert len(set(refs.values())) == len(refs), refs
    return World(
        refs=refs,
        hires={"in_hr_org": _hire(hire_in), "outside_hr_org": _hire(hire_out)},
        newcomer=newcomer.employee_id,
        users=users,
        tokens={role: issue_token(user, "authorization tests") for role, user in users.items()},
        sessions={role: signed_in_session(user) for role, user in users.items()},
        programs={
            "in_hr_org": _program(HR_ORGS[0]),
            "outside_hr_org": _program("Retail"),
        },
    )


def _program(org: str) -> int:
    """A group program over ``org`` selecting two of its people (in a test's savepoint,
    issuing it writes nothing that lasts)."""
    people = Employee.objects.filter(org__startswith=org, exit_date__isnull=True)
    people = people.order_by("employee_id")
    selected = list(people.values_list("employee_id", flat=True)[:2])
    values = {
        "name": f"Program over {org}",
        "unit": org,
        "eligibility_factors": "Everyone in the org.",
        "selection_factors": "Two by id.",
        "program_date": today(SYSTEM_CLOCK).isoformat(),
        "selected": selected,
    }
    return programs.set_up(values, actor=HR_ACTOR, clock=SYSTEM_CLOCK).pk


def signed_in_session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return str(client.session.session_key)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """The demo seeded once for this module, in a transaction undone when it ends."""
    _ABSENT.clear()  # kept answers are this world's
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)


@contextmanager
def undone() -> Iterator[None]:
    """Run a block in a savepoint, then undo whatever it wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def version_of(ref: str) -> int:
    case = Case.objects.filter(pk=int(ref.removeprefix("C-"))).first()
    return case.version if case is not None else 1


def send(
    world: World, role: str, method: str, url: str, body: dict[str, Any] | None = None
) -> Response:
    """One request as ``role``: the API with the role's token, pages with its session."""
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        if url.startswith(API + "/"):
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    if method == "GET":
        response = client.get(url, headers=headers)
    elif url.startswith(API + "/"):
        response = client.post(
            url, json.dumps(body or {}), content_type="application/json", headers=headers
        )
    else:
        response = client.post(url, body or {}, headers=headers)
    return response


def url_of(row: Row, world: World, subject: str | None = None) -> str:
    subject = subject or row.subject
    if "{rep}" in row.url:  # an invitation nobody made: withdrawing it changes nothing
        return row.url.replace("{rep}", "999999")
    if "{person}" in row.url:
        hired = world.hires.get(str(subject), {}).get("employee", {}).get("id")
        return row.url.replace("{person}", world.newcomer if subject == NEWCOMER else hired)
    if "{program}" in row.url:
        return row.url.replace("{program}", str(world.programs[str(subject)]))
    if "{case}" not in row.url:
        return row.url
    return row.url.replace("{case}", world.refs[str(subject)])


def body_of(row: Row, world: World, ref: str | None) -> dict[str, Any] | None:
    """What a row's POST sends: a harmless document, or a case to open."""
    if row.method != "POST":
        return None
    if "{person}" in row.url:  # the team page's form: the pay the HRIS lacks
        return {"annual_pay": "90000"}
    if row.subject in HIRE_SUBJECTS:
        return world.hires[row.subject]
    if ref is None:
        return {}
    document = {"title": "Access check", "text": "Filed by the authorization table."}
    version = version_of(ref)
    if row.is_api:
        return {"version": version, "inputs": document}
    return {"version": str(version), **document}


def call(row: Row, role: str, world: World, subject: str | None = None) -> Response:
    """The row's request as ``role`` (for another case subject when told), undone after."""
    subject = subject or row.subject
    ref = world.refs.get(str(subject))
    with undone():
        return send(world, role, row.method, url_of(row, world, subject), body_of(row, world, ref))


def shown(response: Response, api: bool) -> Any:
    """What a response shows, for comparing two: the JSON, or the page's main part."""
    if api:
        return json.loads(response.content)
    content = response.content
    return content[max(content.find(b"<main"), 0) :]


@dataclass(frozen=True)
class Answer:
    """A response's status and what it shows, kept to compare others with."""

    status_code: int
    shown: Any


_ABSENT: dict[tuple[str, str, str], Answer] = {}


def absent_answer(row: Row, role: str, world: World) -> Answer:
    """The answer ``role`` gets from the row's route for a case that does not exist.

    The same request (method, route, role, a case id no case has, the same body) for every
    subject of a route, made in a savepoint undone after: asked once per module.
    """
    key = (row.method, row.url, role)
    if key not in _ABSENT:
        response = call(row, role, world, subject="missing")
        _ABSENT[key] = Answer(response.status_code, shown(response, row.is_api))
    return _ABSENT[key]


@pytest.mark.parametrize("row", TABLE, ids=[row.label for row in TABLE])
def test_each_role_gets_what_the_table_says(
    row: Row, world: World, subtests: pytest.Subtests
) -> None:
    for role, expected in row.expected.items():
        with subtests.test(msg=f"{row.label} as {role}"):
            response = call(row, role, world)
            got = response.status_code
            detail = response.content[:300].decode(errors="replace")
            assert got == expected, f"{row.label} as {role}: expected {expected}, got {got}"
            location = response.get("Location", "")
            if got == 302 and role == "anonymous":
                assert location.startswith(("/login/", "/admin/login/")), location
            elif got == 302:
                assert not location.startswith("/login/?next="), f"{role} was sent to sign in"
            if got == 404 and row.subject in CASE_SUBJECTS and row.subject != "missing":
                # No hint that the case exists: the same answer as for a case that does not.
                absent = absent_answer(row, role, world)
                assert absent.status_code == 404
                assert shown(response, row.is_api) == absent.shown, detail


def test_the_table_covers_every_role_and_subject() -> None:
    labels = [row.label for row in TABLE]
    assert len(labels) == len(set(labels))
    case_urls = {row.url for row in TABLE if "{case}" in row.url}
    for url in case_urls:
        subjects = {row.subject for row in TABLE if row.url == url}
        assert subjects == set(CASE_SUBJECTS), url
    opened = {row.subject for row in TABLE if (row.method, row.url) == ("POST", f"{API}/cases")}
    assert opened == set(HIRE_SUBJECTS)
    assert all(tuple(row.expected) == ROLES for row in TABLE)


def _shape(url: str) -> str:
    """A route with its parameters blanked: ``/cases/{}/actions/{}/``."""
    url = re.sub(r"<[^>]+>", "{}", url)
    url = url.replace("{case}", "{}").replace("{person}", "{}").replace("{rep}", "{}")
    url = url.replace("{program}", "{}")
    url = re.sub(r"/letters/[a-z_]+", "/letters/{}", url)
    url = re.sub(r"/documents/\d+", "/documents/{}", url)
    return re.sub(r"/actions/[a-z_]+", "/actions/{}", url)


def test_the_table_has_a_row_for_every_route() -> None:
    """A page or endpoint added later without a row here fails this test."""
    routes = {"/admin/"} | {"/" + _shape(str(p.pattern)) for p in web_urls.urlpatterns}
    routes |= {f"{API}/" + _shape(str(p.pattern)) for p in api.urls[0]}
    in_table = {_shape(row.url) for row in TABLE} | {f"{API}/{{}}"}  # /no-such-endpoint

    assert routes - in_table == set()


def expected_refs(role: str, world: World) -> set[str]:
    rule = VISIBLE[role]
    cases = Case.objects.select_related("employee")
    if rule == "all":
        return {case.ref for case in cases}
    if rule == "hr_orgs":
        return {case.ref for case in cases if case.employee and _in_hr_orgs(case.employee.org)}
    return {world.refs[subject] for subject in rule}


@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_a_browser_session_as_it_answers_a_token(role: str, world: World) -> None:
    """The pages' own scripts call the API with the session: the same rules apply."""
    urls = {f"{API}/cases", f"{API}/cases/{{case}}", f"{API}/holds", f"{API}/access-log"}
    rows = [row for row in TABLE if row.url in urls and row.method == "GET"]
    assert len(rows) == 9
    for row in rows:
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        response = client.get(url_of(row, world))
        assert response.status_code == row.expected[role], f"{row.label} as {role}'s session"


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_api_lists_exactly_the_cases_each_role_may_open(role: str, world: World) -> None:
    response = send(world, role, "GET", f"{API}/cases?limit=500")

    listed = {item["id"] for item in response.json()["items"]}
    assert listed == expected_refs(role, world)
    named = {subject for subject, ref in world.refs.items() if ref in listed}
    assert ("other" in named) == (role in ("counsel", "admin"))
    assert "missing" not in named


LINKED = re.compile(r'href="/cases/(C-\d+)/')


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("employee", "/me/"),
        ("manager", "/team/"),
        ("panelist", "/panels/"),
        ("hr", "/dashboard/"),
        ("hr", "/access-log/"),
        ("counsel", "/access-log/"),
    ],
)
def test_lists_on_pages_link_only_cases_in_scope(role: str, url: str, world: World) -> None:
    # Counsel exports a case outside everyone else's scope: its log row is counsel's to see.
    other, own = world.refs["other"], world.refs["own"]
    assert send(world, "counsel", "GET", f"/cases/{other}/case-file.json").status_code == 200
    assert send(world, "hr", "GET", f"/cases/{own}/").status_code == 200

    response = send(world, role, "GET", url)

    linked = set(LINKED.findall(response.content.decode()))
    assert response.status_code == 200
    assert linked <= expected_refs(role, world)
    if url == "/team/":
        assert linked == {world.refs["own"], world.refs["report"]}
    if url == "/panels/":
        assert linked == {world.refs["open_appeal"]}
    if url == "/access-log/":
        assert (world.refs["other"] in linked) == (role == "counsel")
        assert world.refs["own"] in linked


def test_the_api_access_log_holds_only_the_cases_hr_covers(world: World) -> None:
    other = world.refs["other"]
    assert send(world, "counsel", "GET", f"{API}/cases/{other}/casefile").status_code == 200

    hr = {e["case"] for e in send(world, "hr", "GET", f"{API}/access-log").json()["items"]}
    counsel = send(world, "counsel", "GET", f"{API}/access-log").json()["items"]

    assert other not in hr
    assert other in {e["case"] for e in counsel}


# What the sensitive parts of a case look like in a page or a response.


def activities_of(ref: str) -> list[dict[str, Any]]:
    full = export_case(Case.objects.get(pk=int(ref.removeprefix("C-"))))
    found: list[dict[str, Any]] = full.get("protected_activities", [])
    return found


def shown_markers(ref: str) -> set[str]:
    """What a page showing the case's protected activities shows of them (lower case)."""
    return {
        marker.lower()
        for activity in activities_of(ref)
        for marker in (activity_label(activity["kind"]), activity["date"])
    }


def protected_markers(ref: str) -> set[str]:
    """Strings that give away the case's protected activities (lower case)."""
    full = export_case(Case.objects.get(pk=int(ref.removeprefix("C-"))))
    rest = json.dumps({k: v for k, v in full.items() if k != "protected_activities"})
    markers: set[str] = set()
    for activity in full.get("protected_activities", []):
        kind = activity["kind"]
        markers |= {kind, activity_label(kind), ACTIVITY_NAMES.get(kind, kind)}
        markers |= {activity[key] for key in ("date", "end_date") if key in activity} - set(
            re.findall(r"\d{4}-\d{2}-\d{2}", rest)
        )
    if any(a["kind"] == "fmla_leave" for a in full.get("protected_activities", [])):
        markers.add("fmla")
    return {marker.lower() for marker in markers}


def demographic_markers(ref: str) -> set[str]:
    """Strings that give away the employee's demographics (exact case)."""
    full = export_case(Case.objects.get(pk=int(ref.removeprefix("C-"))))
    values = full["employee"].get("demographics", {})
    return {"demographics", "race_ethnicity", *(v for v in values.values() if len(v) > 5)}


CASE_ENDPOINTS = ("", "/casefile", "/events", "/review", "/deadlines", "/options", "/actions")


@pytest.mark.parametrize(
    ("role", "subject"),
    [("manager", "own"), ("manager", "report"), ("panelist", "open_appeal")],
)
def test_protected_activities_and_demographics_never_reach_managers_or_panelists(
    role: str, subject: str, world: World
) -> None:
    ref = world.refs[subject]
    protected = protected_markers(ref)
    demographic = demographic_markers(ref)
    assert protected, f"{subject} should have a protected activity to hide"

    page = send(world, role, "GET", f"/cases/{ref}/")
    answers = {"page": page.content.decode()}
    for part in CASE_ENDPOINTS:
        response = send(world, role, "GET", f"{API}/cases/{ref}{part}")
        assert response.status_code == 200, part
        answers[f"api{part or ' case'}"] = response.content.decode()

    for where, text in answers.items():
        assert not {m for m in protected if m in text.lower()}, where
        assert not {m for m in demographic if m in text}, where
    assert "protected_activities" not in json.loads(answers["api/casefile"])
    assert not AccessLogEntry.objects.filter(
        user=world.users[role], part__in=("protected_activities", "demographics")
    ).exists()


@pytest.mark.parametrize(
    ("role", "subject"),
    [
        ("employee", "own"),
        ("hr", "own"),
        ("hr", "open_appeal"),
        ("hr", "closed_appeal"),
        ("counsel", "own"),
        ("admin", "closed_appeal"),
    ],
)
def test_those_who_may_see_protected_activities_do_and_it_is_logged(
    role: str, subject: str, world: World
) -> None:
    ref = world.refs[subject]
    user = world.users[role]
    logged = AccessLogEntry.objects.filter(user=user, case__pk=int(ref[2:]))

    page = send(world, role, "GET", f"/cases/{ref}/").content.decode().lower()
    after_page = logged.filter(part="protected_activities", via="page").count()
    review = send(world, role, "GET", f"{API}/cases/{ref}/review")
    after_review = logged.filter(part="protected_activities", via="api").count()
    case_file = send(world, role, "GET", f"{API}/cases/{ref}/casefile").json()

    assert shown_markers(ref)
    assert {m for m in shown_markers(ref) if m not in page} == set()
    assert case_file["protected_activities"]
    assert case_file["employee"]["demographics"]
    assert after_page == 1
    assert review.status_code == 200
    sensitive_found = any(f["code"] in SENSITIVE_FINDINGS for f in review.json()["findings"])
    assert after_review == (1 if sensitive_found else 0)
    assert logged.filter(part="case_file_export", via="api").count() == 1


def test_the_employee_sees_their_own_protected_activity_on_their_page(world: World) -> None:
    page = send(world, "employee", "GET", "/me/").content.decode().lower()

    assert {m for m in shown_markers(world.refs["own"]) if m not in page} == set()


def test_a_held_step_names_no_protected_finding_to_the_manager(world: World) -> None:
    """A manager's step held because it follows a leave: the manager is not told of the leave."""
    ref = world.refs["report"]
    boss = Employee.objects.get(user=world.users["manager"]).employee_id
    record_activity(ref, "fmla_leave", days_ago=25, lasted=20, known_to=(boss,))
    url = f"/cases/{ref}/actions/start_focus/"

    client = Client()
    client.force_login(world.users["manager"])
    posted = client.post(url, {"version": str(version_of(ref)), "note": "Missed goals"})
    assert posted.status_code == 302
    page = client.get(posted["Location"]).content.decode()
    api = send(world, "manager", "GET", f"{API}/cases/{ref}").content.decode()
    hr_page = send(world, "hr", "GET", f"/cases/{ref}/").content.decode()

    assert "Held for HR sign-off" in page
    for code in ("retaliation.", "leave.adjacent", "fmla", "FMLA"):
        assert code not in page, code
        assert code not in api, code
    assert "leave.adjacent" in hr_page or "retaliation.timing" in hr_page


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_case_opens_exactly_when_the_lists_include_it(role: str, world: World) -> None:
    """``case_for`` decides one case from what rides on the viewer; ``visible_cases`` puts
    the same rules in SQL for the lists. Every case, both ways, for every role."""
    viewer = access.viewer_of(world.users[role])
    listed = set(access.visible_cases(viewer).values_list("pk", flat=True))
    opened = set()
    for case in Case.objects.order_by("id"):
        with suppress(CaseNotFound):
            opened.add(access.case_for(access.viewer_of(world.users[role]), case.ref).pk)
    assert opened == listed
    assert listed == {c.pk for c in Case.objects.all() if c.ref in expected_refs(role, world)}

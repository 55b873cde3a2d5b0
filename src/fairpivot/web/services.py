"""Use cases of the web app's own records: HR coverage (API tokens: ``tokens``; the appeal
panel: ``fairpivot.records.cases.panel``)."""

from __future__ import annotations

from django.contrib.auth.models import User

from fairpivot.web.models import HrScope
from fairpivot.web.tokens import issue_token, user_for_token

# API tokens live in ``fairpivot.web.tokens``; named here too for older callers.
__all__ = ["cover_org", "issue_token", "user_for_token"]


def cover_org(user: User, org_prefix: str) -> HrScope:
    """Let an HR partner see the cases of an org subtree (empty: the whole organisation)."""
    scope, _ = HrScope.objects.get_or_create(user=user, org_prefix=org_prefix)
    return scope

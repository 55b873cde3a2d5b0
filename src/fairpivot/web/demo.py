"""The web side of the demo: the HR partner covers the org; the panelist sits on an appeal."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.models import Case
from fairpivot.records.usecases import Actor
from fairpivot.web.models import PanelAssignment
from fairpivot.web.services import assign_panel, cover_org


def ensure_web_demo(clock: Clock = SYSTEM_CLOCK) -> None:
    """Give the demo HR login the whole org and seat the demo panelist on open appeals."""
    with transaction.atomic():
        hr = User.objects.get(username="demo-hr")
        cover_org(hr, "")
        panelist = User.objects.get(username="demo-panelist")
        open_appeals = Case.objects.filter(projection__stage="appeal")
        for case in open_appeals:
            if not PanelAssignment.objects.filter(case=case).exists():
                assign_panel(case, [panelist], actor=Actor("demo", None), clock=clock)

"""The web side of the demo: the HR partner covers the org; the panelist sits on an appeal."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from fairpivot.demo.cases import HR
from fairpivot.records.cases import commands
from fairpivot.records.cases.commands import Situation
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.models import Case
from fairpivot.web.services import cover_org


def ensure_web_demo(clock: Clock = SYSTEM_CLOCK) -> None:
    """Give the demo HR login the whole org and have it seat the demo panel on open appeals,
    through the same command HR runs from a case page."""
    with transaction.atomic():
        hr = User.objects.get(username="demo-hr")
        cover_org(hr, "")
        panelists = sorted(
            User.objects.filter(groups__name="panelist", username__startswith="demo-"),
            key=lambda u: u.username,
        )
        hr_actor = Actor(hr.username, HR["id"], HR["name"], "hr")
        for case in Case.objects.filter(projection__stage="appeal"):
            situation = Situation(case, clock)
            seats = situation.panel.open_seats
            offered = {u.username for u, _ in situation.panel.eligible}
            chosen = [u.username for u in panelists if u.username in offered][:seats]
            if seats and chosen:
                commands.take(
                    situation,
                    frozenset({"hr"}),
                    "seat_panel",
                    raw={"panelists": chosen},
                    version=case.version,
                    actor_for=lambda _relation: hr_actor,
                )

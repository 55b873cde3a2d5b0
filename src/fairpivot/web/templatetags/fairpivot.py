"""Filters for the pages: days left, stage and event names, codes for people."""

from __future__ import annotations

from datetime import date

from django import template

from fairpivot.domain import wording as wording_of_dates
from fairpivot.web import wording

register = template.Library()


@register.filter
def days_left(when: date | None, today: date) -> str:
    """``in 3 days`` / ``today`` / ``2 days ago``; empty for no date."""
    return wording_of_dates.days_left(when, today) if when else ""


@register.filter
def stage_label(stage: str) -> str:
    """A stage as people say it."""
    return wording.stage_label(stage)


@register.filter
def humanize(code: str) -> str:
    """A code as words."""
    return wording.humanize(code)


@register.filter
def deadline_label(code: str) -> str:
    """What a deadline code means, in words."""
    return wording.deadline_label(code)

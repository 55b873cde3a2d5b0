"""Each policy's letter templates: its own folder beside its TOML, over a shared default set.

``src/fairpivot/domain/policies/letters/`` holds the default of every letter;
``src/fairpivot/domain/policies/<policy>/letters/`` holds a policy's own, found first. A
policy's file may replace a default whole, or ``{% extends %}`` the default of the same
name and replace only the blocks it words differently (Django's loader then reads the
next folder). Templates are rendered by Django's engine used standalone, autoescaping on,
with no template tags beyond the built-in ones: a letter's template is wording, not code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.template import Context, Engine

_PACKAGE = "fairpivot.domain.policies"
DEFAULTS = "letters"


def policies_folder() -> Path:
    """The folder the shipped policies (and their letters) are in."""
    return Path(str(resources.files(_PACKAGE)))


def folders(policy: str, root: Path | None = None) -> list[Path]:
    """Where ``policy``'s letters are looked for, first found first."""
    base = root or policies_folder()
    own = base / policy / "letters"
    return [own, base / DEFAULTS] if own.is_dir() else [base / DEFAULTS]


@cache
def engine(policy: str) -> Engine:
    """The template engine of ``policy``'s letters (one per policy, kept)."""
    return Engine(dirs=[str(p) for p in folders(policy)], autoescape=True, debug=False)


def render(policy: str, letter: str, context: dict[str, Any]) -> str:
    """The HTML of ``letter`` under ``policy`` with ``context``."""
    template = engine(policy).get_template(f"{letter}.html")
    return template.render(Context(context, autoescape=True))

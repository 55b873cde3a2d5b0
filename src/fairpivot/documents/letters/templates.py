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


def folders(policy: str, root: Path | None = None) -> tuple[Path, ...]:
    """Where ``policy``'s letters are looked for, first found first: its own folder (beside
    its TOML, under ``root`` for a company's own policy file), then the shipped defaults."""
    own = (root or policies_folder()) / policy / "letters"
    defaults = policies_folder() / DEFAULTS
    return (own, defaults) if own.is_dir() else (defaults,)


@cache
def _engine(dirs: tuple[Path, ...]) -> Engine:
    return Engine(dirs=[str(p) for p in dirs], autoescape=True, debug=False)


def engine(policy: str, root: Path | None = None) -> Engine:
    """The template engine of ``policy``'s letters (one per set of folders, kept)."""
    return _engine(folders(policy, root))


def render(policy: str, letter: str, context: dict[str, Any], root: Path | None = None) -> str:
    """The HTML of ``letter`` under ``policy`` with ``context``."""
    template = engine(policy, root).get_template(f"{letter}.html")
    return template.render(Context(context, autoescape=True))

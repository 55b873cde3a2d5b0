"""Load process policies: the shipped ones by name, or a company's own TOML file."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fairpivot.domain.errors import InvalidPolicy
from fairpivot.domain.policy.model import Policy, policy_problems
from fairpivot.domain.validation import Problems, convert

_PACKAGE = "fairpivot.domain.policies"


def shipped_policies() -> tuple[str, ...]:
    """The names of the policies that ship with fairpivot."""
    names = (
        entry.name.removesuffix(".toml")
        for entry in resources.files(_PACKAGE).iterdir()
        if entry.name.endswith(".toml")
    )
    return tuple(sorted(names))


@cache
def load_policy(name: str) -> Policy:
    """Load a shipped policy by name; raise InvalidPolicy when there is none."""
    if name not in shipped_policies():
        known = ", ".join(shipped_policies())
        raise InvalidPolicy([f"policy: unknown policy {name!r} (known: {known})"])
    text = resources.files(_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return parse_policy(text, source=f"{name}.toml")


def load_policy_file(path: Path) -> Policy:
    """Load a policy from a TOML file of the company's own."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        reason = (exc.strerror or exc.__class__.__name__).lower()
        raise InvalidPolicy([f"{path}: cannot read ({reason})"]) from None
    except UnicodeDecodeError as exc:
        raise InvalidPolicy([f"{path}: not UTF-8 text (byte {exc.start})"]) from None
    return parse_policy(text, source=str(path))


def parse_policy(text: str, source: str) -> Policy:
    """Parse and check a policy's TOML text; every problem names its key."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidPolicy([f"{source}: not TOML ({exc})"]) from None
    problems = Problems()
    policy = convert(data, Policy, problems)
    if policy is not None:
        problems.extend(policy_problems(policy))
    if problems or policy is None:
        raise InvalidPolicy([f"{source}: {problem}" for problem in problems])
    return policy

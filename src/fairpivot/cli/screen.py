"""``fairpivot screen`` (being written)."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(commands: Any) -> None:
    """Register ``screen`` on the main parser."""
    commands.add_parser("screen", help="(being written)")


def run(args: argparse.Namespace) -> int:
    """Run ``screen``."""
    raise NotImplementedError

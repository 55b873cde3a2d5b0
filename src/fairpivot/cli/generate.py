"""``fairpivot generate`` (being written)."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(commands: Any) -> None:
    """Register ``generate`` on the main parser."""
    commands.add_parser("generate", help="(being written)")


def run(args: argparse.Namespace) -> int:
    """Run ``generate``."""
    raise NotImplementedError

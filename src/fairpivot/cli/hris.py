"""``fairpivot hris-import`` (being written)."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(commands: Any) -> None:
    """Register ``hris-import`` on the main parser."""
    commands.add_parser("hris-import", help="(being written)")


def run(args: argparse.Namespace) -> int:
    """Run ``hris-import``."""
    raise NotImplementedError

"""``fairpivot token USERNAME``: issue an API token for an integration.

The token is printed once; only its digest is stored. Django starts only when this runs.
"""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK = 0
NAME_LENGTH = 100  # ApiToken.name's column


def add_commands(commands: Any) -> None:
    """Register ``token`` on the main parser."""
    token = commands.add_parser("token", help="issue an API token for a user (printed once)")
    token.add_argument("username", metavar="USERNAME", help="the user the token signs in as")
    token.add_argument("--name", default="cli", help="what the token is for (default: cli)")


def run(args: argparse.Namespace) -> int:
    """Issue the token and print it."""
    from fairpivot.domain.errors import InvalidInput  # noqa: PLC0415

    name = str(args.name).strip()
    if not 1 <= len(name) <= NAME_LENGTH:
        raise InvalidInput([f"--name: 1 to {NAME_LENGTH} characters (got {len(name)})"])
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415

    setup_django()
    from django.contrib.auth.models import User  # noqa: PLC0415

    from fairpivot.web.services import issue_token  # noqa: PLC0415

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise InvalidInput([f"{args.username}: no active user of that name"])
    print(issue_token(user, name))
    return EXIT_OK

"""``fairpivot token``: issue, list and revoke the API tokens integrations sign in with.

``fairpivot token USERNAME [--name NAME] [--days N]`` prints a new token once (only its
digest is stored); ``--list`` shows every token without its secret; ``--revoke ID`` stops
one working. Django starts only when this runs.
"""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK = 0
NAME_LENGTH = 100  # ApiToken.name's column
MAX_DAYS = 365  # tokens.MAX_DAYS, repeated so bad input is refused before Django starts


def add_commands(commands: Any) -> None:
    """Register ``token`` on the main parser."""
    token = commands.add_parser(
        "token", help="issue an API token for a user (printed once), list or revoke tokens"
    )
    token.add_argument(
        "username", metavar="USERNAME", nargs="?", help="the user the token signs in as"
    )
    token.add_argument("--name", default="cli", help="what the token is for (default: cli)")
    # Numbers are read as text and checked in run(), so a bad one gets one line, not usage.
    token.add_argument(
        "--days", metavar="N", help=f"how many days it works, 1 to {MAX_DAYS} (default: 90)"
    )
    token.add_argument(
        "--list", action="store_true", help="list every token: id, user, dates; never a secret"
    )
    token.add_argument("--revoke", metavar="ID", help="stop the token with this id working")


def run(args: argparse.Namespace) -> int:
    """Issue, list or revoke, as the arguments ask."""
    from fairpivot.domain.errors import InvalidInput  # noqa: PLC0415

    chosen = [
        flag
        for flag, given in (
            ("USERNAME", args.username is not None),
            ("--list", args.list),
            ("--revoke", args.revoke is not None),
        )
        if given
    ]
    if len(chosen) != 1:
        got = " and ".join(chosen) if chosen else "none"
        raise InvalidInput([f"token: give one of USERNAME, --list or --revoke ID (got {got})"])
    if args.list:
        return _list()
    if args.revoke is not None:
        return _revoke(_whole_number("--revoke", args.revoke, 1, None))
    name = str(args.name).strip()
    if not 1 <= len(name) <= NAME_LENGTH:
        raise InvalidInput([f"--name: 1 to {NAME_LENGTH} characters (got {len(name)})"])
    days = None if args.days is None else _whole_number("--days", args.days, 1, MAX_DAYS)
    return _issue(str(args.username), name, days)


def _whole_number(flag: str, text: str, low: int, high: int | None) -> int:
    from fairpivot.domain.errors import InvalidInput  # noqa: PLC0415

    try:
        value = int(text.strip(), 10)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise InvalidInput([f"{flag}: a whole number {bounds} (got {text!r})"])
    return value


def _issue(username: str, name: str, days: int | None) -> int:
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415
    from fairpivot.domain.errors import InvalidInput  # noqa: PLC0415

    setup_django()
    from django.contrib.auth.models import User  # noqa: PLC0415

    from fairpivot.web.tokens import issue_token  # noqa: PLC0415

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput([f"{username}: no active user of that name"])
    print(issue_token(user, name, days=days))
    return EXIT_OK


def _list() -> int:
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415

    setup_django()
    from django.utils import timezone  # noqa: PLC0415

    from fairpivot.web.tokens import all_tokens  # noqa: PLC0415

    now = timezone.now()
    rows = [("id", "user", "name", "created", "expires", "last used", "status")]
    for token in all_tokens():
        rows.append(
            (
                str(token.id),
                token.user.username,
                token.name,
                _when(token.created_at),
                _when(token.expires_at),
                _when(token.last_used_at) if token.last_used_at else "never",
                token.status(now),
            )
        )
    if len(rows) == 1:
        print("no API tokens")
        return EXIT_OK
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_OK


def _revoke(token_id: int) -> int:
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415
    from fairpivot.domain.errors import InvalidInput  # noqa: PLC0415

    setup_django()
    from fairpivot.web.tokens import TokenNotFound, revoke_token  # noqa: PLC0415

    try:
        token, changed = revoke_token(token_id)
    except TokenNotFound:
        raise InvalidInput([f"--revoke: no token has id {token_id}"]) from None
    done = "revoked" if changed else "was already revoked"
    when = _when(token.revoked_at) if token.revoked_at else "?"
    print(f"token {token.id} ({token.user.username}, {token.name}) {done} at {when}")
    return EXIT_OK


def _when(moment: Any) -> str:
    """A stored moment in UTC to the minute: ``2026-12-02 19:42Z``."""
    from datetime import UTC  # noqa: PLC0415

    return str(moment.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ"))

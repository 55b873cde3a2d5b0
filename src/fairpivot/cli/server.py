"""``fairpivot demo`` and ``fairpivot serve``: the web app behind a production WSGI server."""

from __future__ import annotations

import argparse
import sys
from typing import Any

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


def add_commands(commands: Any) -> None:
    """Register ``demo`` and ``serve`` on the main parser."""
    demo = commands.add_parser(
        "demo", help="create a demo database with a synthetic org, print logins, serve it"
    )
    serve = commands.add_parser("serve", help="serve the web app on an existing database")
    for command in (demo, serve):
        command.add_argument("--port", type=int, default=DEFAULT_PORT)
        command.add_argument("--host", default=DEFAULT_HOST)
        command.add_argument("--workers", type=int, default=2)
    demo.add_argument(
        "--no-serve",
        action="store_true",
        help="set up the demo and print its logins, but start no server",
    )


def run(args: argparse.Namespace) -> int:
    """Set up (for ``demo``) and start the server."""
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415

    setup_django()
    from django.db import connections  # noqa: PLC0415

    from fairpivot.records import schema  # noqa: PLC0415

    schema.ensure_schema()
    if args.command == "demo":
        from fairpivot.demo.seed import ensure_demo  # noqa: PLC0415
        from fairpivot.demo.web import ensure_web_demo  # noqa: PLC0415

        logins = ensure_demo()
        ensure_web_demo()
        print("Demo logins (role, username, password):")
        for login in logins:
            print(f"  {login.role:<9} {login.username:<14} {login.password}")
        if args.no_serve:
            return 0
    # Connections opened while setting up must not be shared with the forked workers.
    connections.close_all()
    print(f"Serving fairpivot on http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    serve(args.host, args.port, args.workers)
    return 0


def serve(host: str, port: int, workers: int) -> None:
    """Run gunicorn in this process with the fairpivot WSGI application."""
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415

    from fairpivot.config.wsgi import application  # noqa: PLC0415

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": 4,
                "timeout": 30,
                "accesslog": "-",
                "errorlog": "-",
                "loglevel": "warning",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()
    sys.exit(0)

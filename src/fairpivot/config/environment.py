"""The environment fairpivot runs in, read once into one typed object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fairpivot.domain.errors import FairpivotError

# Used only outside production, so a laptop demo needs no setup; production refuses it.
DEVELOPMENT_SECRET = "fairpivot-development-only-not-a-secret"  # noqa: S105


class ConfigurationError(FairpivotError):
    """The environment does not describe a runnable fairpivot."""


def _flag(value: str | None, name: str) -> bool:
    if value is None or value == "":
        return False
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name}: must be true or false (got {value!r})")


@dataclass(frozen=True, slots=True)
class Environment:
    """Every setting fairpivot reads from the environment."""

    data_dir: Path
    database_url: str | None
    secret_key: str
    production: bool
    debug: bool
    allowed_hosts: tuple[str, ...]
    time_zone: str

    @classmethod
    def read(cls, env: Mapping[str, str] = os.environ) -> Environment:
        """Read and check the environment; raise ConfigurationError naming the variable."""
        production = _flag(env.get("FAIRPIVOT_PRODUCTION"), "FAIRPIVOT_PRODUCTION")
        secret = env.get("FAIRPIVOT_SECRET_KEY") or DEVELOPMENT_SECRET
        if production and (secret == DEVELOPMENT_SECRET or len(secret) < 32):
            raise ConfigurationError(
                "FAIRPIVOT_SECRET_KEY: production needs a secret of 32 characters or more"
            )
        hosts = env.get("FAIRPIVOT_ALLOWED_HOSTS", "127.0.0.1,localhost")
        return cls(
            data_dir=Path(env.get("FAIRPIVOT_DATA_DIR") or "var").resolve(),
            database_url=env.get("DATABASE_URL") or None,
            secret_key=secret,
            production=production,
            debug=_flag(env.get("FAIRPIVOT_DEBUG"), "FAIRPIVOT_DEBUG") and not production,
            allowed_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip()),
            time_zone=env.get("FAIRPIVOT_TIME_ZONE") or "UTC",
        )

    @property
    def sqlite_path(self) -> Path:
        """Where the embedded database lives when no DATABASE_URL is set."""
        return self.data_dir / "fairpivot.sqlite3"

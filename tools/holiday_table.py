"""Write the table of observed US federal holidays the review reads (``make holidays``).

The table is the holidays library's output for a span of years, so that the command line
need not import the library; tests/unit/test_dates.py checks the two still agree.
"""

from __future__ import annotations

import json
import sys
from importlib import resources

from fairpivot.domain.dates import HOLIDAY_TABLE, observed_us_federal_holidays

FIRST_YEAR, LAST_YEAR = 2000, 2045


def table(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> dict[str, object]:
    """The table as written to the package: its years and every holiday date in them."""
    dates = sorted(
        day
        for year in range(first_year, last_year + 1)
        for day in observed_us_federal_holidays(year)
    )
    return {
        "source": "holidays (python-holidays), United States, observed, no subdivision",
        "first_year": first_year,
        "last_year": last_year,
        "dates": [day.isoformat() for day in dates],
    }


def main() -> int:
    """Write the table beside the domain package."""
    target = resources.files("fairpivot.domain").joinpath(HOLIDAY_TABLE)
    with open(str(target), "w", encoding="utf-8") as handle:
        json.dump(table(), handle, indent=0)
        handle.write("\n")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

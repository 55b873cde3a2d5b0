"""Give logins to the demo manager's reports who have no case, for the browser journeys.

Run as ``python -m tests.e2e.journey_people PASSWORD`` with the server's environment, after
``fairpivot demo --no-serve``. Each report of the demo manager without a case gets a login in
the ``employee`` group, named after their employee id (``journey-e-1105``), with PASSWORD.
Nothing else is set up: each journey opens its case from the manager's My team page.
Prints one line per login, tab-separated: the username, the person's name, and ``40+`` or
``under 40`` from the HRIS birth date (the legal minimum days of an offer turn on it).
"""

from __future__ import annotations

import sys

from fairpivot.config.bootstrap import setup_django


def main(password: str) -> list[str]:
    """Create the logins; return a line for each, username then name."""
    setup_django()
    from django.contrib.auth.models import Group, User  # noqa: PLC0415

    from fairpivot.records.clock import SYSTEM_CLOCK, today  # noqa: PLC0415
    from fairpivot.records.models import Employee  # noqa: PLC0415

    group = Group.objects.get(name="employee")
    reports = Employee.objects.filter(
        manager__user__username="demo-manager", cases__isnull=True, user__isnull=True
    ).order_by("employee_id")
    now = today(SYSTEM_CLOCK)
    lines = []
    for person in reports.select_related("demographics"):
        user = User.objects.create_user(f"journey-{person.employee_id.lower()}", password=password)
        user.groups.add(group)
        person.user = user
        person.save(update_fields=["user"])
        born = person.demographics.birth_date
        years = born and now.year - born.year - ((now.month, now.day) < (born.month, born.day))
        age = "40+" if years and years >= 40 else "under 40"
        lines.append(f"{user.username}\t{person.name}\t{age}")
    return lines


if __name__ == "__main__":
    print("\n".join(main(sys.argv[1])))  # noqa: T201 (the test reads the logins)

"""Stage the browser journey in a demo database: a report of the demo manager, with a login.

Run as ``python -m tests.e2e.journey_setup PASSWORD`` with the server's environment, after
``fairpivot demo --no-serve``. It adds employee E-9001 under the demo manager, a login
``journey-employee`` for them, a live case in good standing with a discrimination complaint
the manager knew of ten days ago, recorded by HR through the command (the manager's adverse
steps are held for HR). HR seats the appeal panel once the employee appeals, as the journey
does in the browser. Prints the case id.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from fairpivot.config.bootstrap import setup_django


def main(password: str) -> str:
    """Create the journey's employee, login and case; return the case id."""
    setup_django()
    from django.contrib.auth.models import Group, User  # noqa: PLC0415

    from fairpivot.records.cases.usecases import Actor, open_case  # noqa: PLC0415
    from fairpivot.records.clock import SYSTEM_CLOCK, today  # noqa: PLC0415
    from fairpivot.records.models import Employee  # noqa: PLC0415
    from tests.commanding import record  # noqa: PLC0415

    boss = Employee.objects.get(user__username="demo-manager")
    hired = today(SYSTEM_CLOCK) - timedelta(days=900)
    person = Employee.objects.create(
        employee_id="E-9001",
        name="Jamie Journey",
        title="Analyst",
        org=boss.org,
        manager=boss,
        work_state="TX",
        hire_date=hired,
    )
    user = User.objects.create_user("journey-employee", password=password)
    user.groups.add(Group.objects.get(name="employee"))
    person.user = user
    person.save(update_fields=["user"])
    hr = Actor("demo-hr", "H-JOURNEY", "Journey HR", "hr")
    case = open_case(
        employee={
            "id": person.employee_id,
            "name": person.name,
            "birth_date": "1992-05-04",
            "hire_date": hired.isoformat(),
            "manager": boss.employee_id,
            "work_state": "TX",
            "base_salary": 98000,
        },
        people=[{"id": boss.employee_id, "name": boss.name, "role": "manager"}],
        actor=hr,
    )
    complaint = (today(SYSTEM_CLOCK) - timedelta(days=10)).isoformat()
    record(
        case,
        "record_protected_activity",
        date=complaint,
        kind="discrimination_complaint",
        known_to_manager=True,
        actor=hr,
    )
    return str(case.ref)


if __name__ == "__main__":
    print(main(sys.argv[1]))  # noqa: T201 (the test reads the case id)

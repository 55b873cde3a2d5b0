"""The Django admin shows the record and changes none of it.

Cases and ledgers change only through the use cases, employees only through the HRIS
import: an admin who could edit or delete them there would bend the record with no entry
saying so.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from fairpivot.records.models import Case, Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    """The client, signed in to the admin as a superuser."""
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


@pytest.fixture
def employee() -> Employee:
    boss = Employee.objects.create(employee_id="M-1", name="Morgan Manager")
    return Employee.objects.create(employee_id="E-1", name="Pat Example", manager=boss)


def test_it_lets_no_superuser_add_change_or_delete_anything_of_the_record() -> None:
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", "root@example.com", "x")
    registered = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "records"
    }

    assert {model.__name__ for model in registered} >= {
        "Case",
        "LedgerEntry",
        "Checkpoint",
        "Employee",
    }
    for model, model_admin in registered.items():
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert model_admin.has_view_permission(request), model


def test_it_shows_an_employee_in_the_admin(staff: Client, employee: Employee) -> None:
    response = staff.get(f"/admin/records/employee/{employee.pk}/change/")

    assert response.status_code == 200
    assert "Pat Example" in response.content.decode()


def test_it_refuses_an_edit_of_an_employee_in_the_admin(staff: Client, employee: Employee) -> None:
    response = staff.post(
        f"/admin/records/employee/{employee.pk}/change/",
        {"employee_id": "E-1", "name": "Someone Else", "work_state": "WA", "manager": ""},
    )

    assert response.status_code == 403
    employee.refresh_from_db()
    assert (employee.name, employee.manager_id is not None) == ("Pat Example", True)


def test_it_refuses_to_delete_or_add_an_employee_in_the_admin(
    staff: Client, employee: Employee
) -> None:
    delete = staff.post(f"/admin/records/employee/{employee.pk}/delete/", {"post": "yes"})
    add = staff.post(
        "/admin/records/employee/add/", {"employee_id": "E-9", "name": "New", "work_state": "WA"}
    )
    bulk = staff.post(
        "/admin/records/employee/",
        {"action": "delete_selected", "_selected_action": [employee.pk], "post": "yes"},
    )

    assert (delete.status_code, add.status_code) == (403, 403)
    assert bulk.status_code in (200, 302)  # the changelist, without a delete action
    assert Employee.objects.filter(employee_id="E-1").exists()
    assert not Employee.objects.filter(employee_id="E-9").exists()


def test_it_refuses_to_delete_a_case_in_the_admin(staff: Client, employee: Employee) -> None:
    case = Case.objects.create(
        employee_ref="E-1", employee=employee, policy="amazon-pivot", opened_at=datetime.now(UTC)
    )

    response = staff.post(f"/admin/records/case/{case.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()

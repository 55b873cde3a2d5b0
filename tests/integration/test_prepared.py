"""Prepared queries (records/prepared.py) give what the ORM's own query gives, on either
database, and the page's hot reads made with them give what the ORM would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.ledger.chains import entries_of
from fairpivot.records.models import Case, LedgerEntry, PersonHistory
from fairpivot.records.prepared import Prepared
from fairpivot.web import access
from fairpivot.web.sessions import SessionStore, UserBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(demo_once: None) -> None:
    ensure_demo()
    ensure_web_demo()


def entries_query(case_id: int) -> Any:
    return (
        LedgerEntry.objects.filter(case_id=case_id)
        .order_by("seq")
        .values_list("seq", "kind", "payload", "recorded_by", "recorded_at", "hash")
    )


def test_it_gives_the_orms_rows_for_every_parameter_converted_as_the_orm_does() -> None:
    prepared = Prepared(entries_query, int)
    for case in Case.objects.order_by("id"):
        found = prepared.rows(case.pk)
        assert found == list(entries_query(case.pk)), case.ref
        assert all(at.tzinfo is not None for *_, at, _ in found)  # aware, as the ORM's
    assert prepared.rows(-1) == []


def test_it_gives_what_the_orm_does_for_a_query_with_subqueries_and_a_string_key() -> None:
    history = PersonHistory.objects.filter(employee_ref=OuterRef("employee_ref"))

    def query(ref: str) -> Any:
        return (
            Case.objects.filter(employee_ref=ref)
            .annotate(
                head=Subquery(history.values("head_hash")[:1]),
                any_entry=Exists(LedgerEntry.objects.filter(case=OuterRef("pk"))),
            )
            .order_by("id")
            .values_list("id", "head", "any_entry", "opened_at")
        )

    prepared = Prepared(query, str)
    refs = set(Case.objects.values_list("employee_ref", flat=True))
    assert refs
    for ref in [*sorted(refs), "nobody"]:
        assert prepared.rows(ref) == list(query(ref)), ref


def test_it_refuses_a_query_that_uses_its_parameter_twice() -> None:
    prepared = Prepared(lambda pk: Case.objects.filter(Q(pk=pk) | Q(employee_id=pk)), int)
    with pytest.raises(ValueError, match="each parameter once"):
        prepared.rows(1)


def test_a_case_read_for_its_page_is_the_case_the_orm_reads_with_what_rides_on_it() -> None:
    admin = access.viewer_of(User.objects.get(username="demo-admin"))
    for expected in Case.objects.select_related("employee", "projection").order_by("id"):
        case = access.case_for(admin, expected.ref)
        assert [getattr(case, f.attname) for f in Case._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in Case._meta.concrete_fields
        ]
        assert case.employee == expected.employee
        assert case.employee.name == expected.employee.name  # type: ignore[union-attr]
        assert case.projection.stage == expected.projection.stage
        assert case.projection.review == expected.projection.review  # read when asked
        head = PersonHistory.objects.filter(employee_ref=case.employee_ref).first()
        version = head.version if head else None
        assert getattr(case, "history_version", None) == version
        assert entries_of(case) == [e.as_entry() for e in expected.entries.order_by("seq")]


def test_the_signed_in_users_load_gives_the_user_the_orm_gives_and_none_for_the_inactive() -> None:
    backend = UserBackend()
    for user in User.objects.order_by("id"):
        loaded = backend.get_user(user.pk)
        assert loaded is not None
        assert [getattr(loaded, f.attname) for f in User._meta.concrete_fields] == [
            getattr(user, f.attname) for f in User._meta.concrete_fields
        ]
    somebody = User.objects.order_by("id").first()
    assert somebody is not None
    User.objects.filter(pk=somebody.pk).update(is_active=False)
    assert backend.get_user(somebody.pk) is None
    assert backend.get_user(10**9) is None


def test_a_session_loads_its_data_and_expiry_and_an_expired_one_loads_as_none() -> None:
    store = SessionStore()
    store["k"] = "v"
    store.save(must_create=True)
    row = Session.objects.get(session_key=store.session_key)

    live = SessionStore(store.session_key)
    assert live["k"] == "v"
    assert live.stored_expiry == row.expire_date

    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    gone = SessionStore(store.session_key)
    assert "k" not in gone
    assert gone.session_key is None
    assert gone.stored_expiry is None

"""Counsel's case packet and the employee's own record, read back from the files made.

The demo is seeded once for the module, with a protected activity HR recorded (its note
and who knew are HR's) and two documents issued: a letter to the employee, a memo to HR.
PDFs are read back with poppler's pdftotext and pdfdetach, and the attached ledger is
checked by ``fairpivot ledger verify --file`` in a process of its own.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from pytest_django import DjangoDbBlocker

from fairpivot.domain.wording import days_left, money
from fairpivot.records.cases import documents, usecases
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.models import Case, Employee
from fairpivot.web.case import casepage
from fairpivot.web.models import AccessLogEntry, HrScope, Representation
from fairpivot.web.wording import activity_label
from tests.integration.seeding import kept_for_module, seed_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

HR_NOTE = "Raised by a coworker on the employee's behalf in a confidential HR interview"
HR_ACTOR = usecases.Actor("demo-hr", "HR-1", "Harper Lin", "hr")
LETTER = b"%PDF-1.7 the employee's letter"
MEMO = b"%PDF-1.7 HR's memo"


@dataclass(frozen=True, slots=True)
class World:
    """The employee's case, and the entries of the two documents issued in it."""

    ref: str
    letter: int
    memo: int


def _seed() -> World:
    seed_demo()
    me = Employee.objects.get(user__username="demo-employee")
    case = Case.objects.filter(employee_ref=me.employee_id).order_by("id").first()
    assert case is not None
    first_step = min(
        e["date"] for e in casepage.case_review(case)[0]["events"] if e["type"] == "focus_started"
    )
    # A complaint 10 days before the first adverse step, known to the manager: the review
    # says so (retaliation.timing), and what it found of who knew is HR's alone.
    said = (today(SYSTEM_CLOCK).fromisoformat(first_step) - timedelta(days=10)).isoformat()
    fact = {
        "date": said,
        "kind": "discrimination_complaint",
        "known_to": [me.manager.employee_id if me.manager else "M-1"],
        "note": HR_NOTE,
    }
    usecases.record_fact(
        case.ref, "protected_activity", fact, actor=HR_ACTOR, expected_version=case.version
    )
    issued = []
    for content, audience, name in ((LETTER, "employee", "letter"), (MEMO, "hr", "memo")):
        case.refresh_from_db()
        issued.append(
            documents.issue(
                case,
                document=name,
                title=f"The {name}",
                filename=f"{name}.pdf",
                media_type="application/pdf",
                content=content,
                audience=[audience],
                actor=HR_ACTOR,
                expected_version=case.version,
                clock=SYSTEM_CLOCK,
            ).seq
        )
    return World(case.ref, *issued)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with kept_for_module(django_db_blocker, _seed) as seeded:
        yield seeded


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def download(username: str, url: str) -> bytes:
    response = client_of(username).get(url)
    assert response.status_code == 200, response.status_code
    return bytes(response.content)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text, its whitespace folded (a table cell may wrap)."""
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(out.split())


def attached(pdf: bytes, tmp_path: Path) -> dict[str, bytes]:
    """The files attached inside the PDF, by name (pdfdetach)."""
    folder = tmp_path / "attached"
    folder.mkdir()
    (folder / "in.pdf").write_bytes(pdf)
    subprocess.run(["pdfdetach", "-saveall", "in.pdf"], cwd=folder, check=True)
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "in.pdf"}


def verify(ledger: bytes, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``fairpivot ledger verify --file`` on ``ledger``, run as a command."""
    path = tmp_path / "check.ledger.json"
    path.write_bytes(ledger)
    command = [sys.executable, "-m", "fairpivot", "ledger", "verify", "--file", str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def packet_url(world: World) -> str:
    return f"/cases/{world.ref}/packet.pdf"


def record_url(world: World) -> str:
    return f"/cases/{world.ref}/record.zip"


def full_review(world: World) -> Any:
    return casepage.case_review(Case.objects.get(pk=int(world.ref.removeprefix("C-"))))[1]


def test_poppler_is_installed() -> None:
    assert shutil.which("pdftotext")
    assert shutil.which("pdfdetach")


def test_the_packet_shows_the_reviews_findings_deadlines_and_offers(
    world: World, tmp_path: Path
) -> None:
    result = full_review(world)
    text = text_of(download("demo-counsel", packet_url(world)), tmp_path)
    assert f"Case packet {world.ref}" in text
    assert result.findings, "the case has findings to show"
    for finding in result.findings:
        assert finding.code in text
        assert finding.message.split()[0] in text
    assert "retaliation.timing" in text
    now = today(SYSTEM_CLOCK)
    assert result.open_deadlines, "the case has deadlines to show"
    for deadline in result.open_deadlines:
        assert f"{deadline.date.isoformat()}" in text
        assert deadline.code in text
        assert days_left(deadline.date, now) in text
    for option in result.options:
        assert money(option.cash, result.currency) in text
    assert result.notice.split(".")[0] in text


def test_the_packet_shows_each_offers_amount(world: World, tmp_path: Path) -> None:
    raw = casepage.case_review(Case.objects.get(pk=int(world.ref.removeprefix("C-"))))[0]
    offers = [e["offer"] for e in raw["events"] if "offer" in e]
    text = text_of(download("demo-counsel", packet_url(world)), tmp_path)
    assert offers
    for offer in offers:
        assert money(offer["amount"], raw["employee"].get("currency", "USD")) in text


def test_the_packets_ledger_verifies_and_is_the_case_pages_ledger(
    world: World, tmp_path: Path
) -> None:
    files = attached(download("demo-counsel", packet_url(world)), tmp_path)
    ledger = files[f"{world.ref}.ledger.json"]
    assert ledger == download("demo-counsel", f"/cases/{world.ref}/ledger.json")
    checked = verify(ledger, tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert f"ledger verified: {world.ref}" in checked.stdout
    assert "withheld" not in checked.stdout


def test_the_packets_ledger_fails_to_verify_when_one_byte_changes(
    world: World, tmp_path: Path
) -> None:
    ledger = attached(download("demo-counsel", packet_url(world)), tmp_path)[
        f"{world.ref}.ledger.json"
    ]
    document = json.loads(ledger)
    payload = document["entries"][1]["payload"]
    changed = payload.replace("1", "2", 1) if "1" in payload else payload + " "
    document["entries"][1]["payload"] = changed
    assert len(changed) == len(payload) or changed.strip() == payload
    checked = verify(json.dumps(document).encode(), tmp_path)
    assert checked.returncode == 1
    assert "entry 2" in checked.stderr
    assert "changed" in checked.stderr


def test_the_packet_carries_every_document_issued(world: World, tmp_path: Path) -> None:
    files = attached(download("demo-hr", packet_url(world)), tmp_path)
    assert files[f"{world.letter}-letter.pdf"] == LETTER
    assert files[f"{world.memo}-memo.pdf"] == MEMO


def test_counsels_packet_holds_the_hr_only_facts(world: World, tmp_path: Path) -> None:
    text = text_of(download("demo-counsel", packet_url(world)), tmp_path)
    assert HR_NOTE in text
    assert "Known to manager" in text
    assert "The memo" in text


def test_each_packet_download_is_in_the_access_log(world: World) -> None:
    before = AccessLogEntry.objects.filter(part="case_packet").count()
    download("demo-counsel", packet_url(world))
    download("demo-hr", packet_url(world))
    logged = AccessLogEntry.objects.filter(part="case_packet").order_by("-id")[:2]
    assert AccessLogEntry.objects.filter(part="case_packet").count() == before + 2
    assert {e.user.username for e in logged} == {"demo-counsel", "demo-hr"}


@pytest.mark.parametrize("username", ["demo-employee", "demo-manager"])
def test_those_who_may_not_read_the_ledger_get_no_packet(world: World, username: str) -> None:
    response = client_of(username).get(packet_url(world))
    assert response.status_code == 403
    assert not AccessLogEntry.objects.filter(part="case_packet").exists()


def test_hr_outside_the_cases_org_is_told_it_is_not_found(world: World) -> None:
    hr = User.objects.get(username="demo-hr")
    HrScope.objects.filter(user=hr).delete()
    HrScope.objects.create(user=hr, org_prefix="No/Such/Org")
    assert client_of("demo-hr").get(packet_url(world)).status_code == 404


def own_record(world: World, username: str = "demo-employee") -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(download(username, record_url(world))))


def test_the_employees_record_holds_exactly_what_they_may_have(world: World) -> None:
    names = set(own_record(world).namelist())
    assert names == {
        "README.txt",
        f"{world.ref}.casefile.json",
        f"{world.ref}.ledger.json",
        f"{world.ref}.record.pdf",
        f"documents/{world.letter}-letter.pdf",
    }


def test_the_employees_packet_has_no_hr_only_fact(world: World, tmp_path: Path) -> None:
    record = own_record(world)
    text = text_of(record.read(f"{world.ref}.record.pdf"), tmp_path)
    assert f"The record of case {world.ref}" in text
    assert "retaliation.timing" in text  # the finding is theirs to know
    assert activity_label("discrimination_complaint") in text  # and so is their complaint
    assert HR_NOTE not in text
    assert "Known to manager" not in text
    assert "The memo" not in text
    assert attached(record.read(f"{world.ref}.record.pdf"), tmp_path).keys() == {
        f"{world.ref}.ledger.json",
        f"{world.letter}-letter.pdf",
    }


def test_the_employees_case_file_has_no_hr_only_fact(world: World) -> None:
    casefile = json.loads(own_record(world).read(f"{world.ref}.casefile.json"))
    assert "demographics" not in casefile["employee"]
    assert HR_NOTE not in json.dumps(casefile)
    assert all("known_to" not in a for a in casefile["protected_activities"])
    assert any(a["kind"] == "discrimination_complaint" for a in casefile["protected_activities"])


def test_the_employees_ledger_is_redacted_and_still_verifies(world: World, tmp_path: Path) -> None:
    ledger = own_record(world).read(f"{world.ref}.ledger.json")
    document = json.loads(ledger)
    withheld = [e for e in document["entries"] if e.get("withheld")]
    assert withheld
    assert all(set(e) == {"seq", "withheld", "hash"} for e in withheld)
    assert HR_NOTE not in ledger.decode()
    assert world.memo in {e["seq"] for e in withheld}
    # The letter they were given stays readable: its entry is how they prove which text.
    letter = next(e for e in document["entries"] if e["seq"] == world.letter)
    assert "withheld" not in letter
    assert json.loads(letter["payload"])["sha256"] == hashlib.sha256(LETTER).hexdigest()
    checked = verify(ledger, tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert f"({len(withheld)} withheld" in checked.stdout


def test_a_changed_visible_entry_of_a_redacted_ledger_fails_to_verify(
    world: World, tmp_path: Path
) -> None:
    document = json.loads(own_record(world).read(f"{world.ref}.ledger.json"))
    shown = next(e for e in document["entries"] if not e.get("withheld") and e["seq"] > 1)
    shown["recorded_by"] += "x"
    assert verify(json.dumps(document).encode(), tmp_path).returncode == 1


def test_a_changed_withheld_hash_breaks_the_next_link(world: World, tmp_path: Path) -> None:
    document = json.loads(own_record(world).read(f"{world.ref}.ledger.json"))
    rows = document["entries"]
    at = next(
        i for i, e in enumerate(rows[:-1]) if e.get("withheld") and not rows[i + 1].get("withheld")
    )
    rows[at]["hash"] = "0" * 64
    checked = verify(json.dumps(document).encode(), tmp_path)
    assert checked.returncode == 1
    assert "does not follow" in checked.stderr


def test_the_employees_record_download_is_in_the_access_log(world: World) -> None:
    own_record(world)
    entry = AccessLogEntry.objects.filter(part="own_record").get()
    assert entry.user.username == "demo-employee"


def representative_of(world: World, *, withdrawn: bool) -> str:
    """A login in the representative group, invited by the employee (and withdrawn, if so)."""
    user = User.objects.create_user("riley-rep")
    user.groups.add(Group.objects.get_or_create(name="representative")[0])
    case = Case.objects.get(pk=int(world.ref.removeprefix("C-")))
    now = SYSTEM_CLOCK.now()
    Representation.objects.create(
        employee_ref=case.employee_ref,
        user=user,
        invited_at=now,
        withdrawn_at=now if withdrawn else None,
    )
    return user.username


def test_the_representative_the_employee_invited_takes_their_record(world: World) -> None:
    names = set(own_record(world, representative_of(world, withdrawn=False)).namelist())
    assert f"{world.ref}.record.pdf" in names
    assert AccessLogEntry.objects.filter(part="own_record", user__username="riley-rep").exists()


def test_a_withdrawn_representative_does_not(world: World) -> None:
    username = representative_of(world, withdrawn=True)
    assert client_of(username).get(record_url(world)).status_code == 404


@pytest.mark.parametrize("username", ["demo-counsel", "demo-hr", "demo-manager"])
def test_nobody_but_the_employee_takes_their_record(world: World, username: str) -> None:
    assert client_of(username).get(record_url(world)).status_code == 403
    assert not AccessLogEntry.objects.filter(part="own_record").exists()


def test_my_case_links_the_record_and_the_case_page_links_the_packet(world: World) -> None:
    mine = client_of("demo-employee").get("/me/").content.decode()
    as_employee = client_of("demo-employee").get(f"/cases/{world.ref}/").content.decode()
    as_counsel = client_of("demo-counsel").get(f"/cases/{world.ref}/").content.decode()
    assert record_url(world) in mine
    assert packet_url(world) not in as_employee
    assert packet_url(world) in as_counsel
    assert record_url(world) not in as_counsel

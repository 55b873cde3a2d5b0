"""The records: cases, their ledger, the projections rebuilt from it, and checkpoints.

The ledgers (each case's, and each person's history) are append-only. Nothing in fairpivot
updates or deletes a ledger row: the model refuses it, its manager refuses bulk changes,
and a database trigger refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL; migrations
0002 and 0007). Everything else here can be rebuilt from it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models

from fairpivot.domain.ledger import GENESIS, Entry


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a ledger entry."""


class Employee(models.Model):
    """A person in the org: the HRIS record cases and access rules hang on."""

    employee_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=32, blank=True)
    org = models.CharField(max_length=300, blank=True, db_index=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    work_state = models.CharField(max_length=2, default="XX")
    hire_date = models.DateField(null=True, blank=True)
    # Set when the HRIS says the person has left; headcounts count only those without one.
    exit_date = models.DateField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_id})"


class Case(models.Model):
    """One employee's case. Its facts live in its ledger; this row is the chain's head."""

    employee_ref = models.CharField(max_length=64, db_index=True)
    employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    policy = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS)
    opened_at = models.DateTimeField()
    source_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        """The case id people and files use: ``C-42``."""
        return f"C-{self.pk}"


def case_number(ref: str) -> int | None:
    """The id in a case reference (``C-42`` or ``42``), or None if it cannot be one.

    ASCII digits only (``"²".isdigit()`` is true) and few enough to fit the id column.
    """
    number = ref.removeprefix("C-")
    if number.isascii() and number.isdigit() and len(number) <= 18:
        return int(number)
    return None


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    """Ledger rows can be read and added, never changed or removed in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("ledger entries are never updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("ledger entries are never deleted; record a retraction")


class ChainedEntry(models.Model):
    """The columns and the refusals every hash-chained entry shares, in either ledger."""

    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=32)
    payload = models.TextField()
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new entry; refuse to write over an existing one."""
        if not self._state.adding:
            raise AppendOnlyError("ledger entries are never updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refuse: a mistaken entry is corrected by a retraction entry."""
        raise AppendOnlyError("ledger entries are never deleted; record a retraction")

    def entry_in(self, chain: str) -> Entry:
        """The entry as the pure hash chain sees it, in the chain named ``chain``."""
        return Entry(
            case=chain,
            seq=self.seq,
            kind=self.kind,
            payload=self.payload,
            recorded_by=self.recorded_by,
            recorded_at=stamp(self.recorded_at),
            prev_hash=self.prev_hash,
            hash=self.hash,
        )


class LedgerEntry(ChainedEntry):
    """One fact recorded about a case, hash-chained to the entry before it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="entries")

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "ledger entries"
        ordering: ClassVar[list[str]] = ["case_id", "seq"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "seq"], name="ledger_one_entry_per_position"),
        ]

    def __str__(self) -> str:
        return f"C-{self.case_id} #{self.seq} {self.kind}"

    def as_entry(self) -> Entry:
        """The entry as the pure hash chain sees it."""
        return self.entry_in(f"C-{self.case_id}")


def history_chain(employee_ref: str) -> str:
    """The name a person's history is hashed under: ``person:E-1001``."""
    return f"person:{employee_ref}"


class PersonHistory(models.Model):
    """The head of one person's history: what they did and were given, whichever case.

    Protected activities, ratings, promotions, equity and bonuses belong to the person
    (review-v4.md section 8 item 4), so every case of theirs reads this ledger; it is
    chained and append-only exactly like a case's.
    """

    employee_ref = models.CharField(max_length=64, unique=True)
    version = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        verbose_name_plural = "person histories"

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        """The chain's name: ``person:E-1001``."""
        return history_chain(self.employee_ref)


class HistoryQuerySet(models.QuerySet["HistoryEntry"]):
    """History rows can be read and added, never changed or removed in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("ledger entries are never updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("ledger entries are never deleted; record a retraction")


class HistoryEntry(ChainedEntry):
    """One fact recorded about a person, hash-chained to the entry before it."""

    history = models.ForeignKey(PersonHistory, on_delete=models.PROTECT, related_name="entries")

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "history entries"
        ordering: ClassVar[list[str]] = ["history_id", "seq"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["history", "seq"], name="history_one_entry_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"history {self.history_id} #{self.seq} {self.kind}"


def stamp(moment: datetime) -> str:
    """A recorded time as hashed: UTC, ISO 8601, microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class CaseProjection(models.Model):
    """Where a case stands now: rebuilt from its ledger after every change."""

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="projection"
    )
    stage = models.CharField(max_length=32, db_index=True)
    as_of = models.DateField()
    review = models.JSONField()
    worst_severity = models.CharField(max_length=8, null=True, blank=True, db_index=True)
    high_findings = models.PositiveIntegerField(default=0)
    next_deadline = models.DateField(null=True, blank=True, db_index=True)
    refreshed_at = models.DateTimeField()
    # Where the case went, copied out of its review so org analytics group cases with one
    # indexed query instead of folding every ledger again (domain/analytics/milestones.py).
    org = models.CharField(max_length=300, blank=True, db_index=True)
    manager_ref = models.CharField(max_length=64, blank=True, db_index=True)
    focus_on = models.DateField(null=True, blank=True)
    pivot_on = models.DateField(null=True, blank=True)
    plan_on = models.DateField(null=True, blank=True)
    plan_outcome = models.CharField(max_length=8, blank=True)
    appeal_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=12, blank=True)
    exit_on = models.DateField(null=True, blank=True, db_index=True)
    last_event_on = models.DateField(null=True, blank=True, db_index=True)
    # The first day the review could read differently with no new fact (null: never), and
    # the case's and its employee's history's versions it read: the daily screen reviews
    # again only a case whose review has expired or whose facts have moved since.
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    case_version = models.PositiveIntegerField(default=0)
    history_version = models.PositiveIntegerField(default=0)
    # The case's employee's demographics as the HRIS last gave them (null without a row),
    # copied here with every write of the projection and by every HRIS import, so adverse
    # impact groups the year's cases from this table alone (records/screen/demographics.py).
    sex = models.CharField(max_length=16, null=True, blank=True)
    race_ethnicity = models.CharField(max_length=32, null=True, blank=True)
    birth_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            # Every column adverse impact reads: on SQLite the query reads this index alone,
            # never the rows and their review JSON.
            models.Index(
                fields=[
                    "last_event_on",
                    "org",
                    "sex",
                    "race_ethnicity",
                    "birth_date",
                    "focus_on",
                    "pivot_on",
                    "plan_outcome",
                    "exit_on",
                ],
                name="projection_impact",
            ),
        ]


class DeadlineProjection(models.Model):
    """A deadline from a case's latest review, for queries across cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    code = models.CharField(max_length=32)
    date = models.DateField(db_index=True)
    passed = models.BooleanField()
    # The decision it times was made or can no longer be (review-v4.md section 5): such a
    # deadline belongs on the case's timeline, not in a list of what is due.
    settled = models.BooleanField(default=False)


class FindingProjection(models.Model):
    """A finding from a case's latest review, for queries across cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(max_length=48, db_index=True)
    severity = models.CharField(max_length=8, db_index=True)
    date = models.DateField()


class Checkpoint(models.Model):
    """A root hash over every case chain's head, to be kept outside the database too."""

    root_hash = models.CharField(max_length=64, unique=True)
    heads = models.JSONField()
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]


class DocumentFile(models.Model):
    """The bytes of a document issued in a case, stored under their SHA-256.

    The case's ledger holds a ``document`` entry with the hash (and is what proves which
    text was issued); this table holds the file. Like the ledger it is never changed: the
    same bytes are the same row, and other bytes are another row.
    """

    sha256 = models.CharField(max_length=64, primary_key=True)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new file; refuse to write over a stored one."""
        if not self._state.adding:
            raise AppendOnlyError("an issued document's file is never changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refuse: an issued document stays issued."""
        raise AppendOnlyError("an issued document's file is never deleted")


class ReleaseOfferProjection(models.Model):
    """A release offered in a case, for the org-level group-program check (OWBPA)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="release_offers")
    org = models.CharField(max_length=300, db_index=True)
    date = models.DateField()
    consideration_days = models.PositiveIntegerField(null=True, blank=True)
    age_40_plus = models.BooleanField(null=True)
    # Whether the offer is on the policy's standard terms (review-v4.md §7): its amount
    # against the tier formula's for the employee that day, and not negotiated.
    amount = models.FloatField(null=True, blank=True)
    formula_amount = models.FloatField(null=True, blank=True)
    negotiated = models.BooleanField(default=False)
    group_disclosures = models.BooleanField(default=False)

    # The columns a row is written with and read back in, in that order (case id first).
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "case_id",
        "org",
        "date",
        "consideration_days",
        "age_40_plus",
        "amount",
        "formula_amount",
        "negotiated",
        "group_disclosures",
    )


class Demographics(models.Model):
    """What the HRIS says of a person for adverse-impact analysis; never shown to managers."""

    employee = models.OneToOneField(
        Employee, primary_key=True, on_delete=models.CASCADE, related_name="demographics"
    )
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16)
    race_ethnicity = models.CharField(max_length=32)


class Rating(models.Model):
    """One performance rating from the HRIS."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="ratings")
    date = models.DateField()
    value = models.CharField(max_length=8)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["employee", "date"], name="rating_one_per_day"),
        ]


class Promotion(models.Model):
    """A promotion from the HRIS: the level reached and when."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="promotions")
    date = models.DateField()
    level = models.CharField(max_length=32)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["employee", "date"], name="promotion_one_per_day"),
        ]


class Vest(models.Model):
    """One scheduled vest of an equity grant, from the HRIS."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="vests")
    grant_id = models.CharField(max_length=64)
    date = models.DateField()
    shares = models.PositiveIntegerField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["employee", "grant_id", "date"], name="vest_one_per_grant_day"
            ),
        ]


class OrgTarget(models.Model):
    """An org's unregretted-attrition target for a year, from the HRIS."""

    org = models.CharField(max_length=300)
    year = models.PositiveIntegerField()
    ura_target = models.FloatField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year"], name="org_target_one_per_year"),
        ]


class OrgHeadcount(models.Model):
    """Active headcount per org and group, rebuilt after every HRIS import.

    ``dimension`` is ``all`` (value ``all``), ``sex``, ``race_ethnicity`` or ``age_band``;
    ``low_rated`` counts those whose latest rating is the policy's lowest (LE).
    """

    org = models.CharField(max_length=300)
    dimension = models.CharField(max_length=32)
    value = models.CharField(max_length=32)
    headcount = models.PositiveIntegerField()
    low_rated = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "dimension", "value"], name="org_headcount_key"),
        ]


class ManagerHeadcount(models.Model):
    """Active direct reports per manager, rebuilt after every HRIS import."""

    manager_ref = models.CharField(max_length=64, primary_key=True)
    org = models.CharField(max_length=300)
    headcount = models.PositiveIntegerField()


class OrgFinding(models.Model):
    """A finding over many cases (``impact.four_fifths`` and the like) from the last screen."""

    code = models.CharField(max_length=48, db_index=True)
    severity = models.CharField(max_length=8)
    org = models.CharField(max_length=300)
    date = models.DateField()
    message = models.TextField()
    evidence = models.JSONField()
    basis = models.TextField()
    screened_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]


class ImpactTest(models.Model):
    """One test of the last screen's adverse-impact family, with its adjusted p-value.

    The Benjamini-Hochberg adjustment belongs to a screen run (every test of it), so the
    analytics tables take a row's adjusted p from here, for the screen's day.
    """

    as_of = models.DateField()
    org = models.CharField(max_length=300)
    dimension = models.CharField(max_length=32)
    stage = models.CharField(max_length=16)
    group = models.CharField(max_length=32)
    at_risk = models.PositiveIntegerField()
    adverse = models.PositiveIntegerField()
    comparison_group = models.CharField(max_length=32)
    p_value = models.FloatField()
    adjusted_p = models.FloatField()
    family = models.PositiveIntegerField()
    fires = models.BooleanField()

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["org", "dimension"], name="impact_test_org"),
        ]


class GroupProgram(models.Model):
    """A group exit program HR set up, from which its OWBPA disclosure is built.

    Stored as HR gave it, never derived: the eligibility and selection factors are HR's
    words, and ``selected`` names the employees chosen (CLARIFICATIONS.md). The people of
    the decisional unit, their titles and ages come from the HRIS tables when the
    disclosure is made (domain/disclosure.py).
    """

    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=300, blank=True)  # an org path; empty: the company
    covered = models.TextField(blank=True)  # the class covered, where narrower than the unit
    eligibility_factors = models.TextField()
    selection_factors = models.TextField()
    consideration_days = models.PositiveIntegerField()
    revocation_days = models.PositiveIntegerField()
    program_date = models.DateField()
    selected = models.JSONField()  # employee ids, in the order HR gave them
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-program_date", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit or 'the company'}, {self.program_date})"

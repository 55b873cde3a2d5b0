"""The org-level screen's thresholds: one typed settings object, every number named."""

from __future__ import annotations

from dataclasses import dataclass

from fairpivot.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class OrgScreenSettings:
    """Thresholds for the org-wide codes; the defaults follow the law and review-v4.md §7.

    Adverse impact (``impact.four_fifths``):

    - ``min_group`` (5): a group with fewer people at risk than this is not shown, nor are
      its counts or rates, so that no one can be identified from a published cell.
    - ``min_test_group`` (30): the comparison group is the group with the lowest adverse
      rate among groups at least this large; a rate from a handful of people is no yardstick.
    - ``four_fifths`` (0.8): the four-fifths rule of 29 C.F.R. 1607.4(D); a group's
      adverse-rate ratio must be under it.
    - ``fdr_q`` (0.05): the false discovery rate the screen allows. Each one-sided Fisher
      p-value is adjusted by Benjamini-Hochberg over every test of the screen run, and the
      adjusted p must be under this.
    - ``high_p`` (0.01): an adjusted p under this makes the finding ``high``.
    - ``min_shortfall`` (2.0): how many more of the group met the adverse outcome than at the
      comparison group's rate; under 2, one person either way could reverse the finding.

    Group programs (``owbpa.hidden_group_program``):

    - ``release_age`` (40): the age from which the ADEA and OWBPA protect a worker.
    - ``program_days`` (365): a program period's length, counted from the decisional unit's
      first qualifying offer (that day and the 364 after it).
    - ``decisional_unit_level`` (1): how many levels of the org path make the decisional unit
      (1: the top-level org; 0: the whole company).
    - ``group_consideration_days`` (45): the days to consider a release offered in a group
      program (29 U.S.C. 626(f)(1)(F)(ii)).
    - ``standard_terms_tolerance`` (0.01): an offer is on the standardized terms when it is
      not negotiated and its amount is within this share of the policy's formula amount.

    Quota clustering (``quota.clustering``, never more than ``medium``):

    - ``clustering_window_days`` (30): the last days of an attrition-target period looked at.
    - ``clustering_period_months`` (3): the length of an attrition-target period, in calendar
      months counted from January (3 means calendar quarters).
    - ``clustering_min_placements`` (5): fewer placements in a period than this never raise
      ``quota.clustering``; a handful of cases proves nothing about timing.
    - ``clustering_ratio`` (2.0): how many times its even share the end-of-period window must
      hold before ``quota.clustering`` fires.
    """

    min_group: int = 5
    min_test_group: int = 30
    four_fifths: float = 0.8
    fdr_q: float = 0.05
    high_p: float = 0.01
    min_shortfall: float = 2.0
    release_age: int = 40
    program_days: int = 365
    decisional_unit_level: int = 1
    group_consideration_days: int = 45
    standard_terms_tolerance: float = 0.01
    clustering_window_days: int = 30
    clustering_period_months: int = 3
    clustering_min_placements: int = 5
    clustering_ratio: float = 2.0

    def __post_init__(self) -> None:
        problems = [
            f"{name}: {rule}"
            for name, ok, rule in (
                ("min_group", self.min_group >= 1, "at least 1"),
                ("min_test_group", self.min_test_group >= self.min_group, "at least min_group"),
                ("four_fifths", 0 < self.four_fifths <= 1, "more than 0, at most 1"),
                ("fdr_q", 0 < self.fdr_q < 1, "between 0 and 1"),
                ("high_p", 0 < self.high_p <= self.fdr_q, "more than 0, at most fdr_q"),
                ("min_shortfall", self.min_shortfall >= 0, "0 or more"),
                ("program_days", self.program_days >= 1, "at least 1"),
                ("decisional_unit_level", self.decisional_unit_level >= 0, "0 or more"),
                ("standard_terms_tolerance", self.standard_terms_tolerance >= 0, "0 or more"),
                ("clustering_period_months", self.clustering_period_months >= 1, "at least 1"),
            )
            if not ok
        ]
        if problems:
            raise InvalidInput(problems)


DEFAULT_SETTINGS = OrgScreenSettings()

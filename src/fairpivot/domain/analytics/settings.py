"""The org-level screen's thresholds: one typed settings object, every number named."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OrgScreenSettings:
    """Thresholds for the org-wide codes; the defaults follow the law and the review spec.

    - ``min_group`` (5): a group with fewer people at risk than this is not shown, nor are
      its counts or rates, so that no one can be identified from a published cell.
    - ``four_fifths`` (0.8): the four-fifths rule of 29 C.F.R. 1607.4(D); a group whose
      adverse-rate ratio or favourable-rate ratio is under it raises ``impact.four_fifths``.
    - ``significance`` (0.05): a p-value under it makes a finding ``high`` (Fisher's exact
      test for ``impact.four_fifths``, a binomial tail for ``quota.clustering``).
    - ``group_program_window_days`` (90): release offers in one org this close to the first
      offer of a cluster form one group program (the review spec's window).
    - ``group_consideration_days`` (45): the days to consider a release offered in a group
      program (29 U.S.C. 626(f)(1)(F)(ii)).
    - ``release_age`` (40): the age from which the ADEA and OWBPA protect a worker.
    - ``clustering_window_days`` (30): the last days of an attrition-target period looked at.
    - ``clustering_period_months`` (3): the length of an attrition-target period, in calendar
      months counted from January (3 means calendar quarters).
    - ``clustering_min_placements`` (5): fewer placements in a period than this never raise
      ``quota.clustering``; a handful of cases proves nothing about timing.
    - ``clustering_ratio`` (2.0): how many times its even share the end-of-period window must
      hold before ``quota.clustering`` fires.
    """

    min_group: int = 5
    four_fifths: float = 0.8
    significance: float = 0.05
    group_program_window_days: int = 90
    group_consideration_days: int = 45
    release_age: int = 40
    clustering_window_days: int = 30
    clustering_period_months: int = 3
    clustering_min_placements: int = 5
    clustering_ratio: float = 2.0


DEFAULT_SETTINGS = OrgScreenSettings()

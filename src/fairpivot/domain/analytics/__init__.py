"""Org-wide analytics: statistics over many cases and the three org-level finding codes.

Pure domain code (standard library only): ``impact.four_fifths`` (impact.py),
``owbpa.hidden_group_program`` (programs.py) and ``quota.clustering`` (clustering.py),
with the funnel (funnel.py), the exact tests behind them (stats.py) and their thresholds
(settings.py).
"""

from fairpivot.domain.analytics.clustering import (
    PLACEMENT_KINDS,
    Placement,
    quota_clustering,
    target_period,
)
from fairpivot.domain.analytics.funnel import FunnelCounts, FunnelStep, funnel_steps
from fairpivot.domain.analytics.impact import (
    DIMENSIONS,
    STAGES,
    UNDISCLOSED,
    GroupCount,
    ImpactRow,
    StageImpact,
    four_fifths_findings,
    stage_impact,
)
from fairpivot.domain.analytics.programs import ReleaseOffer, hidden_group_programs, older_worker
from fairpivot.domain.analytics.settings import DEFAULT_SETTINGS, OrgScreenSettings
from fairpivot.domain.analytics.stats import binomial_tail, fisher_exact

__all__ = [
    "DEFAULT_SETTINGS",
    "DIMENSIONS",
    "PLACEMENT_KINDS",
    "STAGES",
    "UNDISCLOSED",
    "FunnelCounts",
    "FunnelStep",
    "GroupCount",
    "ImpactRow",
    "OrgScreenSettings",
    "Placement",
    "ReleaseOffer",
    "StageImpact",
    "binomial_tail",
    "fisher_exact",
    "four_fifths_findings",
    "funnel_steps",
    "hidden_group_programs",
    "older_worker",
    "quota_clustering",
    "stage_impact",
    "target_period",
]

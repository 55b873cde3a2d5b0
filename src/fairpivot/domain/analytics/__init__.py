"""Org-wide analytics: statistics over many cases and the three org-level finding codes.

Pure domain code (standard library only): ``impact.four_fifths`` (the tables in impact.py,
the screen's family of tests in fourfifths.py), ``owbpa.hidden_group_program``
(programs.py) and ``quota.clustering`` (clustering.py), with the funnel (funnel.py), the
exact tests and the multiple-testing adjustment behind them (stats.py) and their
thresholds (settings.py).
"""

from fairpivot.domain.analytics.clustering import (
    PLACEMENT_KINDS,
    Placement,
    quota_clustering,
    target_period,
)
from fairpivot.domain.analytics.fourfifths import ImpactScreen, ImpactTest, screen_impact
from fairpivot.domain.analytics.funnel import FunnelCounts, FunnelStep, funnel_steps
from fairpivot.domain.analytics.impact import (
    DIMENSIONS,
    STAGES,
    UNDISCLOSED,
    GroupCount,
    ImpactRow,
    StageImpact,
    stage_impact,
)
from fairpivot.domain.analytics.programs import (
    COMPANY,
    ReleaseOffer,
    decisional_unit,
    hidden_group_programs,
    older_worker,
    standardized,
)
from fairpivot.domain.analytics.settings import DEFAULT_SETTINGS, OrgScreenSettings
from fairpivot.domain.analytics.stats import (
    benjamini_hochberg,
    binomial_tail,
    fisher_exact,
    fisher_greater,
)

__all__ = [
    "COMPANY",
    "DEFAULT_SETTINGS",
    "DIMENSIONS",
    "PLACEMENT_KINDS",
    "STAGES",
    "UNDISCLOSED",
    "FunnelCounts",
    "FunnelStep",
    "GroupCount",
    "ImpactRow",
    "ImpactScreen",
    "ImpactTest",
    "OrgScreenSettings",
    "Placement",
    "ReleaseOffer",
    "StageImpact",
    "benjamini_hochberg",
    "binomial_tail",
    "decisional_unit",
    "fisher_exact",
    "fisher_greater",
    "funnel_steps",
    "hidden_group_programs",
    "older_worker",
    "quota_clustering",
    "screen_impact",
    "stage_impact",
    "standardized",
    "target_period",
]

"""Process policies: the stage table, rating scale, severance tiers and thresholds."""

from fairpivot.domain.policy.load import load_policy, load_policy_file, shipped_policies
from fairpivot.domain.policy.model import Policy, event_key
from fairpivot.domain.vocabulary import STAGES

__all__ = ["STAGES", "Policy", "event_key", "load_policy", "load_policy_file", "shipped_policies"]

"""fairpivot: run and review employee performance-improvement cases."""

__version__ = "0.1.0"

"""A synthetic org for demos and benchmarks: HRIS CSVs, case files and known patterns.

Pure: the standard library and msgspec only, no Django and no database.
"""

from fairpivot.synth.org import Summary, check_arguments, generate_org

__all__ = ["Summary", "check_arguments", "generate_org"]

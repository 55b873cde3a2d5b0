"""The ``fairpivot`` command line: thin entry points over the domain."""

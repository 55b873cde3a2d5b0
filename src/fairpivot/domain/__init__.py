"""The pure domain: policies, case files, the case fold and the review.

Nothing here imports a web framework, a database driver or terminal rendering; the
import-linter contract in pyproject.toml keeps it that way.
"""

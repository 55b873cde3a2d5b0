"""The HRIS import (docs/hris.md): an export's files read, every row checked, then merged.

``rows`` names the files, their columns and the checks on each row; ``reading`` reads them;
``sql`` stages and merges them; ``importing`` runs it all in one transaction.
"""

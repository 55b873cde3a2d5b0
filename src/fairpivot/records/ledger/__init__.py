"""The ledger: one append-only, hash-chained chain of entries per case and per person.

``chains`` appends to the chains, reads them back, verifies them and takes checkpoints;
``bulk`` writes many chains at once for the imports.
"""

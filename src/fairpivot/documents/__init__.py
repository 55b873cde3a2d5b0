"""The papers of the process: letters, disclosures and packets, rendered from the record.

Rendering is here; recording an issued document in a case's ledger is
``fairpivot.records.cases.documents``.
"""

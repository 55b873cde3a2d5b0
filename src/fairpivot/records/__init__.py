"""The system of record: cases, their append-only hash-chained ledger, and projections."""

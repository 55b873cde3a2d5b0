"""The screen: the cases due reviewed from their ledgers as of a day, then the org codes.

``screening`` finds the cases due and writes their projections; ``reviewing`` is the pure
part the worker processes run; ``orgcodes`` finds what shows only across many cases.
"""

"""The screen and what it keeps: each case's review, stored as its projection.

``projection`` stores a case's review (``demographics`` copies its employee's, for adverse
impact) and makes it again when it is stale; ``screening`` finds the cases due as of a day
and reviews them in worker processes; ``imported`` reviews the cases an import moved;
``orgcodes`` finds what shows only across many cases.
"""

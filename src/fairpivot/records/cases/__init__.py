"""Cases and the commands on them.

``commands`` is every step a person takes on a case (``usecases``, ``workflow``,
``corrections``, ``negotiation`` and ``panel`` carry them out); ``transfer`` takes case
files in and out; ``documents``, ``issuing`` and ``programs`` are the papers a case is given.
"""

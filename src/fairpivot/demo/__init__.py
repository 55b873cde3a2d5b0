"""The demo: a synthetic org, a case at every stage, and a login for each role.

``seed`` runs ``fairpivot demo``; ``org`` makes the org from a seed; ``cases``, ``history``
and ``live`` write its cases (imported, or acted out step by step through the commands);
``web`` seats the demo's HR partner and panelist.
"""

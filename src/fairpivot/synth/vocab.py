"""The word lists and weights the synthetic org is drawn from.

Weights are rough shapes of a large US employer, not statistics: enough that the files
look like an HRIS export and the analytics have something to find.
"""

from __future__ import annotations

from itertools import accumulate

EMPLOYER = "Northwind Commerce"
CEO_ORG = "Executive"
SHARE_PRICE = 185.0
URA_TARGET = 0.06
HR_ID, HR_NAME = "HR-1", "Harper Lin"

# Top-level orgs (one per VP): the individual contributors' title and the managers'.
FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("Retail", "Software Development Engineer", "Software Development Manager"),
    ("Ops", "Operations Analyst", "Operations Manager"),
    ("Devices", "Hardware Engineer", "Engineering Manager"),
    ("Cloud", "Cloud Support Engineer", "Software Development Manager"),
    ("Ads", "Data Scientist", "Science Manager"),
    ("Sales", "Account Executive", "Sales Manager"),
    ("Logistics", "Logistics Specialist", "Area Manager"),
    ("Finance", "Financial Analyst", "Finance Manager"),
    ("Media", "Content Producer", "Content Manager"),
    ("Health", "Clinical Program Manager", "Program Manager"),
    ("Security", "Security Engineer", "Security Manager"),
    ("People", "HR Business Partner", "HR Manager"),
)
# Second- and third-level org names, drawn without repeats among siblings.
UNITS = (  # noqa: SIM905 (a word list reads better as text)
    "Planning Checkout Search Payments Fulfillment Transportation Firmware Quality Pricing "
    "Catalog Returns Marketplace Identity Storage Compute Networking Analytics Growth Billing "
    "Support Platform Mobile Web Voice Vision Forecasting Inbound Outbound Safety Compliance "
    "Partners Stores Subscriptions Recommendations Reviews Tooling Infrastructure Data Apps"
).split()
GOAL_TEXTS = (
    ("Deliver the assigned project milestones", "on time 4 weeks in 4"),
    ("Clear the open ticket backlog", "no ticket older than 14 days"),
    ("Raise the quality bar of reviews", "no review returned twice"),
    ("Meet the weekly operating targets", "3 of 4 weeks at target"),
)
FIRST_NAMES = (  # noqa: SIM905
    "Avery Blake Casey Dana Devon Eli Emerson Frankie Gray Harper Hayden Indira Jae Jordan "
    "Kai Kendall Lane Logan Marisol Morgan Noor Parker Priya Quinn Reese Riley Rowan Sage "
    "Sam Shay Sidney Tatum Teagan Toni Wren Yusuf Zhen Ana Tomas Keiko Amara Bruno Chloe "
    "Dmitri Elena Farah Gabriel Hana Ibrahim Julia Kofi Lucia Mateo Nadia Omar Paula Ravi"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Abebe Alvarez Banerjee Brooks Castillo Chen Dubois Eriksen Fofanah Garcia Haddad Hughes "
    "Ivanova Jensen Kaur Kim Lindqvist Lopez Mbeki Moreau Nakamura Novak Okafor Olsen Patel "
    "Quispe Reyes Rossi Sato Schmidt Silva Singh Tanaka Thompson Umarov Vargas Walsh Yilmaz "
    "Zhang Zielinski Adeyemi Bianchi Cohen Diaz Evans Fischer Gupta Hoang Ito Johnson"
).split()

# (value, weight) tables; ``cumulative`` turns one into thresholds for a single draw.
STATES = (
    ("WA", 30),
    ("CA", 20),
    ("TX", 12),
    ("NY", 12),
    ("GA", 4),
    ("IL", 4),
    ("MA", 4),
    ("VA", 4),
    ("CO", 3),
    ("FL", 3),
    ("NC", 2),
    ("OR", 2),
)
SEXES = (("female", 44), ("male", 54), ("nonbinary", 1), ("undisclosed", 1))
RACES = (
    ("white", 44),
    ("asian", 24),
    ("hispanic_latino", 15),
    ("black", 11),
    ("two_or_more", 3),
    ("native_hawaiian_pacific_islander", 1),
    ("american_indian_alaska_native", 1),
    ("undisclosed", 1),
)
# The forced curve, lowest last: TT 20%, HV1-HV3 75%, LE 5%.
CURVE = (("TT", 20), ("HV1", 25), ("HV2", 35), ("HV3", 15), ("LE", 5))
STANDARD_SCALE = {"TT": "5", "HV1": "4", "HV2": "3", "HV3": "2", "LE": "1"}
# Individual contributors' levels: weight, base pay, ages at as_of.
IC_LEVELS = (
    (4, 40, 118_000, (22, 45)),
    (5, 36, 152_000, (24, 58)),
    (6, 18, 188_000, (27, 63)),
    (7, 6, 228_000, (31, 66)),
)
MANAGER_PAY = {6: 205_000, 7: 245_000, 8: 300_000, 9: 420_000, 10: 900_000}
MANAGER_AGES = {6: (29, 62), 7: (32, 64), 8: (36, 65), 9: (40, 66), 10: (45, 66)}
# A grant's total shares by level; it vests 5/15/40/40 on its first four anniversaries.
GRANT_SHARES = {4: 200, 5: 400, 6: 800, 7: 1_500, 8: 3_000, 9: 8_000, 10: 40_000}
VEST_SCHEDULE = (0.05, 0.15, 0.40, 0.40)


def cumulative(table: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """A weight table as values and cumulative fractions, for one ``random()`` per draw."""
    total = sum(weight for _, weight in table)
    bounds = tuple(edge / total for edge in accumulate(weight for _, weight in table))
    return tuple(value for value, _ in table), bounds

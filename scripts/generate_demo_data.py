#!/usr/bin/env python3
"""Generate a deterministic CRM export of a fictional B2B company (the project's demo data).

`--crm salesforce` (the default) writes one CSV (or Parquet) file per Salesforce object, shaped by the
export contract in `models/staging/salesforce/_salesforce__sources.yml`; `--crm hubspot` writes the same
company as a Fivetran HubSpot export shaped by `models/staging/hubspot/_hubspot__sources.yml`; `--crm
mixed` puts some teams in HubSpot and the rest in Salesforce (`<out>/hubspot/`, `<out>/salesforce/`, each
holding only its teams' records). The contracts are the single source of truth for object names and
columns; files also carry a few extra columns real exports have, and `generation_manifest.json` records
the exact row and dirt counts so tests can reconcile a build against the generator.

Design:
- `Company` is the CRM-agnostic model of the business: reps, accounts, contacts, leads, opportunities
  and the stream of activities. It knows nothing about column names or id formats; a `CrmSplit` says
  which CRM each team works in.
- `SalesforceWriter` renders that model as Salesforce objects: ids with key prefixes, picklist
  spellings, timestamp formats, and the export dirt (re-sync duplicates, soft deletes, orphan keys, ...).
- `HubSpotWriter` renders it as HubSpot objects: owners and teams, companies, contacts (leads are
  contacts too), deals on the default pipeline with their stage history, engagements of every type with
  their detail and association rows, and HubSpot's own dirt (merged records, archived engagements,
  orphan associations, unknown engagement types, ...). In a mixed export each writer walks the company
  once and keeps its own teams' records.
- Nothing reads the wall clock: the time frame is fixed and every random draw comes from streams
  derived from `--seed`, so the same arguments give byte-identical files.
- Reps work their books the way the account-health marts judge them: each month a focus set worked
  to the threshold of the rep's book (enough activities over enough contacts), some accounts touched
  lightly, the rest left alone; how much of a book gets worked varies by rep and month.
- Memory does not grow with the activity count: rows are streamed to the files, per-entity state is
  kept in compact `array`s, ids are derived arithmetically from indexes, and a rep's month plans are
  replayed from the rep's own random stream instead of being kept.
- The big objects (task, event) are written as gzip-compressed CSV with deterministic bytes.

Run `python scripts/generate_demo_data.py --help` for the options.
"""

from __future__ import annotations

import argparse
import array
import csv
import gzip
import io
import json
import math
import random
import sys
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Callable, Iterator, NamedTuple, Sequence

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACT_PATH = REPO_ROOT / "models" / "staging" / "salesforce" / "_salesforce__sources.yml"
DEFAULT_OUT = REPO_ROOT / "data" / "demo" / "salesforce"
DEFAULT_HUBSPOT_OUT = REPO_ROOT / "data" / "demo" / "hubspot"  # var hubspot_export_dir's default
MANIFEST_NAME = "generation_manifest.json"
MANIFEST_VERSION = 1

# The default scale (1.0) is the small demo committed in the repo: 20 reps who log a realistic month
# (150-400 activities for most), so the activity files are written gzip-compressed.
BASE_ACTIVITIES = 50_500  # tasks + events at scale 1.0 (~46,500 tasks, ~4,000 events)
BASE_REPS = 20
BASE_ACCOUNTS = 800
BASE_LEADS = 1_200
BASE_OPPORTUNITIES = 600
MIN_REPS = 10  # small scales still get every special rep (see REP_TEMPLATE's first slots)
MIN_ACTIVITIES = 100
MAX_SCALE = 100_000.0
PROGRESS_EVERY = 1_000_000

# ------------------------------------------------------------------------------------------------
# Time: everything is integer seconds since WINDOW_START 00:00:00 UTC, rendered with lookup tables
# because datetime.strftime per value would dominate a 100M-row run.
# ------------------------------------------------------------------------------------------------
WINDOW_START = date(2025, 11, 1)
WINDOW_DAYS = 365  # 2025-11-01 .. 2026-10-31 inclusive
DAY = 86_400
HOUR = 3_600
LAST_DAY = WINDOW_DAYS - 1
EXPORT_TS = WINDOW_DAYS * DAY - 1  # the export was taken 2026-10-31 23:59:59 UTC
SCHEDULE_HORIZON_DAYS = 30  # booked meetings reach up to 30 days past the export

_FIRST_TABLE_DAY = -4_500  # oldest user/account creation (~12 years back)
_LAST_TABLE_DAY = WINDOW_DAYS + 400
_DATES = tuple(
    (WINDOW_START + timedelta(days=d)).isoformat() for d in range(_FIRST_TABLE_DAY, _LAST_TABLE_DAY)
)
_CLOCK = tuple(f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60))
_WEEKDAY_OF_DAY0 = WINDOW_START.weekday()


def day_str(day: int) -> str:
    """`YYYY-MM-DD` of a day index (0 = 2025-11-01)."""
    return _DATES[day - _FIRST_TABLE_DAY]


def weekday(day: int) -> int:
    """Monday = 0 … Sunday = 6."""
    return (_WEEKDAY_OF_DAY0 + day) % 7


def ts_api(ts: int) -> str:
    """Salesforce API format, the most common in exports: `2026-03-05T14:22:10.000+0000`."""
    d, s = divmod(ts, DAY)
    return _DATES[d - _FIRST_TABLE_DAY] + "T" + _CLOCK[s] + ".000+0000"


def ts_plain(ts: int) -> str:
    """No offset (ELT landings): `2026-03-05 14:22:10`, meaning UTC."""
    d, s = divmod(ts, DAY)
    return _DATES[d - _FIRST_TABLE_DAY] + " " + _CLOCK[s]


def make_offset_formatter(minutes: int) -> Callable[[int], str]:
    """The same instant rendered in another UTC offset, e.g. `2026-03-05T16:22:10+02:00`."""
    sign = "+" if minutes >= 0 else "-"
    suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    shift = minutes * 60

    def render(ts: int) -> str:
        d, s = divmod(ts + shift, DAY)
        return _DATES[d - _FIRST_TABLE_DAY] + "T" + _CLOCK[s] + suffix

    return render


def month_start_day(year: int, month: int) -> int:
    return (date(year, month, 1) - WINDOW_START).days


# ------------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------------
class Weighted:
    """A weighted picklist drawn with one `random()` and a bisect (cheaper than random.choices)."""

    __slots__ = ("values", "cum")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        values, weights = zip(*pairs)
        total = float(sum(weights))
        self.values = values
        self.cum = [w / total for w in accumulate(weights)]
        self.cum[-1] = 1.0  # random() < 1.0, so the bisect never runs off the end

    def pick(self, rnd: Callable[[], float]):
        return self.values[bisect_right(self.cum, rnd())]


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder, deterministic)."""
    weight_sum = float(sum(weights))
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    raw = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def coprime_stride(n: int) -> int:
    """A stride that visits every index of range(n) once, spread out (golden-ratio start)."""
    stride = max(1, int(n * 0.618))
    while math.gcd(stride, n) != 1:
        stride += 1
    return stride


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def round_to(value: float, step: int) -> int:
    return max(step, int(round(value / step)) * step)


# ------------------------------------------------------------------------------------------------
# The company model (CRM-agnostic)
# ------------------------------------------------------------------------------------------------
SEGMENTS = ("SMB", "Mid-Market", "Enterprise", "Strategic")
REP_ROLES = ("SDR", "BDR", "AE", "AM")
# Every role the org has; "Solutions Consultant" is the one no rep-role config knows.
ROLE_NAMES = tuple(f"{segment} {role}" for segment in SEGMENTS for role in REP_ROLES) + (
    "Account Manager",
    "Sales Manager",
    "VP Sales",
    "Solutions Consultant",
)


@dataclass(frozen=True)
class RepSlot:
    """One seat of the sales team template; `book` is the typical number of owned accounts."""

    role_name: str
    rep_role: str  # how the rep behaves: SDR, BDR, AE, AM or SC (the unknown role)
    segment: str
    book: float
    trait: str = "normal"


# 30 seats repeated per team ("block") as the scale grows. The first MIN_REPS seats hold every special
# case so that small test scales still have them: the over-quota rep with little activity
# (lean_winner), the busy rep who misses (busy_misser), the book far too big (overloaded), a rep who
# works most of a small book (thorough), the rep with the unknown role and the generic "Account
# Manager" role. Books are sized so that a rep's month (see MONTHLY_CAPACITY) covers part of them.
REP_TEMPLATE = (
    RepSlot("SMB SDR", "SDR", "SMB", 80),
    RepSlot("Mid-Market AE", "AE", "Mid-Market", 14, "lean_winner"),
    RepSlot("Enterprise AE", "AE", "Enterprise", 100, "overloaded"),
    RepSlot("Mid-Market BDR", "BDR", "Mid-Market", 45),
    RepSlot("SMB AE", "AE", "SMB", 45),
    RepSlot("Mid-Market AM", "AM", "Mid-Market", 40),
    RepSlot("Solutions Consultant", "SC", "Enterprise", 2),
    RepSlot("Mid-Market AE", "AE", "Mid-Market", 16, "busy_misser"),
    RepSlot("Account Manager", "AM", "Mid-Market", 40),
    RepSlot("Strategic AE", "AE", "Strategic", 6, "thorough"),
    RepSlot("SMB SDR", "SDR", "SMB", 80),
    RepSlot("Enterprise AM", "AM", "Enterprise", 20),
    RepSlot("SMB BDR", "BDR", "SMB", 70),
    RepSlot("Mid-Market AE", "AE", "Mid-Market", 16),
    RepSlot("SMB AE", "AE", "SMB", 45),
    RepSlot("Enterprise SDR", "SDR", "Enterprise", 30),
    RepSlot("Strategic AM", "AM", "Strategic", 10),
    RepSlot("Mid-Market SDR", "SDR", "Mid-Market", 45),
    RepSlot("SMB AM", "AM", "SMB", 70),
    RepSlot("Enterprise BDR", "BDR", "Enterprise", 30),
    RepSlot("Strategic BDR", "BDR", "Strategic", 16),
    RepSlot("Mid-Market AE", "AE", "Mid-Market", 16),
    RepSlot("SMB SDR", "SDR", "SMB", 80),
    RepSlot("Enterprise AE", "AE", "Enterprise", 12),
    RepSlot("Mid-Market SDR", "SDR", "Mid-Market", 45),
    RepSlot("SMB AE", "AE", "SMB", 45),
    RepSlot("Mid-Market BDR", "BDR", "Mid-Market", 45),
    RepSlot("Strategic AE", "AE", "Strategic", 6),
    RepSlot("Enterprise AE", "AE", "Enterprise", 12),
    RepSlot("Mid-Market AM", "AM", "Mid-Market", 40),
)
# Two former reps per team: inactive users who still own a few accounts (nobody reassigned them).
LEAVER_TEMPLATE = (
    RepSlot("SMB AE", "AE", "SMB", 4, "leaver"),
    RepSlot("Mid-Market SDR", "SDR", "Mid-Market", 4, "leaver"),
)
TRAITS = {  # trait -> (effort multiplier, skill multiplier); None = drawn at random
    "normal": (None, None),
    "lean_winner": (0.45, 1.7),
    "busy_misser": (1.7, 0.45),
    "overloaded": (None, None),
    "thorough": (None, None),
    "leaver": (None, None),
}

# How reps spend a month (see Company._plan_rep). Each month a rep picks a *focus set* of their book
# and works it to the threshold of their book (enough qualifying activities over enough contacts),
# touches some other accounts lightly and leaves the rest alone. The thresholds are the month rows
# of the default seeds/activity_thresholds.csv: (rep_role, segment) -> (min qualifying activities,
# min distinct contacts). The build reads the seed itself; editing it only moves the demo's mix.
MONTH_THRESHOLDS = {
    ("SDR", "SMB"): (6, 2), ("SDR", "Mid-Market"): (10, 2), ("SDR", "Enterprise"): (15, 3),
    ("SDR", "Strategic"): (20, 4),
    ("BDR", "SMB"): (6, 2), ("BDR", "Mid-Market"): (10, 2), ("BDR", "Enterprise"): (15, 3),
    ("BDR", "Strategic"): (20, 4),
    ("AE", "SMB"): (8, 1), ("AE", "Mid-Market"): (30, 3), ("AE", "Enterprise"): (40, 4),
    ("AE", "Strategic"): (50, 5),
    ("AM", "SMB"): (3, 1), ("AM", "Mid-Market"): (6, 2), ("AM", "Enterprise"): (10, 3),
    ("AM", "Strategic"): (12, 4),
}
# The book the build gives a role the rep_roles seed does not know (vars default_rep_role and
# default_segment): the Solutions Consultant is judged as a Mid-Market AE.
DEFAULT_BOOK = ("AE", "Mid-Market")
# Activities a rep of effort 1.0 can log in a month (focus work takes at most FOCUS_SHARE of it);
# effort stretches it (0.8-1.6x), so the busy rep logs the most and still misses quota.
MONTHLY_CAPACITY = {"SDR": 420, "BDR": 400, "AE": 340, "AM": 220, "SC": 120}
FOCUS_SHARE = 0.85
BASE_COVERAGE = 0.27  # share of the workable book a rep of effort 1.0 means to work to threshold
TRAIT_COVERAGE = {"thorough": 2.5, "busy_misser": 1.5}  # multiples of it (capped by MAX_COVERAGE)
MAX_COVERAGE = 0.85
LIGHT_REACH = (0.25, 0.6)  # share of the remaining accounts touched lightly (drawn per rep)
FOCUS_MARGIN = (1.0, 1.55)  # qualifying activities planned on a focus account, x the threshold
SIDE_WORK = (0.03, 0.18)  # ... plus this share of non-qualifying work (to-dos, meetings booked)
MAX_LIGHT_TOUCHES = 4
# Work intensity by month, November .. October (holidays, summer, quarter ends).
SEASON = (1.0, 0.8, 0.95, 1.0, 1.1, 0.95, 1.0, 1.1, 0.9, 0.8, 1.1, 1.0)
MONTHS = tuple(
    (month_start_day(2025 + (10 + m) // 12, (10 + m) % 12 + 1),
     month_start_day(2025 + (11 + m) // 12, (11 + m) % 12 + 1) - 1)
    for m in range(12)
)  # (first day, last day) of each month of the window

# Channel mixes. "event" is a calendar meeting (Event) held on the planned day; "booked" is a meeting
# booked on the planned day and held 1-21 days later; "meeting" is a meeting logged as a Task.
# Light touches and the touch before a deal:
CHANNEL_MIX = {
    "SDR": Weighted([("call", 42), ("email", 35), ("linkedin", 12), ("sms", 3), ("booked", 3), ("other", 5)]),
    "BDR": Weighted([("call", 36), ("email", 37), ("linkedin", 15), ("sms", 2), ("booked", 4), ("other", 6)]),
    "AE": Weighted(
        [("call", 24), ("email", 44), ("linkedin", 8), ("sms", 1), ("booked", 12), ("meeting", 3), ("other", 8)]
    ),
    "AM": Weighted([("call", 14), ("email", 52), ("linkedin", 2), ("booked", 19), ("meeting", 5), ("other", 8)]),
    "SC": Weighted([("call", 5), ("email", 30), ("booked", 50), ("meeting", 5), ("other", 10)]),
}
# Work on a focus account: only channels the rep's threshold counts ...
FOCUS_MIX = {
    "SDR": Weighted([("call", 42), ("email", 38), ("linkedin", 15), ("sms", 5)]),
    "BDR": Weighted([("call", 36), ("email", 40), ("linkedin", 20), ("sms", 4)]),
    "AE": Weighted([("call", 36), ("email", 38), ("linkedin", 14), ("event", 10), ("meeting", 2)]),
    "AM": Weighted([("call", 28), ("email", 50), ("event", 18), ("meeting", 4)]),
    "SC": Weighted([("call", 10), ("email", 45), ("event", 40), ("meeting", 5)]),
}
# ... and the side work around it that no threshold counts.
SIDE_MIX = {
    "SDR": Weighted([("other", 55), ("booked", 45)]),
    "BDR": Weighted([("other", 55), ("booked", 45)]),
    "AE": Weighted([("other", 80), ("booked", 20)]),
    "AM": Weighted([("other", 80), ("booked", 20)]),
    "SC": Weighted([("other", 100)]),
}
EMAIL_VARIANT = {
    "SDR": Weighted([("single", 55), ("cadence", 35), ("list", 10)]),
    "BDR": Weighted([("single", 55), ("cadence", 35), ("list", 10)]),
    "AE": Weighted([("single", 85), ("cadence", 10), ("list", 5)]),
    "AM": Weighted([("single", 85), ("cadence", 5), ("list", 10)]),
    "SC": Weighted([("single", 100)]),
}
OUTBOUND_CALL_OUTCOME = Weighted(
    [
        ("No Answer", 30),
        ("Left Voicemail", 27),
        ("Connected", 18),
        ("Not Interested", 8),
        ("Meeting Booked", 7),
        ("Busy", 6),
        ("Wrong Number", 4),
    ]
)
INBOUND_CALL_OUTCOME = Weighted([("Connected", 80), ("Meeting Booked", 12), ("Not Interested", 8)])
CALL_SECONDS = {  # disposition -> (min, max) duration; consistent with what happened on the call
    "No Answer": (0, 30),
    "Busy": (0, 8),
    "Left Voicemail": (20, 75),
    "Wrong Number": (5, 45),
    "Not Interested": (30, 240),
    "Connected": (60, 1_200),
    "Meeting Booked": (180, 1_500),
}
OPEN_TASK_STATUS = Weighted([("not_started", 55), ("in_progress", 25), ("deferred", 20)])
MEETING_MINUTES = Weighted([(30, 50), (45, 15), (60, 30), (90, 5)])

# Opportunity stages: Salesforce's defaults, in order; the two closed stages last.
STAGES = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
)
LAST_OPEN_STAGE = 7
WON_STAGE = 8
LOST_STAGE = 9
STAGE_PROBABILITY = (10, 10, 20, 50, 60, 70, 75, 90, 100, 0)
FORECAST_CATEGORY = ("Pipeline",) * 6 + ("Best Case", "Commit", "Closed", "Omitted")
START_STAGE = Weighted([(0, 70), (1, 20), (2, 10)])
CYCLE_DAYS = {"SMB": (20, 60), "Mid-Market": (35, 110), "Enterprise": (60, 180), "Strategic": (90, 270)}
DEAL_SIZE = {"SMB": (4_000, 25_000), "Mid-Market": (20_000, 90_000), "Enterprise": (60_000, 300_000),
             "Strategic": (150_000, 900_000)}
MONTHLY_QUOTA_FLOOR = {"SMB": 15_000, "Mid-Market": 40_000, "Enterprise": 100_000, "Strategic": 200_000}
OUTCOME_OPEN, OUTCOME_WON, OUTCOME_LOST = 0, 1, 2

EMPLOYEES = {"SMB": (10, 200), "Mid-Market": (200, 1_000), "Enterprise": (1_000, 10_000),
             "Strategic": (10_000, 150_000)}
CONTACTS_PER_ACCOUNT = {
    "SMB": Weighted([(1, 18), (2, 27), (3, 25), (4, 16), (5, 14)]),
    "Mid-Market": Weighted([(2, 10), (3, 20), (4, 25), (5, 20), (6, 15), (7, 10)]),
    "Enterprise": Weighted([(4, 8), (5, 10), (6, 12), (7, 14), (8, 14), (9, 12), (10, 12), (11, 9), (12, 9)]),
    "Strategic": Weighted([(6, 10), (7, 10), (8, 12), (9, 14), (10, 16), (11, 18), (12, 20)]),
}
# (country, weight, states, region)
COUNTRIES = (
    ("United States", 50, ("CA", "NY", "TX", "MA", "WA", "IL", "GA", "CO"), "NA"),
    ("United Kingdom", 12, (), "EMEA"),
    ("Germany", 9, (), "EMEA"),
    ("France", 6, (), "EMEA"),
    ("Canada", 6, ("ON", "BC", "QC"), "NA"),
    ("Australia", 5, ("NSW", "VIC"), "APAC"),
    ("Netherlands", 4, (), "EMEA"),
    ("Sweden", 3, (), "EMEA"),
    ("Spain", 2, (), "EMEA"),
    ("Japan", 2, (), "APAC"),
    ("Singapore", 1, (), "APAC"),
)
COUNTRY_PICK = Weighted([(i, c[1]) for i, c in enumerate(COUNTRIES)])
LEGAL_SUFFIX = {"United States": "Inc.", "Canada": "Inc.", "United Kingdom": "Ltd", "Germany": "GmbH",
                "France": "SAS", "Netherlands": "B.V.", "Sweden": "AB", "Spain": "S.L.", "Australia": "Pty Ltd",
                "Japan": "K.K.", "Singapore": "Pte Ltd"}
INDUSTRIES = Weighted(
    [("Software", 18), ("Financial Services", 12), ("Healthcare", 10), ("Manufacturing", 12), ("Retail", 8),
     ("Logistics", 7), ("Education", 5), ("Media", 5), ("Telecommunications", 5), ("Energy", 4),
     ("Professional Services", 9), ("Insurance", 5)]
)
ACCOUNT_SOURCES = Weighted([("Web", 25), ("Outbound", 30), ("Partner Referral", 12), ("Trade Show", 12),
                            ("Purchased List", 15), ("Other", 6)])
INBOUND_LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral")
LEAD_SOURCES = Weighted([("Web", 30), ("Phone Inquiry", 8), ("Partner Referral", 8), ("Purchased List", 15),
                         ("Trade Show", 12), ("Outbound", 15), ("Other", 6)])
# Contact titles grouped by the persona function they map to, with a matching department.
TITLES = Weighted(
    [
        (("Chief Marketing Officer", "Marketing"), 4),
        (("VP Marketing", "Marketing"), 6),
        (("Marketing Manager", "Marketing"), 10),
        (("Demand Generation Director", "Marketing"), 6),
        (("Marketing Operations Manager", "Marketing"), 7),
        (("Chief Revenue Officer", "Sales"), 4),
        (("VP Sales", "Sales"), 6),
        (("Sales Director", "Sales"), 8),
        (("Sales Operations Manager", "Sales Operations"), 6),
        (("Revenue Operations Lead", "Revenue Operations"), 5),
        (("CFO", "Finance"), 5),
        (("CTO", "Engineering"), 5),
        (("IT Manager", "IT"), 7),
        (("Procurement Manager", "Procurement"), 6),
        (("Operations Manager", "Operations"), 7),
        (("Software Engineer", "Engineering"), 5),
        (("", ""), 3),  # no title: persona unknown
    ]
)
FIRST_NAMES = (
    "Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Isla", "Lucas", "Mila", "Omar", "Priya", "Jonas", "Sofia",
    "Mateo", "Hana", "Leo", "Chloe", "Arjun", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jack", "Keira",
    "Luca", "Nora", "Oscar", "Paula", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Yara", "Zain",
    "Amara", "Ben", "Clara", "Dev", "Emma", "Finn", "Gia", "Hassan", "Ivy", "Jade", "Kai", "Lena",
)
LAST_NAMES = (
    "Smith", "Garcia", "Müller", "Chen", "Patel", "Johnson", "Rossi", "Nguyen", "Kowalski", "Silva", "Martin",
    "Brown", "Dubois", "Kim", "Andersen", "Okafor", "Tanaka", "Lopez", "Novak", "Schmidt", "Walker", "Costa",
    "Ivanova", "Hughes", "Bakker", "Moreau", "Singh", "O'Brien", "Fischer", "Haddad", "Lindqvist", "Murphy",
    "Yamamoto", "Reyes", "Cohen", "Fernandes", "Kaur", "Weber", "Larsen", "Ahmed",
)
NAME_STEMS = (
    "Acme", "Borealis", "Cobalt", "Dovetail", "Ember", "Fathom", "Granite", "Harbor", "Ion", "Juniper",
    "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchid", "Pinnacle", "Quarry", "Redwood", "Summit", "Tidal",
    "Umbra", "Vantage", "Willow", "Xenon", "Yarrow", "Zephyr", "Atlas", "Beacon", "Cascade", "Delta",
    "Evergreen", "Falcon", "Glacier", "Helix", "Iris", "Jetstream", "Keystone", "Lattice", "Mosaic", "Northwind",
)
NAME_TAILS = (
    "Systems", "Labs", "Logistics", "Health", "Capital", "Foods", "Energy", "Robotics", "Analytics", "Media",
    "Retail", "Insurance", "Networks", "Software", "Manufacturing", "Partners", "Bank", "Biotech", "Motors",
    "Learning", "Telecom", "Solutions", "Freight", "Pharma", "Studios", "Materials", "Security", "Cloud",
    "Outfitters", "Group",
)
_NAME_SPACE = len(NAME_STEMS) * len(NAME_TAILS)


def company_name(index: int) -> str:
    """A unique fictional company name for an index (no lists stored per account)."""
    block, k = divmod(index, _NAME_SPACE)
    k = (k * 7 + block * 131) % _NAME_SPACE  # spread neighbours over the name space
    stem, tail = NAME_STEMS[k % len(NAME_STEMS)], NAME_TAILS[k // len(NAME_STEMS)]
    return f"{stem} {tail}" + (f" {block + 1}" if block else "")


def domain_of(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum()) + ".example"


def email_local(first: str, last: str) -> str:
    return "".join(ch for ch in f"{first}.{last}".lower() if ch.isalnum() or ch == ".").replace("ü", "u")


@dataclass(slots=True)
class User:
    """A user of the CRM: a rep, a manager or the VP."""

    index: int
    first_name: str
    last_name: str
    role_name: str
    title: str
    manager: int  # user index, -1 for none
    is_active: bool
    created_ts: int
    is_rep: bool = False
    rep_role: str = ""  # SDR, BDR, AE, AM, SC
    segment: str = ""
    block: int = 0
    trait: str = "normal"
    effort: float = 1.0  # activity volume multiplier
    skill: float = 1.0  # win-rate multiplier
    speed: float = 1.0  # lead response-time multiplier (lower is faster)
    active_until_day: int = LAST_DAY
    book_start: int = 0  # owned accounts are the index range [book_start, book_end)
    book_end: int = 0

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Account(NamedTuple):
    index: int
    owner: int  # user index
    name: str
    parent: int  # account index or -1
    is_customer: bool
    industry: str
    employees: int
    annual_revenue: int
    country: str
    state: str
    region: str
    source: str
    created_ts: int
    score: int  # 0-100, -1 when the field is empty
    segment: str


class Contact(NamedTuple):
    index: int
    account: int
    owner: int
    first_name: str
    last_name: str
    email: str
    phone: str
    title: str
    department: str
    lead_source: str
    country: str
    created_ts: int


class Lead(NamedTuple):
    index: int
    owner: int
    first_name: str
    last_name: str
    email: str
    phone: str
    company: str
    title: str
    industry: str
    employees: int
    country: str
    region: str
    source: str
    status: str  # open_not_contacted, working, closed_converted, closed_not_converted
    created_ts: int
    converted_account: int  # -1 unless converted
    converted_contact: int
    converted_opportunity: int
    converted_day: int


class Activity(NamedTuple):
    """One task or event, CRM-neutral."""

    kind: str  # "task" or "event"
    channel: str  # call, email, linkedin, sms, meeting (logged), other; events are "meeting"
    variant: str  # call: outbound/inbound; email: single/list/cadence; other: todo/other
    owner: int  # user index
    contact: int  # contact index or -1
    lead: int  # lead index or -1
    account: int  # account index or -1
    opportunity: int  # opportunity index or -1
    created_ts: int  # when it was logged (events: when the meeting was booked)
    ts: int  # task: completion time (due time if open); event: start
    status: str  # task: completed/not_started/in_progress/deferred; event: completed/canceled/no_show/""
    outcome: str  # call disposition
    duration: int  # call seconds, meeting minutes
    step: int  # sequence step for cadence emails, else 0


class StageChange(NamedTuple):
    ts: int
    stage: int  # index into STAGES
    amount: int
    close_day: int
    by_manager: bool


class Opportunity(NamedTuple):
    index: int
    account: int
    owner: int
    name: str
    is_existing_business: bool
    lead_source: str
    changes: tuple[StageChange, ...]  # first = creation, last = current state
    outcome: int


class MonthPlan(NamedTuple):
    """What a rep means to do in one month of the window (see Company._plan_rep)."""

    month: int  # index into MONTHS
    deals: list[int]  # opportunities created on the book this month: a touch before each
    focus: list[list[int]]  # [account, qualifying activities, side activities], by priority
    light: list[list[int]]  # [account, activities]
    spare: list[int]  # the other workable accounts, by priority
    cost: int  # activities the plan takes
    eligible: int  # accounts workable this month


class QuotaRow(NamedTuple):
    user: int
    period_start_day: int
    period_type: str
    amount: int
    segment: str


@dataclass(frozen=True)
class CrmSplit:
    """Which CRM each team works in: all in Salesforce, all in HubSpot, or (`mixed`) the teams of
    `hubspot_segments` in HubSpot and every other team (and the VP) in Salesforce."""

    mode: str  # salesforce, hubspot or mixed
    hubspot_segments: frozenset[str] = frozenset()

    def crm_of(self, segment: str) -> str:
        if self.mode == "mixed":
            return "hubspot" if segment in self.hubspot_segments else "salesforce"
        return self.mode


# In a mixed export the SMB teams (SDRs, BDRs, AEs, AMs and their manager) work in HubSpot.
MIXED_HUBSPOT_SEGMENTS = frozenset({"SMB"})


@dataclass(frozen=True)
class Sizes:
    """How big the company is: entities from `scale`, activities from `--activities` or the scale."""

    scale: float
    activities: int
    reps: int
    accounts: int
    leads: int
    opportunities: int

    @classmethod
    def from_options(cls, scale: float | None, activities: int | None) -> "Sizes":
        if scale is None:
            scale = 1.0 if activities is None else activities / BASE_ACTIVITIES
        if activities is None:
            activities = max(MIN_ACTIVITIES, round(BASE_ACTIVITIES * scale))
        reps = max(MIN_REPS, round(BASE_REPS * scale))
        return cls(
            scale=scale,
            activities=activities,
            reps=reps,
            accounts=max(2 * reps, round(BASE_ACCOUNTS * scale)),
            leads=max(20, round(BASE_LEADS * scale)),
            opportunities=max(10, round(BASE_OPPORTUNITIES * scale)),
        )


class Company:
    """The fictional company: who sells, to whom, and what they did over the year.

    Build order matters (each step reads the compact state of the previous ones):
    people -> iter_accounts -> iter_contacts -> plan_opportunities -> iter_leads -> iter_rep_activities
    -> iter_opportunities -> quotas. Every step has its own random stream, so adding draws to one
    step does not reshuffle the others.
    """

    STREAMS = ("people", "accounts", "contacts", "opportunities", "leads", "activities", "quota")

    def __init__(self, sizes: Sizes, seed: int, split: "CrmSplit | None" = None) -> None:
        self.sizes = sizes
        self.split = split or CrmSplit("salesforce")
        master = random.Random(seed)
        self._seeds = {name: master.getrandbits(64) for name in self.STREAMS}
        # Each rep's month plans and the activities that carry them out come from the rep's own two
        # streams, so a plan can be replayed (budgets need every plan's size before any is written).
        activity_seeds = random.Random(self._seeds["activities"])
        self._plan_seed_base = activity_seeds.getrandbits(48) << 24
        self._work_seed_base = activity_seeds.getrandbits(48) << 24
        self.users: list[User] = []
        self.reps: list[User] = []
        # Compact per-account state (array index = account index).
        self.acct_owner = array.array("i")
        self.acct_created_day = array.array("i")
        self.acct_score = array.array("b")
        self.acct_customer = array.array("b")
        self.acct_country = array.array("b")  # index into COUNTRIES
        self.acct_contact_start = array.array("i", [0])  # contacts of a are [start[a], start[a+1])
        self.acct_opp_start = array.array("i", [0])  # opportunities of a are [start[a], start[a+1])
        # Compact per-opportunity state, kept from planning for activities, leads and quotas.
        self.opp_account = array.array("i")
        self.opp_owner = array.array("i")
        self.opp_created = array.array("i")
        self.opp_end = array.array("i")  # close time, or the export time while open
        self.opp_outcome = array.array("b")
        self.opp_amount = array.array("d")
        self.opp_lead_source = array.array("b")  # index into LEAD_SOURCES.values, -1 = drawn later
        self.lead_touches = 0
        # Writers of a mixed export each walk the company once: state is filled on the first walk.
        self._accounts_built = False
        self._opportunities_planned = False
        self._build_people()
        self.user_crm = [self.split.crm_of(self._team_segment.get(u.index, u.segment)) for u in self.users]

    # ---- people ---------------------------------------------------------------------------------
    def _new_user(self, rng: random.Random, role_name: str, title: str, manager: int, active: bool) -> User:
        user = User(
            index=len(self.users),
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            role_name=role_name,
            title=title,
            manager=manager,
            is_active=active,
            created_ts=rng.randint(-1_800, -30) * DAY + rng.randint(8 * HOUR, 18 * HOUR),
        )
        self.users.append(user)
        return user

    def _build_people(self) -> None:
        rng = random.Random(self._seeds["people"])
        self._team_segment: dict[int, str] = {}  # sales managers: the segment they lead
        vp = self._new_user(rng, "VP Sales", "VP Sales", -1, True)
        blocks = math.ceil(self.sizes.reps / len(REP_TEMPLATE))
        for block in range(blocks):
            seats = REP_TEMPLATE[: self.sizes.reps - block * len(REP_TEMPLATE)] + LEAVER_TEMPLATE
            managers = {
                segment: self._new_user(rng, "Sales Manager", f"{segment} Sales Manager", vp.index, True)
                for segment in SEGMENTS
                if any(slot.segment == segment for slot in seats)
            }
            self._team_segment.update((m.index, segment) for segment, m in managers.items())
            for slot in seats:
                manager = vp.index if slot.rep_role == "SC" else managers[slot.segment].index
                rep = self._new_user(rng, slot.role_name, slot.role_name, manager, slot.trait != "leaver")
                self._make_rep(rng, rep, slot, block)
        self._assign_books(rng)

    def _make_rep(self, rng: random.Random, rep: User, slot: RepSlot, block: int) -> None:
        effort, skill = TRAITS[slot.trait]
        rep.is_rep = True
        rep.rep_role = slot.rep_role
        rep.segment = slot.segment
        rep.block = block
        rep.trait = slot.trait
        rep.effort = effort if effort is not None else rng.lognormvariate(0.0, 0.3)
        rep.skill = skill if skill is not None else rng.uniform(0.75, 1.25)
        rep.speed = rng.lognormvariate(0.0, 0.7)
        if slot.trait == "leaver":  # left the company in the first months of the window
            rep.active_until_day = rng.randint(75, 140)
        self.reps.append(rep)

    def _assign_books(self, rng: random.Random) -> None:
        """Books of very different sizes: few big accounts for Enterprise, many small for SMB."""
        slot_books = []
        for rep in self.reps:
            seats = REP_TEMPLATE + LEAVER_TEMPLATE
            base = next(s.book for s in seats if s.role_name == rep.role_name and s.trait == rep.trait)
            slot_books.append(base * rng.uniform(0.8, 1.25))
        start = 0
        for rep, size in zip(self.reps, apportion(self.sizes.accounts, slot_books)):
            rep.book_start, rep.book_end = start, start + size
            start += size

    # ---- accounts and contacts -----------------------------------------------------------------
    def iter_accounts(self) -> Iterator[Account]:
        """Accounts book by book; fills the compact per-account state as it goes."""
        rng = random.Random(self._seeds["accounts"])
        rnd = rng.random
        fill = not self._accounts_built
        for rep in self.reps:
            for a in range(rep.book_start, rep.book_end):
                customer_share = 0.85 if rep.rep_role == "AM" else 0.12
                is_customer = rnd() < customer_share
                country_index = COUNTRY_PICK.pick(rnd)
                country, _, states, region = COUNTRIES[country_index]
                low, high = EMPLOYEES[rep.segment]
                employees = int(log_uniform(rng, low, high))
                # Most accounts predate the window; ~10% are created during it (new logos).
                created_day = rng.randint(-3_600, -1) if rnd() < 0.9 else rng.randint(0, 330)
                score = -1 if rnd() < 0.01 else int(100 * rnd() ** 1.8)  # skewed low, a few hot
                parent = rng.randint(rep.book_start, a - 1) if a > rep.book_start and rnd() < 0.04 else -1
                name = company_name(a)
                yield Account(
                    index=a,
                    owner=rep.index,
                    name=f"{name}, {LEGAL_SUFFIX[country]}" if rnd() < 0.3 else name,
                    parent=parent,
                    is_customer=is_customer,
                    industry=INDUSTRIES.pick(rnd),
                    employees=employees,
                    annual_revenue=round_to(employees * rng.uniform(60_000, 350_000), 1_000),
                    country=country,
                    state=rng.choice(states) if states else "",
                    region=region,
                    source=ACCOUNT_SOURCES.pick(rnd),
                    created_ts=created_day * DAY + rng.randint(7 * HOUR, 19 * HOUR),
                    score=score,
                    segment=rep.segment,
                )
                n_contacts = CONTACTS_PER_ACCOUNT[rep.segment].pick(rnd)  # drawn on every walk: same stream
                if not fill:
                    continue
                self.acct_owner.append(rep.index)
                self.acct_created_day.append(created_day)
                self.acct_score.append(score)
                self.acct_customer.append(1 if is_customer else 0)
                self.acct_country.append(country_index)
                self.acct_contact_start.append(self.acct_contact_start[-1] + n_contacts)
        self._accounts_built = True

    @property
    def n_accounts(self) -> int:
        return len(self.acct_owner)

    @property
    def n_contacts(self) -> int:
        return self.acct_contact_start[-1]

    @property
    def n_opportunities(self) -> int:
        return len(self.opp_account)

    def iter_contacts(self) -> Iterator[Contact]:
        rng = random.Random(self._seeds["contacts"])
        rnd = rng.random
        starts = self.acct_contact_start
        for a in range(self.n_accounts):
            domain = domain_of(company_name(a))
            owner = self.acct_owner[a]
            created_floor = max(self.acct_created_day[a], -3_000)
            country = COUNTRIES[self.acct_country[a]][0]
            for c in range(starts[a], starts[a + 1]):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                title, department = TITLES.pick(rnd)
                # Contacts exist before the window, or shortly after their (new) account was created.
                if created_floor < 0:
                    created_day = rng.randint(created_floor, -1)
                else:
                    created_day = created_floor + int(3 * rnd())
                # Mostly the account owner; in a mixed export never a rep who lives in the other CRM.
                other = owner if rnd() < 0.9 else self.reps[int(rnd() * len(self.reps))].index
                yield Contact(
                    index=c,
                    account=a,
                    owner=other if self.user_crm[other] == self.user_crm[owner] else owner,
                    first_name=first,
                    last_name=last,
                    email=f"{email_local(first, last)}{c % 97}@{domain}",
                    phone=f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                    title=title,
                    department=department,
                    lead_source=LEAD_SOURCES.pick(rnd),
                    country=country if rnd() < 0.85 else COUNTRIES[COUNTRY_PICK.pick(rnd)][0],
                    created_ts=created_day * DAY + rng.randint(7 * HOUR, 19 * HOUR),
                )

    # ---- opportunities ---------------------------------------------------------------------------
    def _opp_owner_for(self, account_owner: User, block_aes: dict[tuple[int, str], list[int]]) -> int:
        """Deals belong to closers: an SDR/BDR/SC/leaver's account gets an AE of the same team."""
        if account_owner.rep_role in ("AE", "AM") and account_owner.trait != "leaver":
            return account_owner.index
        candidates = block_aes.get((account_owner.block, account_owner.segment)) or block_aes.get(
            (account_owner.block, "")
        )
        if candidates and self.split.mode == "mixed":  # the deal stays in its account's CRM
            crm = self.user_crm[account_owner.index]
            candidates = [c for c in candidates if self.user_crm[c] == crm]
        return candidates[account_owner.index % len(candidates)] if candidates else account_owner.index

    def plan_opportunities(self) -> None:
        """Decide every deal's account, owner and path; keep only a compact summary per deal.

        The full stage path is re-derived when the deal is written (same per-deal random stream), so
        no list of stage changes is kept in memory.
        """
        if self._opportunities_planned:
            return
        self._opportunities_planned = True
        rng = random.Random(self._seeds["opportunities"])
        self._opp_seed_base = rng.getrandbits(48) << 24
        role_rate = {"AE": 1.3, "AM": 0.9, "SDR": 0.45, "BDR": 0.45, "SC": 0.3}
        rates = array.array("d")  # compact: one float per account even at 100M-activity scale
        for a in range(self.n_accounts):
            owner = self.users[self.acct_owner[a]]
            rate = role_rate[owner.rep_role] * (0.5 + max(self.acct_score[a], 0) / 100.0)
            if owner.trait == "leaver":
                rate *= 0.3
            rates.append(rate)
        factor = self.sizes.opportunities / max(sum(rates), 1e-9)
        block_aes: dict[tuple[int, str], list[int]] = {}
        for rep in self.reps:
            if rep.rep_role == "AE" and rep.trait != "leaver":
                block_aes.setdefault((rep.block, rep.segment), []).append(rep.index)
                block_aes.setdefault((rep.block, ""), []).append(rep.index)
        for a in range(self.n_accounts):
            expected = rates[a] * factor
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            owner = self._opp_owner_for(self.users[self.acct_owner[a]], block_aes)
            for _ in range(count):
                o = len(self.opp_account)
                plan = self._opportunity_path(o, a, owner)
                self.opp_account.append(a)
                self.opp_owner.append(owner)
                self.opp_created.append(plan.changes[0].ts)
                last = plan.changes[-1]
                self.opp_end.append(last.ts if plan.outcome != OUTCOME_OPEN else EXPORT_TS)
                self.opp_outcome.append(plan.outcome)
                self.opp_amount.append(float(last.amount))
                self.opp_lead_source.append(-1)
            self.acct_opp_start.append(len(self.opp_account))

    def _opportunity_path(self, o: int, account: int, owner_index: int) -> Opportunity:
        """One deal's whole life from its own random stream (so it can be replayed when writing)."""
        rng = random.Random(self._opp_seed_base + o)
        rnd = rng.random
        owner = self.users[owner_index]
        segment = owner.segment or "Mid-Market"
        # Created after the account exists; mostly inside the window, some older deals still open.
        floor_day = max(self.acct_created_day[account] + 10, -200)
        day = rng.randint(-200, -1) if rnd() < 0.12 else rng.randint(10, LAST_DAY - 3)
        day = min(max(day, floor_day), LAST_DAY - 2)
        created = day * DAY + rng.randint(8 * HOUR, 18 * HOUR)
        low, high = CYCLE_DAYS[segment]
        cycle = rng.randint(low, high) * DAY
        amount = round_to(log_uniform(rng, *DEAL_SIZE[segment]), 500)
        close_day = (created + int(cycle * rng.uniform(0.55, 0.95))) // DAY  # forecasts are optimistic
        start = START_STAGE.pick(rnd)
        stalls = rnd() < 0.12  # stuck: stops progressing early and sits in a stage for months
        if stalls:
            outcome, progress_end = OUTCOME_OPEN, created + int(cycle * rng.uniform(0.1, 0.35))
            target = min(start + rng.randint(0, 3), LAST_OPEN_STAGE)
        elif created + cycle > EXPORT_TS:
            outcome, progress_end = OUTCOME_OPEN, EXPORT_TS - rng.randint(1, 10) * DAY
            elapsed = max(0.0, (EXPORT_TS - created) / cycle)
            target = start + int(elapsed * (LAST_OPEN_STAGE - start))
        else:
            win_rate = min(0.85, max(0.05, 0.34 * owner.skill))
            outcome = OUTCOME_WON if rnd() < win_rate else OUTCOME_LOST
            progress_end = created + cycle
            target = LAST_OPEN_STAGE if outcome == OUTCOME_WON else rng.randint(start, LAST_OPEN_STAGE)
        progress_end = min(max(progress_end, created + HOUR), EXPORT_TS - HOUR)
        walk = self._stage_walk(rng, start, target)
        if outcome == OUTCOME_WON:
            walk.append(WON_STAGE)
        elif outcome == OUTCOME_LOST:
            walk.append(LOST_STAGE)
        span = progress_end - created
        times = sorted(created + 60 + int((span - 60) * rnd()) for _ in walk)
        if outcome != OUTCOME_OPEN and times:
            times[-1] = progress_end
        # Events besides stage moves: close-date pushes (some twice) and an amount revision.
        until = progress_end if outcome != OUTCOME_OPEN else EXPORT_TS - HOUR
        events: list[tuple[int, str, int]] = [(t, "stage", s) for t, s in zip(times, walk)]
        pushes = 2 if rnd() < 0.08 else (1 if rnd() < 0.25 else 0)
        for _ in range(pushes):
            events.append((created + int((until - created) * rng.uniform(0.2, 0.9)), "push", 0))
        if rnd() < 0.2:
            events.append((created + int((until - created) * rng.uniform(0.1, 0.9)), "amount", 0))
        events.sort(key=lambda e: (e[0], e[1] != "stage"))
        changes = [StageChange(created, start, amount, close_day, False)]
        stage = start
        for ts, what, value in events:
            ts = max(ts, changes[-1].ts + 60)
            if ts > EXPORT_TS:
                break
            if what == "stage":
                stage = value
                if stage in (WON_STAGE, LOST_STAGE):
                    close_day = ts // DAY  # the close date becomes the day it closed
            elif what == "push":
                if stage in (WON_STAGE, LOST_STAGE):
                    continue
                close_day = max(close_day, ts // DAY) + rng.randint(14, 60)
            else:
                amount = round_to(amount * rng.uniform(0.7, 1.35), 500)
            changes.append(StageChange(ts, stage, amount, close_day, rnd() < 0.1))
        account_is_customer = bool(self.acct_customer[account])
        source_index = self.opp_lead_source[o] if o < len(self.opp_lead_source) else -1
        lead_source = LEAD_SOURCES.values[source_index] if source_index >= 0 else LEAD_SOURCES.pick(rnd)
        return Opportunity(
            index=o,
            account=account,
            owner=owner_index,
            name=company_name(account),
            is_existing_business=account_is_customer or owner.rep_role == "AM",
            lead_source=lead_source,
            changes=tuple(changes),
            outcome=outcome,
        )

    @staticmethod
    def _stage_walk(rng: random.Random, start: int, target: int) -> list[int]:
        """Stages visited after `start`: mostly forward, some skipped, a few regressions."""
        walk: list[int] = []
        stage, regressions = start, 0
        while stage < target:
            r = rng.random()
            if r < 0.18 and stage + 2 <= target:
                stage += 2  # a skipped stage
            elif r < 0.26 and stage > start and regressions < 2:
                stage -= 1  # back a stage
                regressions += 1
            else:
                stage += 1
            walk.append(stage)
        return walk

    def iter_opportunities(self) -> Iterator[Opportunity]:
        for o in range(self.n_opportunities):
            yield self._opportunity_path(o, self.opp_account[o], self.opp_owner[o])

    # ---- leads -------------------------------------------------------------------------------------
    def _lead_owners(self) -> tuple[list[int], dict[int, list[int]]]:
        developers = [r.index for r in self.reps if r.rep_role in ("SDR", "BDR") and r.is_active]
        if not developers:
            developers = [r.index for r in self.reps if r.is_active]
        by_block: dict[int, list[int]] = {}
        for index in developers:
            by_block.setdefault(self.users[index].block, []).append(index)
        return developers, by_block

    def _same_crm_pool(self, pool: list[int], account_owner: int) -> list[int]:
        """Lead owners for a lead converted on an account: in a mixed export, reps of its CRM."""
        if self.split.mode != "mixed":
            return pool
        crm = self.user_crm[account_owner]
        return ([r for r in pool if self.user_crm[r] == crm]
                or [r.index for r in self.reps if r.is_active and self.user_crm[r.index] == crm] or [account_owner])

    def _same_crm_account(self, account: int, owner: int) -> int:
        """In a mixed export a lead converts into an account of its owner's CRM (the next one)."""
        if self.split.mode != "mixed":
            return account
        crm = self.user_crm[owner]
        for step in range(self.n_accounts):
            candidate = (account + step) % self.n_accounts
            if self.user_crm[self.acct_owner[candidate]] == crm:
                return candidate
        return account

    def crm_of_account(self, account: int) -> str:
        return self.user_crm[self.acct_owner[account]]

    def crm_of_activity(self, activity: "Activity") -> str:
        """An account's activity lives with the account; a lead's with the lead's owner."""
        return self.crm_of_account(activity.account) if activity.account >= 0 else self.user_crm[activity.owner]

    @property
    def lead_touch_cap(self) -> int:
        """At most a quarter of the activity target goes to lead touches (the rest to accounts)."""
        return self.sizes.activities // 4

    def iter_leads(self, touch_cap: int) -> Iterator[tuple[Lead, list[Activity]]]:
        """Each lead with the outbound touches it got (first touch after a skewed response delay).

        `touch_cap` bounds the lead touches so that an explicit --activities target is never exceeded.
        """
        rng = random.Random(self._seeds["leads"])
        rnd = rng.random
        self.lead_touches = 0
        developers, by_block = self._lead_owners()
        # Conversions that create an opportunity map onto distinct deals created inside the window.
        eligible = array.array("i", (o for o in range(self.n_opportunities) if self.opp_created[o] >= 5 * DAY))
        stride = coprime_stride(len(eligible)) if eligible else 1
        conversions_with_opp = 0
        source_index = {source: i for i, source in enumerate(LEAD_SOURCES.values)}
        for j in range(self.sizes.leads):
            source = LEAD_SOURCES.pick(rnd)
            inbound = source in INBOUND_LEAD_SOURCES
            converted = rnd() < 0.25
            conv_account = conv_contact = conv_opp = -1
            conv_ts = -1
            if converted and eligible and conversions_with_opp < len(eligible) // 2 and rnd() < 0.7:
                conv_opp = eligible[(conversions_with_opp * stride) % len(eligible)]
                conversions_with_opp += 1
                conv_account = self.opp_account[conv_opp]
                conv_ts = self.opp_created[conv_opp]
                self.opp_lead_source[conv_opp] = source_index[source]
                block = self.users[self.acct_owner[conv_account]].block
                pool = self._same_crm_pool(by_block.get(block) or developers, self.acct_owner[conv_account])
                created = max(0, conv_ts - rng.randint(2, 45) * DAY + rng.randint(-HOUR, HOUR))
            else:
                pool = developers
                created = rng.randint(0, LAST_DAY - 1) * DAY + int(rnd() * DAY)
                if converted:
                    conv_account = int(rnd() * self.n_accounts)
                    conv_ts = min(created + rng.randint(1, 30) * DAY, EXPORT_TS - HOUR)
            owner = pool[int(rnd() * len(pool))]
            if conv_opp < 0 <= conv_account:
                conv_account = self._same_crm_account(conv_account, owner)
            if conv_account >= 0:
                first_c, end_c = self.acct_contact_start[conv_account], self.acct_contact_start[conv_account + 1]
                conv_contact = first_c + int(rnd() * (end_c - first_c))
            touches = self._lead_touches(rng, j, owner, created, inbound, conv_ts, touch_cap)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            company = company_name(conv_account) if conv_opp >= 0 else company_name(self.n_accounts + j)
            title, _ = TITLES.pick(rnd)
            country, _, _, region = COUNTRIES[COUNTRY_PICK.pick(rnd)]
            if converted:
                status = "closed_converted"
            elif not touches:
                status = "open_not_contacted"
            elif created < EXPORT_TS - 45 * DAY and rnd() < 0.7:
                status = "closed_not_converted"
            else:
                status = "working"
            yield (
                Lead(
                    index=j,
                    owner=owner,
                    first_name=first,
                    last_name=last,
                    email=f"{email_local(first, last)}@{domain_of(company)}",
                    phone=f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                    company=company,
                    title=title,
                    industry=INDUSTRIES.pick(rnd),
                    employees=int(log_uniform(rng, 5, 20_000)),
                    country=country,
                    region=region,
                    source=source,
                    status=status,
                    created_ts=created,
                    converted_account=conv_account,
                    converted_contact=conv_contact,
                    converted_opportunity=conv_opp,
                    converted_day=conv_ts // DAY if converted else -1,
                ),
                touches,
            )

    def _lead_touches(
        self, rng: random.Random, lead: int, owner: int, created: int, inbound: bool, conv_ts: int, cap: int
    ) -> list[Activity]:
        rnd = rng.random
        rep = self.users[owner]
        if inbound:  # minutes to days, heavy tail; some inbound leads are never followed up
            never = rnd() < 0.08
            delay = int(60 * min(30 * 24 * 60.0, max(1.0, rng.lognormvariate(math.log(90), 1.7) * rep.speed)))
        else:  # list/event/outbound leads get worked in batches, days later
            never = rnd() < 0.2
            delay = int(rng.uniform(0.5, 20) * DAY)
        if never:
            return []
        first = created + delay
        deadline = EXPORT_TS if conv_ts < 0 else conv_ts
        if first >= deadline:
            if conv_ts < 0:
                return []  # the touch had not happened by the export
            first = created + max(60, int((conv_ts - created) * rng.uniform(0.1, 0.5)))
        times = [first]
        for _ in range(int(rnd() * rnd() * 5)):  # 0-4 follow-ups, fewer more likely
            nxt = times[-1] + int(rng.uniform(1, 5) * DAY)
            if nxt >= deadline:
                break
            times.append(nxt)
        touches = []
        for ts in times:
            if self.lead_touches >= cap:
                break
            channel = "call" if rnd() < 0.5 else ("email" if rnd() < 0.9 else "linkedin")
            touches.append(self._touch(rng, rep, channel, ts, -1, lead, -1, -1, can_be_open=False))
            self.lead_touches += 1
        return touches

    # ---- account activities ------------------------------------------------------------------------
    # A rep's month: a focus set of the book worked to the threshold of the rep's book, some accounts
    # touched lightly, the rest left alone, and a touch before every deal created on the book. How much
    # of the book a rep covers depends on the rep (effort, trait), the month (season) and what one rep
    # can log in a month, so small books get worked and a book far too big cannot be.
    @staticmethod
    def judged_book(rep: User) -> tuple[str, str]:
        """The (rep_role, segment) whose threshold the build applies to the rep's accounts."""
        return DEFAULT_BOOK if rep.rep_role not in REP_ROLES else (rep.rep_role, rep.segment)

    def _workable_from(self, account: int, first: int) -> int:
        """First day of a month the account can be worked (a new logo a few days after it was created)."""
        created = self.acct_created_day[account]
        return max(first, created + 3) if created >= 0 else first

    def _open_in(self, account: int, start_ts: int, end_ts: int) -> bool:
        return any(self.opp_created[o] < end_ts and self.opp_end[o] >= start_ts
                   for o in range(self.acct_opp_start[account], self.acct_opp_start[account + 1]))

    def _plan_rep(self, rep: User) -> list[MonthPlan]:
        """The rep's twelve month plans, from the rep's own plan stream (same plan on every call)."""
        rng = random.Random(self._plan_seed_base + rep.index)
        rnd = rng.random
        min_acts, min_contacts = MONTH_THRESHOLDS[self.judged_book(rep)]
        coverage = BASE_COVERAGE * rep.effort * rng.uniform(0.75, 1.3)
        coverage *= TRAIT_COVERAGE.get(rep.trait, 1.0)
        coverage = min(MAX_COVERAGE, max(0.05, coverage))
        reach = rng.uniform(*LIGHT_REACH)
        light_max = max(1, min(MAX_LIGHT_TOUCHES, min_acts - 1))  # light never reaches the threshold
        hi_day = min(rep.active_until_day, LAST_DAY)
        book = range(rep.book_start, rep.book_end)
        attention = []  # lasting interest: hot accounts and deals draw it, heavy-tailed; some ignored
        for a in book:
            has_opp = self.acct_opp_start[a + 1] > self.acct_opp_start[a]
            neglected = rnd() < 0.25 and not has_opp
            score = max(self.acct_score[a], 0)
            weight = (score + 10) ** 1.2 * rng.paretovariate(1.2) * (2.5 if has_opp else 1)
            attention.append(0.0 if neglected else weight)
        plans = []
        for m, (first, last) in enumerate(MONTHS):
            stop = min(last, hi_day)
            deals = [  # deals created this month while the rep was there (older ones predate the window)
                o for a in book for o in range(self.acct_opp_start[a], self.acct_opp_start[a + 1])
                if max(first * DAY, 1) <= self.opp_created[o] < min(last, hi_day) * DAY + DAY
            ]
            eligible = [a for a in book if self._workable_from(a, first) <= stop]
            if not eligible:
                plans.append(MonthPlan(m, deals, [], [], [], len(deals), 0))
                continue
            season = SEASON[m]
            capacity = (MONTHLY_CAPACITY[rep.rep_role] * min(1.6, max(0.8, rep.effort)) * season
                        * (stop - first + 1) / (last - first + 1))
            share = min(0.95, coverage * season * rng.lognormvariate(0.0, 0.2))
            wanted = int(share * len(eligible) + rnd())
            ranked = []
            for a in eligible:
                weight = attention[a - rep.book_start] * rng.lognormvariate(0.0, 0.5)
                if self._open_in(a, first * DAY, (last + 1) * DAY):
                    weight *= 3.0  # a live deal: this month's priority
                if self.acct_contact_start[a + 1] - self.acct_contact_start[a] < min_contacts:
                    weight *= 0.4  # too few known contacts to multi-thread
                ranked.append((weight, a))
            ranked.sort(reverse=True)
            focus, spent = [], 0
            for weight, a in ranked[:wanted]:
                qualifying = math.ceil(min_acts * rng.uniform(*FOCUS_MARGIN))
                side = int(qualifying * rng.uniform(*SIDE_WORK))
                if weight <= 0 or spent + qualifying + side > FOCUS_SHARE * capacity:
                    break
                focus.append([a, qualifying, side])
                spent += qualifying + side
            rest = ranked[len(focus):]
            light = []
            for weight, a in rest[: int(reach * season * len(rest) + rnd())]:
                touches = 1 + int(rnd() ** 2 * light_max)
                if weight <= 0 or spent + touches > capacity:
                    break
                light.append([a, touches])
                spent += touches
            spare = [a for _, a in rest[len(light):]]
            plans.append(MonthPlan(m, deals, focus, light, spare, len(deals) + spent, len(eligible)))
        return plans

    def activity_budgets(self, total: int) -> list[tuple[User, int]]:
        """Split the account-activity target over reps by the size of their month plans."""
        reps = [r for r in self.reps if r.book_end > r.book_start]
        costs, workable = [], []
        for rep in reps:
            plans = self._plan_rep(rep)
            costs.append(sum(p.cost for p in plans))
            workable.append(sum(p.eligible for p in plans))
        return list(zip(reps, apportion(total, costs if any(costs) else workable)))

    def iter_rep_activities(self, total: int) -> Iterator[Activity]:
        for rep, budget in self.activity_budgets(total):
            if budget:
                yield from self._rep_activities(rep, budget)

    def _rep_activities(self, rep: User, budget: int) -> Iterator[Activity]:
        """Exactly `budget` activities: the rep's month plans, each fitted to its share of the budget."""
        rng = random.Random(self._work_seed_base + rep.index)
        plans = self._plan_rep(rep)
        weights = [p.cost for p in plans]
        if not any(weights):
            weights = [p.eligible for p in plans]
        hi_day = min(rep.active_until_day, LAST_DAY)
        min_contacts = MONTH_THRESHOLDS[self.judged_book(rep)][1]
        for plan, month_budget in zip(plans, apportion(budget, weights)):
            if not month_budget:
                continue
            first, last = MONTHS[plan.month]
            stop = min(last, hi_day)
            deals, focus, light = self._fit(plan, month_budget)
            for o, count in deals:
                a = self.opp_account[o]
                created = self.opp_created[o]
                earliest = max(0, self.acct_created_day[a] * DAY, created - 21 * DAY)
                for _ in range(count):
                    ts = created - 1 - int((created - earliest) * rng.random())
                    yield self._account_activity(rng, rep, a, ts)
            for a, qualifying, side in focus:
                yield from self._focus_work(rng, rep, a, self._workable_from(a, first), stop, qualifying, side,
                                            min_contacts)
            for a, touches in light:
                lo = self._workable_from(a, first)
                for _ in range(touches):
                    yield self._account_activity(rng, rep, a, self._work_time(rng, lo, stop))

    @staticmethod
    def _fit(plan: MonthPlan, budget: int) -> tuple[list[list[int]], list[list[int]], list[list[int]]]:
        """Scale a month plan to exactly `budget` activities: with less, the rep works fewer accounts
        (the last one partly); with more, the extra goes to the accounts being worked."""
        deals = [[o, 1] for o in plan.deals[:budget]]
        left = budget - len(deals)
        focus = [list(item) for item in plan.focus]
        light = [list(item) for item in plan.light]
        focus_cost = sum(q + s for _, q, s in focus)
        light_cost = sum(n for _, n in light)
        if left < focus_cost + light_cost:
            focus_budget = left * focus_cost // (focus_cost + light_cost)
            kept, used = [], 0
            for item in focus:
                if used + item[1] + item[2] > focus_budget:
                    break
                kept.append(item)
                used += item[1] + item[2]
            dropped, focus, left = focus[len(kept):], kept, left - used
            kept, used = [], 0
            for item in light:
                if used + item[1] > left:
                    break
                kept.append(item)
                used += item[1]
            left -= used
            if left and dropped:  # started on the next focus account, did not finish it
                focus.append([dropped[0][0], left, 0])
                left = 0
            elif left and len(kept) < len(light):  # one more account touched, a little more
                kept.append([light[len(kept)][0], left])
                left = 0
            light = kept
        else:
            left -= focus_cost + light_cost
        if left:
            if not focus and not light and plan.spare:
                light = [[a, 0] for a in plan.spare]
            targets = focus or light or deals
            if not targets:
                raise AssertionError("an activity budget was given to a month without workable accounts")
            each, extra = divmod(left, len(targets))
            for i, item in enumerate(targets):
                item[1] += each + (1 if i < extra else 0)
        return deals, focus, [item for item in light if item[1]]

    def _focus_work(self, rng: random.Random, rep: User, account: int, lo: int, hi: int, qualifying: int, side: int,
                    min_contacts: int) -> Iterator[Activity]:
        """A focus account's month: threshold channels over several contacts, plus side work."""
        rnd = rng.random
        first_c = self.acct_contact_start[account]
        n_c = self.acct_contact_start[account + 1] - first_c
        threads = rng.sample(range(first_c, first_c + n_c), min(n_c, min_contacts + int(rnd() * 3)))
        mix = FOCUS_MIX[rep.rep_role]
        for i in range(qualifying + side):
            # every engaged contact first, then a few of them get most of the attention
            contact = threads[i] if i < len(threads) else threads[int(len(threads) * rnd() ** 1.5)]
            channel = mix.pick(rnd) if i < qualifying else SIDE_MIX[rep.rep_role].pick(rnd)
            if channel == "event":
                day = self._work_day(rng, lo, hi)
                start = day * DAY + 8 * HOUR + int(rnd() * 20) * 1_800  # on the hour or half hour
                booked = start - DAY - int(rnd() ** 2 * 20 * DAY) - int(rnd() * 8 * HOUR)
                booked = min(max(booked, max(0, self.acct_created_day[account] + 1) * DAY), start - 1_800)
                yield self._meeting(rng, rep, contact, account, self._open_opp(rng, account, start), booked, start)
                continue
            ts = self._work_time(rng, lo, hi)
            opp = self._open_opp(rng, account, ts)
            if channel == "booked":
                yield self._meeting(rng, rep, contact, account, opp, ts)
            else:
                yield self._touch(rng, rep, channel, ts, contact, -1, account, opp)

    @staticmethod
    def _work_day(rng: random.Random, lo: int, hi: int) -> int:
        """A day in [lo, hi], mostly a weekday."""
        day = lo + int((hi - lo + 1) * rng.random())
        wd = weekday(day)
        if wd >= 5 and rng.random() < 0.9:  # little weekend work
            if day - (wd - 4) >= lo:
                day -= wd - 4
            elif day + (7 - wd) <= hi:
                day += 7 - wd
        return day

    def _work_time(self, rng: random.Random, lo: int, hi: int) -> int:
        return self._work_day(rng, lo, hi) * DAY + 25_200 + int(rng.random() * 43_200)  # 07:00-19:00 UTC

    def _open_opp(self, rng: random.Random, account: int, ts: int) -> int:
        """A deal of the account open at `ts` the activity is logged against (or -1)."""
        for o in range(self.acct_opp_start[account], self.acct_opp_start[account + 1]):
            if self.opp_created[o] <= ts <= self.opp_end[o] and rng.random() < 0.55:
                return o
        return -1

    def _account_activity(self, rng: random.Random, rep: User, account: int, ts: int) -> Activity:
        rnd = rng.random
        first_c = self.acct_contact_start[account]
        n_c = self.acct_contact_start[account + 1] - first_c
        contact = first_c + int(n_c * rnd() ** 1.6)  # a few contacts get most of the attention
        opp = self._open_opp(rng, account, ts)
        channel = CHANNEL_MIX[rep.rep_role].pick(rnd)
        if channel == "booked":
            return self._meeting(rng, rep, contact, account, opp, ts)
        return self._touch(rng, rep, channel, ts, contact, -1, account, opp)

    def _touch(
        self, rng: random.Random, rep: User, channel: str, ts: int, contact: int, lead: int, account: int, opp: int,
        can_be_open: bool = True,
    ) -> Activity:
        """A task: a call, email, LinkedIn step, text, logged meeting or to-do."""
        rnd = rng.random
        variant, outcome, duration, step = "", "", 0, 0
        open_share = 0.03
        if channel == "call":
            if rnd() < 0.07:
                variant, outcome = "inbound", INBOUND_CALL_OUTCOME.pick(rnd)
            else:
                variant, outcome = "outbound", OUTBOUND_CALL_OUTCOME.pick(rnd)
            low, high = CALL_SECONDS[outcome]
            duration = low + int((high - low) * rnd())
        elif channel == "email":
            variant = EMAIL_VARIANT[rep.rep_role].pick(rnd)
            if variant == "cadence":
                step, open_share = 1 + int(rnd() * 6), 0.08
        elif channel == "meeting":
            duration = MEETING_MINUTES.pick(rnd)
        elif channel == "other":
            variant, open_share = ("todo" if rnd() < 0.6 else "other"), 0.3
        if can_be_open and rnd() < open_share:  # open: ts is the due date, possibly past the export
            status = OPEN_TASK_STATUS.pick(rnd)
            ts += int(rnd() * 10) * DAY
            created = min(ts - int(rnd() * 7 * DAY) - 60, EXPORT_TS - 60)
        else:
            status = "completed"
            logged_later = channel in ("meeting", "other")
            created = ts - (int(rnd() * 5 * DAY) if logged_later else int(rnd() * 180))
        return Activity("task", channel, variant, rep.index, contact, lead, account, opp, created, ts, status,
                        outcome, duration, step)

    def _meeting(self, rng: random.Random, rep: User, contact: int, account: int, opp: int, booked: int,
                 start: int = -1) -> Activity:
        """An event booked at `booked`, held at `start` or else 1-21 days later (future ones have no
        outcome yet)."""
        rnd = rng.random
        if start < 0:
            day = booked // DAY + 1 + int(20 * rnd() ** 2)
            wd = weekday(day)
            if wd >= 5:
                day += 7 - wd
            start = day * DAY + 8 * HOUR + int(rnd() * 20) * 1_800  # on the hour or half hour, 08:00-17:30
        duration = MEETING_MINUTES.pick(rnd)
        if start <= EXPORT_TS:
            r = rnd()
            status = "completed" if r < 0.77 else ("no_show" if r < 0.87 else ("canceled" if r < 0.95 else ""))
        else:
            status = ""  # scheduled after the export: outcome unknown
        return Activity("event", "meeting", "", rep.index, contact, -1, account, opp, booked, start, status, "",
                        duration, 0)

    # ---- quotas ------------------------------------------------------------------------------------
    def quotas(self) -> Iterator[QuotaRow]:
        """Quota per active AE/AM and period: one target per role and segment (what such a rep wins on
        average), so skill decides attainment. The lean winner is guaranteed to beat it with little
        activity and the busy rep to miss it with lots."""
        rng = random.Random(self._seeds["quota"])
        won: dict[int, float] = {}
        for o in range(self.n_opportunities):
            if self.opp_outcome[o] == OUTCOME_WON and self.opp_amount[o] > 0:
                won[self.opp_owner[o]] = won.get(self.opp_owner[o], 0.0) + self.opp_amount[o]
        carriers = [r for r in self.reps if r.rep_role in ("AE", "AM") and r.is_active]
        peers: dict[tuple[str, str], list[float]] = {}
        for rep in carriers:
            peers.setdefault((rep.rep_role, rep.segment), []).append(won.get(rep.index, 0.0))
        months = [month_start_day(2025 + (10 + m) // 12, (10 + m) % 12 + 1) for m in range(12)]
        quarters = [month_start_day(2026, m) for m in (1, 4, 7, 10)]
        for rep in carriers:
            group = peers[(rep.rep_role, rep.segment)]
            monthly = sum(group) / len(group) / 12 * rng.uniform(0.85, 1.15)
            if monthly <= 0:
                monthly = MONTHLY_QUOTA_FLOOR[rep.segment]
            own = won.get(rep.index, 0.0) / 12
            if rep.trait == "lean_winner":
                monthly = min(monthly, own * 0.65) if own > 0 else monthly
            elif rep.trait == "busy_misser":
                monthly = max(monthly, own * 2.0)
            quarterly = rep.segment in ("Enterprise", "Strategic") or rep.rep_role == "AM"
            for start in quarters if quarterly else months:
                amount = round_to(monthly * (3 if quarterly else 1), 1_000)
                yield QuotaRow(rep.index, start, "quarter" if quarterly else "month", amount, rep.segment)


# ------------------------------------------------------------------------------------------------
# The Salesforce rendering
# ------------------------------------------------------------------------------------------------
OBJECTS = ("user", "user_role", "account", "contact", "lead", "task", "event", "opportunity",
           "opportunity_history", "quota")
# The big objects are written as `<name>.csv.gz` unless --no-gzip (the build reads .csv, .csv.gz and
# .parquet). A fixed level keeps the bytes the same from run to run.
COMPRESSED_OBJECTS = ("task", "event")
GZIP_LEVEL = 6
KEY_PREFIX = {"user": "005", "user_role": "00E", "account": "001", "contact": "003", "lead": "00Q",
              "task": "00T", "event": "00U", "opportunity": "006", "opportunity_history": "008"}
# Custom fields real orgs carry that the contract does not ask for (they must be ignored).
EXTRA_COLUMNS = {
    "user": ("region_c", "employee_number_c"),
    "user_role": ("legacy_id_c",),
    "account": ("region_c", "legacy_id_c", "tier_c"),
    "contact": ("linkedin_url_c", "legacy_id_c"),
    "lead": ("utm_campaign_c", "region_c"),
    "task": ("sequence_name_c", "sequence_step_c"),
    "event": ("meeting_type_c",),
    "opportunity": ("region_c", "competitor_c"),
    "opportunity_history": ("legacy_id_c",),
    "quota": ("team_c",),
}
TRUE, FALSE = "true", "false"
LEAD_STATUS = {"open_not_contacted": "Open - Not Contacted", "working": "Working - Contacted",
               "closed_converted": "Closed - Converted", "closed_not_converted": "Closed - Not Converted"}
TASK_STATUS = {"completed": "Completed", "not_started": "Not Started", "in_progress": "In Progress",
               "deferred": "Deferred"}
EVENT_STATUS = {"completed": "Completed", "no_show": "No Show", "canceled": "Canceled", "": None}
# (type spelling, task_subtype); None = empty. The same channel arrives spelled many ways.
TASK_TYPE = {
    "call": Weighted([(("Call", "Call"), 46), (("call", "Call"), 8), (("Outbound Call", "Call"), 14),
                      (("Cold Call", "Call"), 8), ((None, "Call"), 14), (("Call", "Task"), 10)]),
    "email": Weighted([("Email", 55), ("email", 10), ("E-mail", 10), (None, 25)]),
    "linkedin": Weighted([(("LinkedIn", "LinkedIn"), 45), (("LinkedIn InMail", "LinkedIn"), 25),
                          (("LI", "Task"), 15), ((None, "LinkedIn"), 15)]),
    "sms": Weighted([(("SMS", "Task"), 60), (("Text Message", "Task"), 40)]),
    "meeting": Weighted([(("Meeting", "Task"), 100)]),
    "todo": Weighted([(("To Do", "Task"), 100)]),
    "other": Weighted([(("Other", "Task"), 100)]),
}
EMAIL_SUBTYPE = {"single": "Email", "list": "ListEmail", "cadence": "Cadence"}
SUBJECTS = {
    "call": ("Call", "Call: intro", "Follow-up call", "Discovery call", "Check-in call"),
    "email": ("Email: Quick question", "Email: Following up", "Email: Intro", "Re: pricing", "Email: Next steps"),
    "list": ("Newsletter: product update", "Webinar invitation", "Customer event invite"),
    "linkedin": ("LinkedIn InMail", "LinkedIn message", "Connection request"),
    "sms": ("Text message", "SMS follow-up"),
    "meeting": ("Meeting: Discovery", "Demo", "QBR", "Meeting: Onsite"),
    "todo": ("Send proposal", "Prepare QBR", "Update opportunity", "Follow up"),
    "other": ("Research account", "Internal sync", "Send letter"),
    "event": ("Discovery call", "Product demo", "QBR", "Intro meeting", "Technical deep dive", "Pricing review"),
}
SEQUENCES = {"SMB": "SMB Cold Outreach", "Mid-Market": "Mid-Market Multi-Thread", "Enterprise": "Enterprise ABM",
             "Strategic": "Strategic Exec Outreach", "": "Inbound Follow-up"}
MEETING_TYPES = ("Discovery", "Demo", "QBR", "Onsite", "Negotiation")
COMPETITORS = ("", "", "Contoso", "Initech", "Globex", "Umbrella")
INVALID_TIMESTAMPS = ("2026-13-45 25:61:00", "2026-02-30T10:00:00.000+0000", "0000-00-00 00:00:00",
                      "2026-06-31 24:00:00", "31/04/2026 9:00")
UNKNOWN_STAGE = "Legal Review"
UNKNOWN_TYPE = "Fax"
OFFSETS_MINUTES = (120, -300, 330, 60, -480, 540, -240)

# Export dirt: per object, mutually exclusive kinds drawn once per record (so each kind's count is
# exact and reconcilable), at small deterministic rates. User, role and quota files stay clean.
DIRT_RATES = {
    "account": (("duplicate", 0.015), ("deleted", 0.01), ("null_owner", 0.01)),
    "contact": (("duplicate", 0.01), ("deleted", 0.01), ("fivetran_deleted", 0.005)),
    "lead": (("duplicate", 0.01), ("fivetran_deleted", 0.005)),
    "task": (("duplicate", 0.015), ("deleted", 0.01), ("fivetran_deleted", 0.003), ("orphan_key", 0.01),
             ("orphan_only", 0.002), ("unlinked", 0.002), ("null_owner", 0.003), ("future_completed", 0.002),
             ("unknown_type", 0.003), ("invalid_timestamp", 0.001)),
    "event": (("duplicate", 0.015), ("deleted", 0.01), ("orphan_key", 0.01), ("orphan_only", 0.002),
              ("unlinked", 0.002), ("null_owner", 0.003), ("invalid_timestamp", 0.0015)),
    "opportunity": (("duplicate", 0.015), ("deleted", 0.01), ("negative_amount", 0.01), ("unknown_stage", 0.015)),
}
TIMESTAMP_FORMAT_RATES = {"plain": 0.07, "offset": 0.03}  # the rest use the API format
DIRT_DEFINITIONS = {
    "duplicates": "Extra rows from a re-sync: the same id twice; the later copy has a newer system_modstamp "
                  "and _fivetran_synced and differs in a field. rows - distinct ids.",
    "deleted": "Rows with is_deleted = true (soft-deleted in Salesforce).",
    "fivetran_deleted": "Rows with _fivetran_deleted = true.",
    "null_owner": "Rows with an empty owner_id.",
    "orphan_key": "Activities where one of who_id/what_id/account_id points at an id that exists in no file, "
                  "but another key still resolves (a valid contact, lead, opportunity or account).",
    "orphan_only": "Activities whose every non-empty key points at an id that exists in no file.",
    "unlinked": "Activities with empty who_id, what_id and account_id.",
    "future_completed": "Completed tasks whose completed_date_time (and activity_date) is after the export.",
    "unknown_type": "Tasks with type 'Fax' and an empty task_subtype.",
    "invalid_timestamp": "Unparseable values: task completed_date_time, event start_date_time.",
    "negative_amount": "Opportunities whose amounts (and their history rows' amounts) are negative.",
    "unknown_stage": "Opportunity: current stage 'Legal Review'; history: rows with stage 'Legal Review'.",
    "unknown_stage_history_only": "Closed opportunities that passed through 'Legal Review' (history only).",
    "offset_timestamp_rows": "Rows whose timestamps are rendered with a non-zero UTC offset (same instant).",
    "plain_timestamp_rows": "Rows whose timestamps have no offset (`YYYY-MM-DD HH:MM:SS`, UTC).",
    "account_id_blank": "Activities with an empty account_id that resolve through who_id or what_id (not dirt).",
    "completed_without_completed_date_time": "Completed tasks without completed_date_time (not dirt).",
}


def sf_id(prefix: str, index: int) -> str:
    """An 18-character Salesforce-like id: key prefix + zero-padded counter (index 0 -> ...001)."""
    return f"{prefix}{index + 1:015d}"


class ContractError(Exception):
    """The sources YAML cannot be used as the export contract."""


def load_contract(path: Path, source_name: str = "salesforce",
                  objects: Sequence[str] = OBJECTS) -> dict[str, list[str]]:
    """Object name -> contract columns in YAML order, from a sources YAML (Salesforce or HubSpot)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContractError(f"cannot read the export contract {path}: {error}") from error
    for source in (document or {}).get("sources", []):
        if source.get("name") == source_name:
            contract = {t["name"]: [c["name"] for c in t.get("columns", [])] for t in source.get("tables", [])}
            missing = [name for name in objects if name not in contract]
            if missing:
                raise ContractError(f"{path} has no table(s) {', '.join(missing)} in source '{source_name}'")
            return contract
    raise ContractError(f"{path} has no source named '{source_name}'")


class ObjectFile:
    """One object's CSV: header = contract columns (YAML order) + extra custom columns.

    Producers hand rows as tuples in the order of the object's `fields`, ending with an empty
    sentinel; a contract column the generator has no value for is written empty. A gzip file
    (`<name>.csv.gz`) has deterministic bytes: no file name and mtime 0 in its header, fixed level.
    """

    def __init__(self, out_dir: Path, name: str, contract_columns: list[str], fields: Sequence[str],
                 log: Callable[[str], None] | None = None, compress: bool = False,
                 extras: Sequence[str] | None = None) -> None:
        extras = list(EXTRA_COLUMNS[name] if extras is None else extras)
        clash = [c for c in extras if c in contract_columns]
        if clash:
            raise ContractError(f"extra column(s) {clash} of '{name}' are now in the contract; rename them")
        self.name = name
        self.path = out_dir / (f"{name}.csv.gz" if compress else f"{name}.csv")
        self.header = list(contract_columns) + extras
        position = {f: i for i, f in enumerate(fields)}
        self.unfilled = [c for c in self.header if c not in position]
        self._project = itemgetter(*[position.get(c, len(fields)) for c in self.header])
        self._raw: IO[bytes] | None = None
        if compress:
            self._raw = open(self.path, "wb", buffering=1 << 20)
            packed = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=GZIP_LEVEL)
            self._handle: IO[str] = io.TextIOWrapper(io.BufferedWriter(packed, 1 << 20), encoding="utf-8",
                                                     newline="")
        else:
            self._handle = open(self.path, "w", newline="", encoding="utf-8", buffering=1 << 20)
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(self.header)
        self.rows = 0
        self.ids = 0  # distinct records (rows minus re-sync duplicates)
        self._log = log  # periodic progress on big runs
        self.dirt: dict[str, int] = {}

    def write(self, values: Sequence) -> None:
        self._writer.writerow(self._project(values))
        self.rows += 1
        if self.rows % PROGRESS_EVERY == 0 and self._log is not None:
            self._log(f"  {self.path.name}: {self.rows:,} rows so far")

    def count(self, kind: str, n: int = 1) -> None:
        self.dirt[kind] = self.dirt.get(kind, 0) + n

    def close(self) -> None:
        self._handle.close()  # flushes and ends the gzip stream; GzipFile leaves its file open
        if self._raw is not None:
            self._raw.close()


class DirtDraw:
    """Draws at most one dirt kind per record with fixed rates."""

    def __init__(self, rates: Sequence[tuple[str, float]]) -> None:
        self.kinds = [kind for kind, _ in rates]
        self.cum = list(accumulate(rate for _, rate in rates))

    def draw(self, r: float) -> str | None:
        i = bisect_right(self.cum, r)
        return self.kinds[i] if i < len(self.kinds) else None


class ExportWriter:
    """What every CRM writer shares: its own random stream, the users (teams) its export holds, its
    dirt draws, the object files it opens and closes, the ELT tool's sync times and activity progress.
    A subclass names its CRM, random-stream salt, dirt rates, compressed objects and the objects
    whose rows are activities (they report progress per activity rather than per file)."""

    CRM: str
    RNG_SALT: int
    DIRT_RATES: dict[str, Any]
    COMPRESSED: tuple[str, ...]
    ACTIVITY_OBJECTS: tuple[str, ...]
    ACTIVITY_LABEL: str

    def __init__(self, company: Company, contract: dict[str, list[str]], out_dir: Path, seed: int,
                 log: Callable[[str], None], compress: bool = True) -> None:
        self.company = company
        self.compress = compress
        self.contract = contract
        self.out_dir = out_dir
        self.log = log
        self.rng = random.Random(random.Random(seed).getrandbits(64) ^ self.RNG_SALT)  # writer's own stream
        self.rnd = self.rng.random
        self.files: dict[str, ObjectFile] = {}
        self._dirt = {name: DirtDraw(rates) for name, rates in self.DIRT_RATES.items()}
        self._mine = [crm == self.CRM for crm in company.user_crm]  # the users (teams) this export holds
        self._activities_written = 0

    def _extra_columns(self, name: str) -> Sequence[str] | None:
        """Columns outside the contract written into the file (None: the default extras)."""
        return None

    def _open(self, name: str, fields: Sequence[str]) -> ObjectFile:
        row_log = None if name in self.ACTIVITY_OBJECTS else self.log
        handle = ObjectFile(self.out_dir, name, self.contract[name], list(fields), row_log,
                            compress=self.compress and name in self.COMPRESSED, extras=self._extra_columns(name))
        if handle.unfilled:
            self.log(f"  note: {name}: no generator for contract column(s) {', '.join(handle.unfilled)}; "
                     "written empty")
        self.files[name] = handle
        return handle

    def _close(self, handle: ObjectFile) -> None:
        handle.close()
        handle.ids = handle.rows - handle.dirt.get("duplicates", 0)
        self.log(f"  {handle.path.name:<30} {handle.rows:>12,} rows")

    def _synced(self, modstamp: int) -> int:
        """When the ELT tool picked the row up: shortly after its last change."""
        return min(EXPORT_TS, modstamp + 60 + int(self.rnd() * 6 * HOUR))

    def _progress(self) -> None:
        self._activities_written += 1
        if self._activities_written % PROGRESS_EVERY == 0:
            self.log(f"  {self.ACTIVITY_LABEL}: {self._activities_written:,} of {self.company.sizes.activities:,}")


class SalesforceWriter(ExportWriter):
    """Renders a `Company` as a Salesforce export folder (one file per contract object)."""

    CRM = "salesforce"
    RNG_SALT = 0x5A1E5F0CCE
    DIRT_RATES = DIRT_RATES
    COMPRESSED = COMPRESSED_OBJECTS
    ACTIVITY_OBJECTS = ("task", "event")
    ACTIVITY_LABEL = "activities"

    def __init__(self, company: Company, contract: dict[str, list[str]], out_dir: Path, seed: int,
                 log: Callable[[str], None], compress: bool = True) -> None:
        super().__init__(company, contract, out_dir, seed, log, compress)
        self._offset_formatters = [make_offset_formatter(m) for m in OFFSETS_MINUTES]
        self._user_ids = [sf_id(KEY_PREFIX["user"], u.index) for u in company.users]  # users exist already

    # ---- shared rendering ------------------------------------------------------------------------
    def _formatter(self, handle: ObjectFile) -> Callable[[int], str]:
        """Pick this row's timestamp rendering: mostly API format, some plain, a few offsets."""
        r = self.rnd()
        if r >= TIMESTAMP_FORMAT_RATES["plain"] + TIMESTAMP_FORMAT_RATES["offset"]:
            return ts_api
        if r < TIMESTAMP_FORMAT_RATES["plain"]:
            handle.count("plain_timestamp_rows")
            return ts_plain
        handle.count("offset_timestamp_rows")
        return self._offset_formatters[int(self.rnd() * len(self._offset_formatters))]

    def _write_stale(self, handle: ObjectFile, stale: Sequence, fmt: Callable[[int], str]) -> None:
        """Write a re-sync's older copy; it shares the row's timestamp format, so count that again."""
        if fmt is ts_plain:
            handle.count("plain_timestamp_rows")
        elif fmt is not ts_api:
            handle.count("offset_timestamp_rows")
        handle.write(stale)
        handle.count("duplicates")

    def _stale_time(self, created: int, modstamp: int, max_back: int) -> int:
        """system_modstamp of a re-sync's older copy: strictly before the current copy's."""
        return max(min(created, modstamp - 1), modstamp - 1 - int(self.rnd() * max_back))

    def _later(self, ts: int, max_seconds: int) -> int:
        return min(EXPORT_TS, ts + int(self.rnd() * max_seconds))

    def _orphan_id(self, prefix: str) -> str:
        """An id of the right shape that exists in no file (counter space above every real id)."""
        return f"{prefix}9{self.rng.randrange(10 ** 13, 10 ** 14):014d}"

    def user_id(self, index: int) -> str | None:
        return self._user_ids[index] if index >= 0 else None

    # ---- the whole export --------------------------------------------------------------------------
    def write_all(self) -> None:
        company = self.company
        self._write_roles()
        self._write_users()
        self._write_accounts()
        self._write_contacts()
        company.plan_opportunities()
        task = self._open("task", TASK_FIELDS)
        event = self._open("event", EVENT_FIELDS)
        self._write_leads(task, event, company.lead_touch_cap)
        for activity in company.iter_rep_activities(company.sizes.activities - company.lead_touches):
            if company.crm_of_activity(activity) == "salesforce":
                self._write_activity(task, event, activity)
        self._close(task)
        self._close(event)
        self._write_opportunities()
        self._write_quota()

    # ---- users and roles ---------------------------------------------------------------------------
    def _role_ids(self) -> dict[str, str]:
        return {name: sf_id(KEY_PREFIX["user_role"], i) for i, name in enumerate(ROLE_NAMES)}

    def _write_roles(self) -> None:
        handle = self._open("user_role", ROLE_FIELDS)
        ids = self._role_ids()
        for i, name in enumerate(ROLE_NAMES):
            if name == "VP Sales":
                parent = None
            elif name in ("Sales Manager", "Solutions Consultant"):
                parent = ids["VP Sales"]
            else:
                parent = ids["Sales Manager"]
            fmt = self._formatter(handle)
            modstamp = (-400 + 7 * i) * DAY + 10 * HOUR
            developer = "".join(ch if ch.isalnum() else "_" for ch in name)
            handle.write((ids[name], name, parent, developer, fmt(modstamp), fmt(self._synced(modstamp)), FALSE,
                          f"ROLE-{i + 1:03d}", ""))
        self._close(handle)

    def _write_users(self) -> None:
        handle = self._open("user", USER_FIELDS)
        role_ids = self._role_ids()
        for user in self.company.users:
            if not self._mine[user.index]:
                continue
            fmt = self._formatter(handle)
            modstamp = user.created_ts + 30 * DAY + int(self.rnd() * 300 * DAY)
            if not user.is_active:  # deactivated when they left
                modstamp = user.active_until_day * DAY + 17 * HOUR
            modstamp = min(modstamp, EXPORT_TS - DAY)
            email = f"{email_local(user.first_name, user.last_name)}{user.index}@brightlane.example"
            department = "Sales Engineering" if user.role_name == "Solutions Consultant" else "Sales"
            handle.write((
                self.user_id(user.index), user.name, email, role_ids[user.role_name], self.user_id(user.manager),
                user.title, department, TRUE if user.is_active else FALSE, fmt(user.created_ts), fmt(modstamp),
                fmt(self._synced(modstamp)), FALSE, "NA" if user.index % 3 else "EMEA", f"E{10_000 + user.index}",
                "",
            ))
        self._close(handle)

    # ---- accounts, contacts, leads -----------------------------------------------------------------
    def _write_accounts(self) -> None:
        handle = self._open("account", ACCOUNT_FIELDS)
        dirt = self._dirt["account"]
        prefix = KEY_PREFIX["account"]
        for acc in self.company.iter_accounts():
            if not self._mine[acc.owner]:
                continue
            kind = dirt.draw(self.rnd())
            fmt = self._formatter(handle)
            modstamp = self._later(max(acc.created_ts, -200 * DAY) + int(self.rnd() * 500 * DAY), 0)
            owner = None if kind == "null_owner" else self.user_id(acc.owner)
            score = acc.score if acc.score >= 0 else None
            row = [
                sf_id(prefix, acc.index), owner, acc.name, sf_id(prefix, acc.parent) if acc.parent >= 0 else None,
                "Customer" if acc.is_customer else "Prospect", acc.industry, acc.employees, acc.annual_revenue,
                acc.country, acc.state or None, acc.source, fmt(acc.created_ts), fmt(modstamp),
                TRUE if kind == "deleted" else FALSE, fmt(self._synced(modstamp)), FALSE, score, acc.region,
                f"ACC-{acc.index + 1:06d}", ("Tier 1" if acc.segment in ("Enterprise", "Strategic") else "Tier 2"), "",
            ]
            if kind == "duplicate":  # the older copy first, with another score
                stale = list(row)
                stale_mod = self._stale_time(acc.created_ts, modstamp, 30 * DAY)
                stale[ACCOUNT_FIELDS.index("system_modstamp")] = fmt(stale_mod)
                stale[ACCOUNT_FIELDS.index("_fivetran_synced")] = fmt(stale_mod + 30)
                stale[ACCOUNT_FIELDS.index("account_score_c")] = ((score or 0) + 17) % 101
                row[ACCOUNT_FIELDS.index("_fivetran_synced")] = fmt(max(self._synced(modstamp), stale_mod + 60))
                self._write_stale(handle, stale, fmt)
            elif kind:
                handle.count(kind)
            handle.write(row)
        self._close(handle)

    def _write_contacts(self) -> None:
        handle = self._open("contact", CONTACT_FIELDS)
        dirt = self._dirt["contact"]
        prefix, account_prefix = KEY_PREFIX["contact"], KEY_PREFIX["account"]
        for c in self.company.iter_contacts():
            if not self._mine[self.company.acct_owner[c.account]]:
                continue
            kind = dirt.draw(self.rnd())
            fmt = self._formatter(handle)
            modstamp = self._later(max(c.created_ts, -100 * DAY) + int(self.rnd() * 450 * DAY), 0)
            linkedin = f"https://www.linkedin.example/in/{email_local(c.first_name, c.last_name)}" \
                if self.rnd() < 0.4 else None
            row = [
                sf_id(prefix, c.index), sf_id(account_prefix, c.account), self.user_id(c.owner), c.first_name,
                c.last_name, f"{c.first_name} {c.last_name}", c.email, c.phone, c.title or None,
                c.department or None, c.lead_source, c.country, fmt(c.created_ts), fmt(modstamp),
                TRUE if kind == "deleted" else FALSE, fmt(self._synced(modstamp)),
                TRUE if kind == "fivetran_deleted" else FALSE, linkedin, f"CON-{c.index + 1:07d}", "",
            ]
            if kind == "duplicate":  # older copy: the title before a promotion/correction
                stale = list(row)
                stale_mod = self._stale_time(c.created_ts, modstamp, 30 * DAY)
                stale[CONTACT_FIELDS.index("system_modstamp")] = fmt(stale_mod)
                stale[CONTACT_FIELDS.index("_fivetran_synced")] = fmt(stale_mod + 30)
                stale[CONTACT_FIELDS.index("title")] = "Manager" if c.title else "Director"
                row[CONTACT_FIELDS.index("_fivetran_synced")] = fmt(max(self._synced(modstamp), stale_mod + 60))
                self._write_stale(handle, stale, fmt)
            elif kind:
                handle.count(kind)
            handle.write(row)
        self._close(handle)

    def _write_leads(self, task: ObjectFile, event: ObjectFile, touch_cap: int) -> None:
        handle = self._open("lead", LEAD_FIELDS)
        dirt = self._dirt["lead"]
        ids = {name: KEY_PREFIX[name] for name in ("lead", "account", "contact", "opportunity")}
        for lead, touches in self.company.iter_leads(touch_cap):
            if not self._mine[lead.owner]:
                continue
            kind = dirt.draw(self.rnd())
            fmt = self._formatter(handle)
            last_change = max([lead.created_ts] + [t.ts for t in touches])
            if lead.converted_day >= 0:
                last_change = max(last_change, lead.converted_day * DAY + 12 * HOUR)
            modstamp = self._later(last_change, 3 * DAY)
            converted = lead.converted_account >= 0
            row = [
                sf_id(ids["lead"], lead.index), fmt(lead.created_ts), self.user_id(lead.owner), lead.first_name,
                lead.last_name, f"{lead.first_name} {lead.last_name}", lead.email, lead.phone, lead.company,
                lead.title or None, lead.industry, lead.employees, lead.country, lead.source, LEAD_STATUS[lead.status],
                TRUE if converted else FALSE,
                sf_id(ids["account"], lead.converted_account) if converted else None,
                sf_id(ids["contact"], lead.converted_contact) if converted else None,
                sf_id(ids["opportunity"], lead.converted_opportunity) if lead.converted_opportunity >= 0 else None,
                day_str(lead.converted_day) if converted else None, fmt(modstamp), FALSE,
                fmt(self._synced(modstamp)), TRUE if kind == "fivetran_deleted" else FALSE,
                f"{lead.source.lower().replace(' ', '-')}-{lead.created_ts // (90 * DAY) + 4}" if self.rnd() < 0.6
                else None, lead.region, "",
            ]
            if kind == "duplicate":  # older copy: before it was worked
                stale = list(row)
                stale_mod = self._stale_time(lead.created_ts, modstamp, 10 * DAY)
                stale[LEAD_FIELDS.index("system_modstamp")] = fmt(stale_mod)
                stale[LEAD_FIELDS.index("_fivetran_synced")] = fmt(stale_mod + 30)
                if lead.status == "open_not_contacted":  # nothing happened yet: the title was corrected
                    stale[LEAD_FIELDS.index("title")] = "Unknown"
                else:
                    stale[LEAD_FIELDS.index("status")] = "Open - Not Contacted"
                stale[LEAD_FIELDS.index("is_converted")] = FALSE
                for column in ("converted_account_id", "converted_contact_id", "converted_opportunity_id",
                               "converted_date"):
                    stale[LEAD_FIELDS.index(column)] = None
                row[LEAD_FIELDS.index("_fivetran_synced")] = fmt(max(self._synced(modstamp), stale_mod + 60))
                self._write_stale(handle, stale, fmt)
            elif kind:
                handle.count(kind)
            handle.write(row)
            for touch in touches:
                self._write_activity(task, event, touch)
        self._close(handle)

    # ---- activities -------------------------------------------------------------------------------
    def _keys(self, a: Activity, kind: str | None, handle: ObjectFile) -> tuple[str | None, str | None, str | None]:
        """who_id, what_id, account_id of an activity, with the key dirt applied."""
        rnd = self.rnd
        if a.contact >= 0:
            who = sf_id("003", a.contact)
        elif a.lead >= 0:
            who = sf_id("00Q", a.lead)
        else:
            who = None
        if a.opportunity >= 0:
            what = sf_id("006", a.opportunity)
        elif a.account >= 0 and rnd() < 0.12:
            what = sf_id("001", a.account)
        else:
            what = None
        account = sf_id("001", a.account) if a.account >= 0 else None
        if kind == "unlinked":
            return None, None, None
        if kind == "orphan_only":
            return (self._orphan_id("003"), self._orphan_id("006") if rnd() < 0.5 else None,
                    self._orphan_id("001") if rnd() < 0.5 else None)
        if kind == "orphan_key":
            if account is not None and rnd() < 0.35 and who is not None:
                return who, what, self._orphan_id("001")  # a valid contact still resolves it
            if account is not None:
                return self._orphan_id("003"), what, account  # the account still resolves it
            return who, self._orphan_id("006"), account  # lead touch: the lead still resolves it
        if account is not None and rnd() < 0.1 and (who is not None or what is not None):
            handle.count("account_id_blank")  # Salesforce left it empty: resolve via who/what
            account = None
        return who, what, account

    def _write_activity(self, task: ObjectFile, event: ObjectFile, a: Activity) -> None:
        if a.kind == "task":
            self._write_task(task, a)
        else:
            self._write_event(event, a)
        self._progress()

    def _write_task(self, handle: ObjectFile, a: Activity) -> None:
        rnd = self.rnd
        kind = self._dirt["task"].draw(rnd())
        completed = a.status == "completed"
        if kind in ("future_completed", "invalid_timestamp") and not completed:
            kind = None  # only a completed task has a completion time to spoil
        fmt = self._formatter(handle)
        who, what, account = self._keys(a, kind, handle)
        channel = a.channel if a.channel != "other" else a.variant
        if kind == "unknown_type":
            type_, subtype = UNKNOWN_TYPE, None
        elif a.channel == "email":
            type_, subtype = TASK_TYPE["email"].pick(rnd), EMAIL_SUBTYPE[a.variant]
        else:
            type_, subtype = TASK_TYPE[channel].pick(rnd)
        subjects = SUBJECTS["list" if a.variant == "list" else channel]
        subject = subjects[int(rnd() * len(subjects))]
        done_ts = a.ts
        if kind == "future_completed":
            done_ts = EXPORT_TS + DAY + int(rnd() * 45 * DAY)
        if completed:
            if kind == "invalid_timestamp":
                completed_at = INVALID_TIMESTAMPS[int(rnd() * len(INVALID_TIMESTAMPS))]
            elif rnd() < 0.05 and kind != "future_completed":
                completed_at = None
                handle.count("completed_without_completed_date_time")
            else:
                completed_at = fmt(done_ts)
        else:
            completed_at = None
        modstamp = min(EXPORT_TS, max(a.created_ts, a.ts if completed else a.created_ts) + int(rnd() * 600))
        is_call = a.channel == "call" and kind != "unknown_type"
        sequence = SEQUENCES[self.company.users[a.owner].segment if a.lead < 0 else ""] if a.step else None
        row = [
            sf_id("00T", self._task_seq(handle)), None if kind == "null_owner" else self.user_id(a.owner),
            day_str(done_ts // DAY), TASK_STATUS[a.status], who, what, account, subject, type_, subtype,
            TRUE if completed else FALSE, completed_at, ("Inbound" if a.variant == "inbound" else "Outbound")
            if is_call else None, a.outcome if is_call else None, a.duration if is_call else None,
            fmt(a.created_ts), fmt(modstamp), TRUE if kind == "deleted" else FALSE, fmt(self._synced(modstamp)),
            TRUE if kind == "fivetran_deleted" else FALSE, sequence, a.step or None, "",
        ]
        if kind == "duplicate":
            self._write_stale_task(handle, row, a, fmt, modstamp, completed)
        elif kind:
            handle.count(kind)
        handle.write(row)

    def _task_seq(self, handle: ObjectFile) -> int:
        return handle.rows - handle.dirt.get("duplicates", 0)

    def _write_stale_task(self, handle: ObjectFile, row: list, a: Activity, fmt: Callable[[int], str],
                          modstamp: int, completed: bool) -> None:
        """The first sync of a re-synced task: still open (if it was completed later) or an older subject."""
        stale = list(row)
        stale_mod = max(a.created_ts - 1, min(a.created_ts + 30, modstamp - 120))
        new_mod = min(EXPORT_TS, max(modstamp, stale_mod + 60))
        if completed:
            stale[TASK_FIELDS.index("status")] = "Not Started"
            stale[TASK_FIELDS.index("is_closed")] = FALSE
            stale[TASK_FIELDS.index("completed_date_time")] = None
        else:
            stale[TASK_FIELDS.index("subject")] = "Draft: " + str(row[TASK_FIELDS.index("subject")])
        stale[TASK_FIELDS.index("system_modstamp")] = fmt(stale_mod)
        stale[TASK_FIELDS.index("_fivetran_synced")] = fmt(stale_mod + 30)
        row[TASK_FIELDS.index("system_modstamp")] = fmt(new_mod)
        row[TASK_FIELDS.index("_fivetran_synced")] = fmt(max(self._synced(new_mod), stale_mod + 90))
        self._write_stale(handle, stale, fmt)

    def _write_event(self, handle: ObjectFile, a: Activity) -> None:
        rnd = self.rnd
        kind = self._dirt["event"].draw(rnd())
        fmt = self._formatter(handle)
        who, what, account = self._keys(a, kind, handle)
        all_day = rnd() < 0.01
        start = (a.ts // DAY) * DAY if all_day else a.ts
        minutes = 1_440 if all_day else a.duration
        end = start + minutes * 60
        held = start <= EXPORT_TS
        modstamp = min(EXPORT_TS, (end + int(rnd() * 2 * DAY)) if held else a.created_ts + int(rnd() * 600))
        modstamp = max(modstamp, a.created_ts)
        subject = SUBJECTS["event"][int(rnd() * len(SUBJECTS["event"]))]
        row = [
            sf_id("00U", handle.rows - handle.dirt.get("duplicates", 0)),
            None if kind == "null_owner" else self.user_id(a.owner),
            INVALID_TIMESTAMPS[int(rnd() * len(INVALID_TIMESTAMPS))] if kind == "invalid_timestamp" else fmt(start),
            who, what, account, subject, "Meeting", "Event", fmt(end), day_str(start // DAY), minutes,
            TRUE if all_day else FALSE, fmt(a.created_ts), fmt(modstamp), TRUE if kind == "deleted" else FALSE,
            fmt(self._synced(modstamp)), FALSE, EVENT_STATUS[a.status], MEETING_TYPES[int(rnd() * 5)], "",
        ]
        if kind == "duplicate":  # first sync: booked, outcome not yet recorded (or an older subject)
            stale = list(row)
            stale_mod = max(a.created_ts - 1, min(a.created_ts + 30, modstamp - 120))
            new_mod = min(EXPORT_TS, max(modstamp, stale_mod + 60))
            if a.status:
                stale[EVENT_FIELDS.index("event_status_c")] = None
            else:
                stale[EVENT_FIELDS.index("subject")] = subject + " (tentative)"
            stale[EVENT_FIELDS.index("system_modstamp")] = fmt(stale_mod)
            stale[EVENT_FIELDS.index("_fivetran_synced")] = fmt(stale_mod + 30)
            row[EVENT_FIELDS.index("system_modstamp")] = fmt(new_mod)
            row[EVENT_FIELDS.index("_fivetran_synced")] = fmt(max(self._synced(new_mod), stale_mod + 90))
            self._write_stale(handle, stale, fmt)
        elif kind:
            handle.count(kind)
        handle.write(row)

    # ---- opportunities and their history -----------------------------------------------------------
    def _write_opportunities(self) -> None:
        handle = self._open("opportunity", OPPORTUNITY_FIELDS)
        history = self._open("opportunity_history", HISTORY_FIELDS)
        dirt = self._dirt["opportunity"]
        for opp in self.company.iter_opportunities():
            if not self._mine[self.company.acct_owner[opp.account]]:
                continue
            kind = dirt.draw(self.rnd())
            changes = list(opp.changes)
            if kind == "negative_amount":
                changes = [c._replace(amount=-c.amount) for c in changes]
            elif kind == "unknown_stage":
                changes = self._with_unknown_stage(changes)
                if changes[-1].stage >= 0:  # a closed deal that only passed through the stage
                    kind = "unknown_stage_history_only" if any(c.stage < 0 for c in changes) else None
            if kind and kind != "duplicate":
                handle.count(kind)
            self._write_history(history, opp, changes)
            self._write_opportunity(handle, opp, changes, kind)
        self._close(handle)
        self._close(history)

    def _with_unknown_stage(self, changes: list[StageChange]) -> list[StageChange]:
        """Open deals end up in 'Legal Review'; closed ones passed through it before closing."""
        last = changes[-1]
        if last.stage not in (WON_STAGE, LOST_STAGE):
            ts = min(EXPORT_TS - HOUR, last.ts + DAY + int(self.rnd() * 20 * DAY))
            return changes + [StageChange(max(ts, last.ts + 60), -1, last.amount, last.close_day, False)]
        before = changes[-2] if len(changes) > 1 else changes[0]
        ts = (before.ts + last.ts) // 2
        if ts <= before.ts:
            return changes
        legal = StageChange(ts, -1, before.amount, before.close_day, False)
        return changes[:-1] + [legal, last]

    @staticmethod
    def _stage_fields(stage: int) -> tuple[str, int, str, bool, bool]:
        """name, probability, forecast category, is_closed, is_won ('Legal Review' is stage -1)."""
        if stage < 0:
            return UNKNOWN_STAGE, 80, "Commit", False, False
        return STAGES[stage], STAGE_PROBABILITY[stage], FORECAST_CATEGORY[stage], stage >= WON_STAGE, \
            stage == WON_STAGE

    def _write_history(self, handle: ObjectFile, opp: Opportunity, changes: list[StageChange]) -> None:
        manager = self.company.users[opp.owner].manager
        for change in changes:
            fmt = self._formatter(handle)
            stage, probability, _, _, _ = self._stage_fields(change.stage)
            if change.stage < 0:
                handle.count("unknown_stage")
            by = manager if change.by_manager and manager >= 0 else opp.owner
            handle.write((
                sf_id("008", handle.rows), sf_id("006", opp.index), stage, fmt(change.ts), f"{change.amount}.00",
                day_str(change.close_day), probability, self.user_id(by), fmt(change.ts), FALSE,
                fmt(self._synced(change.ts)), FALSE, f"OH-{handle.rows + 1:08d}", "",
            ))

    def _write_opportunity(self, handle: ObjectFile, opp: Opportunity, changes: list[StageChange],
                           kind: str | None) -> None:
        fmt = self._formatter(handle)
        current = changes[-1]
        modstamp = self._later(current.ts, 2 * HOUR)
        region = COUNTRIES[opp.account % len(COUNTRIES)][3]
        competitor = COMPETITORS[int(self.rnd() * len(COMPETITORS))] or None

        def render(state: StageChange, mod: int, synced: int) -> tuple:
            stage, probability, forecast, closed, won = self._stage_fields(state.stage)
            return (
                sf_id("006", opp.index), sf_id("001", opp.account), self.user_id(opp.owner), stage,
                f"{state.amount}.00", day_str(state.close_day), fmt(changes[0].ts),
                f"{opp.name} - {'Renewal' if opp.is_existing_business else 'New Business'}",
                "Existing Business" if opp.is_existing_business else "New Business", opp.lead_source,
                TRUE if closed else FALSE, TRUE if won else FALSE, probability, forecast, fmt(mod),
                TRUE if kind == "deleted" else FALSE, fmt(synced), FALSE, region, competitor, "",
            )

        synced = self._synced(modstamp)
        if kind == "duplicate":  # the older copy holds the state before the last change
            previous = changes[-2] if len(changes) > 1 else changes[-1]._replace(amount=changes[-1].amount + 500)
            stale_mod = max(changes[0].ts, min(previous.ts + 60, modstamp - 120))
            self._write_stale(handle, render(previous, stale_mod, stale_mod + 30), fmt)
            modstamp = max(modstamp, stale_mod + 60)
            synced = max(synced, stale_mod + 90)
        handle.write(render(current, modstamp, synced))

    # ---- quota ----------------------------------------------------------------------------------------
    def _write_quota(self) -> None:
        handle = self._open("quota", QUOTA_FIELDS)
        for q in self.company.quotas():
            if not self._mine[q.user]:
                continue
            handle.write((self.user_id(q.user), day_str(q.period_start_day), q.period_type, q.amount, q.segment, ""))
        self._close(handle)


# Producer field order per object (tuples end with the empty sentinel that unfilled columns point at).
ROLE_FIELDS = ("id", "name", "parent_role_id", "developer_name", "system_modstamp", "_fivetran_synced",
               "_fivetran_deleted", "legacy_id_c")
USER_FIELDS = ("id", "name", "email", "user_role_id", "manager_id", "title", "department", "is_active",
               "created_date", "system_modstamp", "_fivetran_synced", "_fivetran_deleted", "region_c",
               "employee_number_c")
ACCOUNT_FIELDS = ("id", "owner_id", "name", "parent_id", "type", "industry", "number_of_employees",
                  "annual_revenue", "billing_country", "billing_state", "account_source", "created_date",
                  "system_modstamp", "is_deleted", "_fivetran_synced", "_fivetran_deleted", "account_score_c",
                  "region_c", "legacy_id_c", "tier_c")
CONTACT_FIELDS = ("id", "account_id", "owner_id", "first_name", "last_name", "name", "email", "phone", "title",
                  "department", "lead_source", "mailing_country", "created_date", "system_modstamp", "is_deleted",
                  "_fivetran_synced", "_fivetran_deleted", "linkedin_url_c", "legacy_id_c")
LEAD_FIELDS = ("id", "created_date", "owner_id", "first_name", "last_name", "name", "email", "phone", "company",
               "title", "industry", "number_of_employees", "country", "lead_source", "status", "is_converted",
               "converted_account_id", "converted_contact_id", "converted_opportunity_id", "converted_date",
               "system_modstamp", "is_deleted", "_fivetran_synced", "_fivetran_deleted", "utm_campaign_c",
               "region_c")
TASK_FIELDS = ("id", "owner_id", "activity_date", "status", "who_id", "what_id", "account_id", "subject", "type",
               "task_subtype", "is_closed", "completed_date_time", "call_type", "call_disposition",
               "call_duration_in_seconds", "created_date", "system_modstamp", "is_deleted", "_fivetran_synced",
               "_fivetran_deleted", "sequence_name_c", "sequence_step_c")
EVENT_FIELDS = ("id", "owner_id", "start_date_time", "who_id", "what_id", "account_id", "subject", "type",
                "event_subtype", "end_date_time", "activity_date", "duration_in_minutes", "is_all_day_event",
                "created_date", "system_modstamp", "is_deleted", "_fivetran_synced", "_fivetran_deleted",
                "event_status_c", "meeting_type_c")
OPPORTUNITY_FIELDS = ("id", "account_id", "owner_id", "stage_name", "amount", "close_date", "created_date", "name",
                      "type", "lead_source", "is_closed", "is_won", "probability", "forecast_category",
                      "system_modstamp", "is_deleted", "_fivetran_synced", "_fivetran_deleted", "region_c",
                      "competitor_c")
HISTORY_FIELDS = ("id", "opportunity_id", "stage_name", "created_date", "amount", "close_date", "probability",
                  "created_by_id", "system_modstamp", "is_deleted", "_fivetran_synced", "_fivetran_deleted",
                  "legacy_id_c")
QUOTA_FIELDS = ("user_id", "period_start", "period_type", "amount", "team_c")


# ------------------------------------------------------------------------------------------------
# The HubSpot rendering
# ------------------------------------------------------------------------------------------------
HUBSPOT_CONTRACT_PATH = REPO_ROOT / "models" / "staging" / "hubspot" / "_hubspot__sources.yml"
HUBSPOT_OBJECTS = ("owner", "team", "team_user", "company", "contact", "deal", "deal_pipeline", "deal_pipeline_stage",
                   "deal_stage", "deal_company", "deal_contact", "engagement", "engagement_call", "engagement_email",
                   "engagement_meeting", "engagement_note", "engagement_task", "engagement_communication",
                   "engagement_company", "engagement_contact", "engagement_deal")
DETAIL_OBJECTS = ("engagement_call", "engagement_email", "engagement_meeting", "engagement_note", "engagement_task",
                  "engagement_communication")
ASSOCIATION_OBJECTS = ("engagement_company", "engagement_contact", "engagement_deal")
HUBSPOT_COMPRESSED = ("engagement",) + DETAIL_OBJECTS + ASSOCIATION_OBJECTS
# Properties real portals carry that the contract does not ask for (they must be ignored).
HUBSPOT_EXTRA_COLUMNS = {
    "owner": ("portal_id",), "team": (), "team_user": (), "company": ("property_website",),
    "contact": ("property_hs_language",), "deal": ("property_hs_deal_stage_probability",),
    "deal_pipeline": (), "deal_pipeline_stage": (), "deal_stage": (), "deal_company": (), "deal_contact": (),
    "engagement": ("body_preview",), "engagement_call": ("property_hs_call_body",),
    "engagement_email": ("property_hs_email_thread_id",), "engagement_meeting": ("property_hs_meeting_location",),
    "engagement_note": ("property_hs_note_body",), "engagement_task": ("property_hs_task_priority",),
    "engagement_communication": ("property_hs_communication_body",), "engagement_company": (),
    "engagement_contact": (), "engagement_deal": (),
}
# HubSpot's API form for the v1 engagement object: epoch milliseconds. Every other timestamp is ISO-8601.
HUBSPOT_EPOCH_MS_COLUMNS = {"engagement": ("timestamp", "created_at", "last_updated")}
EPOCH_OF_WINDOW_START = 1_761_955_200  # 2025-11-01T00:00:00Z in seconds since 1970
FAR_FUTURE = "9999-12-31T23:59:59.999Z"  # Fivetran history mode: the end of the current version
PORTAL_ID = "4815162"
# Id spaces per object (HubSpot ids are numbers); orphan keys are drawn from a range no record uses.
HS_BASE = {"owner": 60_000_000, "user": 70_000_000, "team": 8_000_000, "company": 10_000_000_000,
           "contact": 20_000_000_000, "lead_contact": 21_000_000_000, "merged_contact": 22_000_000_000,
           "deal": 30_000_000_000, "merged_deal": 32_000_000_000, "engagement": 40_000_000_000}
HS_ORPHAN_BASE = {"company": 19_000_000_000, "contact": 29_000_000_000, "deal": 39_000_000_000,
                  "engagement": 49_000_000_000}
# HubSpot's default sales pipeline; Salesforce's stages map onto it (index = Salesforce stage index).
HS_STAGES = (("appointmentscheduled", "Appointment Scheduled", "0.2"), ("qualifiedtobuy", "Qualified To Buy", "0.4"),
             ("presentationscheduled", "Presentation Scheduled", "0.6"),
             ("decisionmakerboughtin", "Decision Maker Bought-In", "0.8"), ("contractsent", "Contract Sent", "0.9"),
             ("closedwon", "Closed Won", "1.0"), ("closedlost", "Closed Lost", "0.0"))
HS_STAGE_OF = (0, 1, 1, 2, 3, 3, 4, 4, 5, 6)
HS_CLOSED_WON = 5
# HubSpot's default call dispositions (ids) for the generator's call outcomes.
HS_DISPOSITION = {
    "Connected": "f240bbac-87c9-4f6e-bf70-924b57d47db7", "Left live message": "a4c4c377-d246-4b32-a13b-75a56a4cd0ff",
    "Left Voicemail": "b2cf5968-551e-4856-9783-52b3da59a7d0", "No Answer": "73a0d17f-1163-4015-bdd5-ec830791da20",
    "Busy": "9d9162e7-6cf3-4944-bf63-4dff82258764", "Wrong Number": "17b47fee-58de-441e-a44c-c6300d46f273",
    "Not Interested": "f240bbac-87c9-4f6e-bf70-924b57d47db7", "Meeting Booked": "f240bbac-87c9-4f6e-bf70-924b57d47db7",
}
HS_TASK_STATUS = {"completed": "COMPLETED", "not_started": "NOT_STARTED", "in_progress": "IN_PROGRESS",
                  "deferred": "DEFERRED"}
HS_MEETING_OUTCOME = {"completed": "COMPLETED", "no_show": "NO_SHOW", "canceled": "CANCELED", "": "SCHEDULED"}
HS_TASK_TYPE = {"call": "CALL", "email": "EMAIL", "linkedin": "LINKED_IN"}  # anything else: TODO
HS_SOURCE = {"Web": "ORGANIC_SEARCH", "Phone Inquiry": "DIRECT_TRAFFIC", "Partner Referral": "REFERRALS",
             "Purchased List": "OFFLINE", "Trade Show": "OFFLINE", "Outbound": "OFFLINE", "Other": "OTHER_CAMPAIGNS"}
HS_LIFECYCLE = {"open_not_contacted": "lead", "working": "marketingqualifiedlead", "closed_not_converted": "other",
                "closed_converted": "salesqualifiedlead"}
HS_LEAD_STATUS = {"open_not_contacted": "NEW", "working": "IN_PROGRESS", "closed_not_converted": "UNQUALIFIED",
                  "closed_converted": "OPEN_DEAL"}
# Association type ids of an engagement to (company, contact, deal), by engagement type (HubSpot-defined).
HS_ASSOCIATION_TYPE = {"CALL": (182, 194, 206), "EMAIL": (186, 198, 210), "INCOMING_EMAIL": (186, 198, 210),
                       "FORWARDED_EMAIL": (186, 198, 210), "MEETING": (188, 200, 212), "NOTE": (190, 202, 214),
                       "TASK": (192, 204, 216), "COMMUNICATION": (87, 81, 85)}
HS_UNKNOWN_TYPE = "POSTAL_MAIL"  # a real engagement type the default type map does not know
HS_DETAIL_OF = {"CALL": "engagement_call", "EMAIL": "engagement_email", "INCOMING_EMAIL": "engagement_email",
                "FORWARDED_EMAIL": "engagement_email", "MEETING": "engagement_meeting", "NOTE": "engagement_note",
                "TASK": "engagement_task", "COMMUNICATION": "engagement_communication"}
# Export dirt per HubSpot object, drawn once per record like the Salesforce dirt (exact counts). Merged
# deals are decided from the deal index instead, because engagements written before the deals need to know.
HUBSPOT_DIRT_RATES = {
    "company": (("duplicate", 0.015), ("deleted", 0.01), ("null_owner", 0.01)),
    "contact": (("duplicate", 0.01), ("deleted", 0.01), ("fivetran_deleted", 0.005), ("merged", 0.01)),
    "deal": (("duplicate", 0.015), ("deleted", 0.01)),
    "engagement": (("duplicate", 0.015), ("archived", 0.01), ("fivetran_deleted", 0.003), ("null_owner", 0.003),
                   ("unknown_type", 0.003), ("orphan_key", 0.01), ("orphan_only", 0.002), ("unlinked", 0.002)),
}
HS_MERGED_DEAL_RATE = 0.02
HS_MERGED_ASSOCIATION_RATE = 0.5  # associations of a merge survivor that still name a merged-away id
HS_SECOND_COMPANY_RATE = 0.03
HS_SECOND_DEAL_RATE = 0.3
HS_COMPANY_ASSOCIATION_RATE = 0.9  # the rest reach their company through the contact only
HS_UNKNOWN_ENGAGEMENT_RATE = 0.001  # association rows of an engagement that is in no file (hard-deleted)
HUBSPOT_DIRT_DEFINITIONS = {
    "duplicates": "Extra rows from a re-sync: the same id twice; the later copy has a newer last-modified time "
                  "and _fivetran_synced and differs in a field. rows - distinct ids.",
    "deleted": "Records archived in HubSpot (is_deleted = true).",
    "archived": "Engagements archived in HubSpot (active = false).",
    "fivetran_deleted": "Rows with _fivetran_deleted = true.",
    "null_owner": "Companies without property_hubspot_owner_id; engagements with neither owner_id nor the "
                  "detail's property_hubspot_owner_id.",
    "merged": "Contacts (and deals) that absorbed merged-away records: property_hs_merged_object_ids lists the "
              "ids of 1-2 (deals: 1) other rows of the same file.",
    "merged_away_rows": "Rows of records merged into a survivor (their id is in the survivor's "
                        "property_hs_merged_object_ids): the same record twice, like a re-sync duplicate.",
    "merged_id_rows": "Association rows naming a merged-away contact or deal id (they resolve to the survivor).",
    "unknown_type": f"Engagements of type '{HS_UNKNOWN_TYPE}' (not in the type map); they have no detail row.",
    "orphan_key": "Engagements with one association to a company, contact or deal that is in no file, and at least "
                  "one association that resolves.",
    "orphan_only": "Engagements whose every association points at a company, contact or deal in no file.",
    "unlinked": "Engagements with no association row at all.",
    "orphan_rows": "Association rows whose company, contact or deal is in no file.",
    "unknown_engagement_rows": "Association rows whose engagement is in no file (deleted before the export).",
    "two_companies": "Engagements associated with two companies (not dirt).",
    "two_deals": "Engagements associated with two deals (not dirt).",
    "company_via_contact_only": "Engagements with a contact but no company association that resolve to a company "
                                "through the contact (not dirt).",
    "unconverted_lead_engagements": "Engagements on a lead contact without a company (lead activities; not dirt).",
    "lead_contacts": "Contacts that are leads (no company unless converted), rendered from the company's leads "
                     "(not dirt).",
    "secondary_team_rows": "team_user rows of a secondary team (is_secondary_user = true; not dirt).",
}


def hs_iso(ts: int) -> str:
    """ISO-8601 in UTC with milliseconds, as Fivetran lands HubSpot datetimes: `2026-03-05T14:22:10.000Z`."""
    d, s = divmod(ts, DAY)
    return _DATES[d - _FIRST_TABLE_DAY] + "T" + _CLOCK[s] + ".000Z"


def hs_epoch_ms(ts: int) -> str:
    """Epoch milliseconds, HubSpot's API form: `1772720530000`."""
    return str((EPOCH_OF_WINDOW_START + ts) * 1_000)


def hs_id(kind: str, index: int) -> str:
    return str(HS_BASE[kind] + index)


def index_share(index: int, salt: int) -> float:
    """A fixed pseudo-random number in [0, 1) of an index (decided without a random stream)."""
    return ((index * 0x9E3779B97F4A7C15 + salt * 0xBF58476D1CE4E5B9) % (1 << 64)) / float(1 << 64)


class HubSpotWriter(ExportWriter):
    """Renders a `Company` (or its teams that work in HubSpot) as a Fivetran HubSpot export folder."""

    CRM = "hubspot"
    RNG_SALT = 0x4B5B07C0DE
    DIRT_RATES = HUBSPOT_DIRT_RATES
    COMPRESSED = HUBSPOT_COMPRESSED
    ACTIVITY_OBJECTS = ("engagement",)
    ACTIVITY_LABEL = "engagements"

    def __init__(self, company: Company, contract: dict[str, list[str]], out_dir: Path, seed: int,
                 log: Callable[[str], None], compress: bool = True) -> None:
        super().__init__(company, contract, out_dir, seed, log, compress)
        self._merged_contacts: dict[int, str] = {}  # contact id number -> a merged-away id
        self._last_contact = ""  # a contact some engagement is associated with (for dangling rows)

    def _extra_columns(self, name: str) -> Sequence[str]:
        return HUBSPOT_EXTRA_COLUMNS[name]

    def _orphan(self, kind: str) -> str:
        return str(HS_ORPHAN_BASE[kind] + self.rng.randrange(10 ** 9))

    @staticmethod
    def _count(handle: ObjectFile, kind: str | None) -> None:
        if kind:
            handle.count("duplicates" if kind == "duplicate" else kind)

    def owner_id(self, user: int) -> str | None:
        return hs_id("owner", user) if user >= 0 else None

    # ---- the whole export --------------------------------------------------------------------------
    def write_all(self) -> None:
        company = self.company
        self._write_people()
        self._write_companies()
        company.plan_opportunities()  # before the contacts: a contact's lifecycle stage follows the deals
        contacts = self._write_contacts()
        self._open_engagements()
        for lead, touches in company.iter_leads(company.lead_touch_cap):
            if self._mine[lead.owner]:
                self._write_lead_contact(contacts, lead, touches)
                for touch in touches:
                    self._write_engagement(touch)
                    if lead.converted_account < 0:
                        self.files["engagement"].count("unconverted_lead_engagements")
        self._close(contacts)
        for activity in company.iter_rep_activities(company.sizes.activities - company.lead_touches):
            if company.crm_of_activity(activity) == "hubspot":
                self._write_engagement(activity)
        self._write_unknown_engagement_rows()
        for name in ("engagement",) + DETAIL_OBJECTS + ASSOCIATION_OBJECTS:
            self._close(self.files[name])
        self._write_pipeline()
        self._write_deals()

    # ---- owners and teams ----------------------------------------------------------------------------
    def _write_people(self) -> None:
        owners = self._open("owner", OWNER_FIELDS)
        users = [u for u in self.company.users if self._mine[u.index]]
        for user in users:
            modstamp = min(EXPORT_TS - DAY, user.created_ts + 30 * DAY + int(self.rnd() * 300 * DAY))
            if not user.is_active:
                modstamp = user.active_until_day * DAY + 17 * HOUR
            owners.write((
                self.owner_id(user.index), hs_id("user", user.index),
                f"{email_local(user.first_name, user.last_name)}{user.index}@brightlane.example", user.first_name,
                user.last_name, "PERSON", TRUE if user.is_active else FALSE, hs_iso(user.created_ts), hs_iso(modstamp),
                hs_iso(self._synced(modstamp)), FALSE, PORTAL_ID, "",
            ))
        self._close(owners)
        # One team per role name ("<segment> <role>", the names rep_roles knows); a sales manager is also
        # a secondary member of the rep teams of their segment (the primary team gives the book).
        team_names = [name for name in ROLE_NAMES if any(u.role_name == name for u in users)]
        team_ids = {name: hs_id("team", i) for i, name in enumerate(ROLE_NAMES)}
        teams = self._open("team", TEAM_FIELDS)
        for name in team_names:
            teams.write((team_ids[name], name, hs_iso(EXPORT_TS - 20 * DAY), FALSE, ""))
        self._close(teams)
        members = self._open("team_user", TEAM_USER_FIELDS)
        synced = hs_iso(EXPORT_TS - 20 * DAY)
        for user in users:
            members.write((team_ids[user.role_name], hs_id("user", user.index), FALSE, synced, FALSE, ""))
            if user.role_name == "Sales Manager":
                segment = user.title.replace(" Sales Manager", "")
                for name in team_names:
                    if name.startswith(segment + " "):
                        members.write((team_ids[name], hs_id("user", user.index), TRUE, synced, FALSE, ""))
                        members.count("secondary_team_rows")
        self._close(members)

    # ---- companies and contacts -----------------------------------------------------------------------
    def _write_companies(self) -> None:
        handle = self._open("company", COMPANY_FIELDS)
        dirt = self._dirt["company"]
        for acc in self.company.iter_accounts():
            if not self._mine[acc.owner]:
                continue
            kind = dirt.draw(self.rnd())
            modstamp = min(EXPORT_TS, max(acc.created_ts, -200 * DAY) + int(self.rnd() * 500 * DAY))
            score = str(acc.score) if acc.score >= 0 else None
            row = [
                hs_id("company", acc.index), None if kind == "null_owner" else self.owner_id(acc.owner), acc.name,
                domain_of(company_name(acc.index)), "Customer" if acc.is_customer else "PROSPECT",
                "customer" if acc.is_customer else "salesqualifiedlead", acc.industry, acc.employees,
                acc.annual_revenue, acc.country, acc.state or None,
                hs_id("company", acc.parent) if acc.parent >= 0 else None, HS_SOURCE[acc.source],
                hs_iso(acc.created_ts), hs_iso(modstamp), None, TRUE if kind == "deleted" else FALSE,
                hs_iso(self._synced(modstamp)), FALSE, score, f"https://www.{domain_of(company_name(acc.index))}", "",
            ]
            if kind == "duplicate":  # the older copy first, with another score
                stale = list(row)
                stale_mod = max(min(acc.created_ts, modstamp - 1), modstamp - 1 - int(self.rnd() * 30 * DAY))
                stale[COMPANY_FIELDS.index("property_hs_lastmodifieddate")] = hs_iso(stale_mod)
                stale[COMPANY_FIELDS.index("_fivetran_synced")] = hs_iso(stale_mod + 30)
                stale[COMPANY_FIELDS.index("property_account_score")] = str(((acc.score if acc.score >= 0 else 0)
                                                                              + 17) % 101)
                row[COMPANY_FIELDS.index("_fivetran_synced")] = hs_iso(max(self._synced(modstamp), stale_mod + 60))
                handle.write(stale)
            self._count(handle, kind)
            handle.write(row)
        self._close(handle)

    def _contact_row(self, handle: ObjectFile, number: str, company: str | None, owner: int, first: str, last: str,
                     email: str, phone: str, title: str, role: str, source: str, lifecycle: str, lead_status: str,
                     country: str, created_ts: int, modstamp: int) -> None:
        kind = self._dirt["contact"].draw(self.rnd())
        merged = None
        away: list[str] = []
        if kind == "merged":  # survivor of 1-2 merges: the merged-away records are still in the file
            away = [str(HS_BASE["merged_contact"] + handle.dirt.get("merged_away_rows", 0) + k)
                    for k in range(1 + (self.rnd() < 0.3))]
            self._merged_contacts[int(number)] = away[0]
            merged = ";".join(away)
        row = [
            number, company, self.owner_id(owner), first, last, email, phone, title or None, role or None, source,
            lifecycle, country, hs_iso(created_ts), hs_iso(modstamp), merged, TRUE if kind == "deleted" else FALSE,
            hs_iso(self._synced(modstamp)), TRUE if kind == "fivetran_deleted" else FALSE, lead_status or None, "en",
            "",
        ]
        if kind == "duplicate":  # older copy: the title before a correction
            stale = list(row)
            stale_mod = max(min(created_ts, modstamp - 1), modstamp - 1 - int(self.rnd() * 30 * DAY))
            stale[CONTACT_HS_FIELDS.index("property_lastmodifieddate")] = hs_iso(stale_mod)
            stale[CONTACT_HS_FIELDS.index("_fivetran_synced")] = hs_iso(stale_mod + 30)
            stale[CONTACT_HS_FIELDS.index("property_jobtitle")] = "Manager" if title else "Director"
            row[CONTACT_HS_FIELDS.index("_fivetran_synced")] = hs_iso(max(self._synced(modstamp), stale_mod + 60))
            handle.write(stale)
        for away_id in away:  # the duplicate person as last synced before the merge, another email
            old = list(row)
            old_mod = max(created_ts, modstamp - 1 - int(self.rnd() * 60 * DAY))
            old[0], old[5], old[14] = away_id, f"{first.lower()}.{last.lower()}@mail.example", None
            old[CONTACT_HS_FIELDS.index("property_lastmodifieddate")] = hs_iso(old_mod)
            old[CONTACT_HS_FIELDS.index("_fivetran_synced")] = hs_iso(old_mod + 30)
            handle.write(old)
            handle.count("merged_away_rows")
        self._count(handle, kind)
        handle.write(row)

    def _write_contacts(self) -> ObjectFile:
        """Contacts of companies now; lead contacts join the same file while the leads are walked."""
        handle = self._open("contact", CONTACT_HS_FIELDS)
        for c in self.company.iter_contacts():
            if not self._mine[self.company.acct_owner[c.account]]:
                continue
            modstamp = min(EXPORT_TS, max(c.created_ts, -100 * DAY) + int(self.rnd() * 450 * DAY))
            if self.company.acct_customer[c.account]:
                lifecycle = "customer"
            elif self.company.acct_opp_start[c.account + 1] > self.company.acct_opp_start[c.account]:
                lifecycle = "opportunity"
            else:
                lifecycle = "salesqualifiedlead"
            self._contact_row(handle, hs_id("contact", c.index), hs_id("company", c.account), c.owner, c.first_name,
                              c.last_name, c.email, c.phone, c.title, c.department.lower().replace(" ", "_"),
                              HS_SOURCE[c.lead_source], lifecycle, "", c.country, c.created_ts, modstamp)
        return handle

    def _write_lead_contact(self, handle: ObjectFile, lead: Lead, touches: list[Activity]) -> None:
        """A lead is a contact in HubSpot: no company until it converts, lifecycle stage from its status."""
        last_change = max([lead.created_ts] + [t.ts for t in touches])
        if lead.converted_day >= 0:
            last_change = max(last_change, lead.converted_day * DAY + 12 * HOUR)
        modstamp = min(EXPORT_TS, last_change + int(self.rnd() * 3 * DAY))
        company = hs_id("company", lead.converted_account) if lead.converted_account >= 0 else None
        lifecycle = "opportunity" if lead.converted_opportunity >= 0 else HS_LIFECYCLE[lead.status]
        self._contact_row(handle, hs_id("lead_contact", lead.index), company, lead.owner, lead.first_name,
                          lead.last_name, lead.email, lead.phone, lead.title, "", HS_SOURCE[lead.source], lifecycle,
                          HS_LEAD_STATUS[lead.status], lead.country, lead.created_ts, modstamp)
        handle.count("lead_contacts")

    # ---- engagements ---------------------------------------------------------------------------------
    def _open_engagements(self) -> None:
        self._open("engagement", ENGAGEMENT_FIELDS)
        for name, fields in DETAIL_FIELDS.items():
            self._open(name, fields)
        for name in ASSOCIATION_OBJECTS:
            self._open(name, ASSOCIATION_FIELDS[name])

    def _engagement_type(self, a: Activity) -> tuple[str, str]:
        """(engagement type, what the detail says): CALL/disposition, EMAIL/direction, MEETING/outcome, ..."""
        if a.kind == "event":
            return "MEETING", HS_MEETING_OUTCOME[a.status]
        if a.status != "completed":  # planned work is a task until it is done
            return "TASK", HS_TASK_TYPE.get(a.channel, "TODO")
        if a.channel == "call":
            return "CALL", a.outcome
        if a.channel == "email":
            r = self.rnd() if a.variant == "single" else 1.0
            return ("INCOMING_EMAIL" if r < 0.1 else "FORWARDED_EMAIL" if r < 0.12 else "EMAIL"), ""
        if a.channel in ("linkedin", "sms"):
            channel = "LINKEDIN_MESSAGE" if a.channel == "linkedin" else ("WHATS_APP" if self.rnd() < 0.25 else "SMS")
            return "COMMUNICATION", channel
        if a.channel == "meeting":
            return "MEETING", "COMPLETED"
        return ("TASK", "TODO") if a.variant == "todo" else ("NOTE", "")

    def _write_engagement(self, a: Activity) -> None:
        rnd = self.rnd
        files = self.files
        engagement = files["engagement"]
        kind = self._dirt["engagement"].draw(rnd())
        number = HS_BASE["engagement"] + engagement.rows - engagement.dirt.get("duplicates", 0)
        eid = str(number)
        etype, what = self._engagement_type(a)
        if kind == "unknown_type":
            etype = HS_UNKNOWN_TYPE
        completed = a.status == "completed"
        if a.kind == "event":
            held = a.ts <= EXPORT_TS
            end = a.ts + a.duration * 60
            modstamp = min(EXPORT_TS, (end + int(rnd() * 2 * DAY)) if held else a.created_ts + int(rnd() * 600))
        else:
            modstamp = min(EXPORT_TS, max(a.created_ts, a.ts if completed else a.created_ts) + int(rnd() * 600))
        modstamp = max(modstamp, a.created_ts)
        synced = self._synced(modstamp)
        owner = None if kind == "null_owner" else self.owner_id(a.owner)
        deleted = TRUE if kind == "fivetran_deleted" else FALSE
        row = [eid, etype, owner, hs_epoch_ms(a.ts), hs_epoch_ms(a.created_ts), hs_epoch_ms(modstamp),
               FALSE if kind == "archived" else TRUE, PORTAL_ID, hs_iso(synced), deleted, None, ""]
        detail_name = HS_DETAIL_OF.get(etype)
        detail = self._detail_row(a, etype, what, eid, owner, modstamp, synced, deleted) if detail_name else None
        if kind == "duplicate":  # the first sync: an older version of the engagement and of its detail
            stale_mod = max(a.created_ts - 1, min(a.created_ts + 30, modstamp - 120))
            new_mod = min(EXPORT_TS, max(modstamp, stale_mod + 60))
            new_synced = max(synced, stale_mod + 90)
            stale = list(row)
            stale[5], stale[8] = hs_epoch_ms(stale_mod), hs_iso(stale_mod + 30)
            stale[10] = "(draft)"
            row[5], row[8] = hs_epoch_ms(new_mod), hs_iso(new_synced)
            engagement.write(stale)
            if detail is not None:
                old = list(detail)
                old[4], old[5] = hs_iso(stale_mod), hs_iso(stale_mod + 30)
                old[7] = self._stale_detail_value(etype, old[7])
                detail[4], detail[5] = hs_iso(new_mod), hs_iso(new_synced)
                files[detail_name].write(old)
                files[detail_name].count("duplicates")
        self._count(engagement, kind)
        engagement.write(row)
        if detail is not None:
            files[detail_name].write(detail)
            if kind == "null_owner":
                files[detail_name].count("null_owner")
        self._write_associations(a, etype, eid, kind, hs_iso(synced))
        self._progress()

    @staticmethod
    def _stale_detail_value(etype: str, value: object) -> object:
        """The field a re-synced detail's first version holds differently: a meeting not yet held, a
        task still open, another title."""
        if etype == "MEETING":
            return "SCHEDULED"
        if etype == "TASK":
            return "NOT_STARTED"
        return f"{value} (draft)" if value else "(draft)"

    def _detail_row(self, a: Activity, etype: str, what: str, eid: str, owner: str | None, modstamp: int,
                    synced: int, deleted: str) -> list:
        """Columns shared by every detail table, then the field `_stale_detail_value` changes (index 7),
        then the type's own fields."""
        rnd = self.rnd
        common = [eid, hs_iso(a.ts), owner, hs_iso(a.created_ts), hs_iso(modstamp), hs_iso(synced), deleted]
        if etype == "CALL":
            outcome = "Left live message" if what == "Left Voicemail" and rnd() < 0.1 else what
            title = SUBJECTS["call"][int(rnd() * len(SUBJECTS["call"]))]
            return common + [title, HS_DISPOSITION[outcome], "INBOUND" if a.variant == "inbound" else "OUTBOUND",
                             "COMPLETED", a.duration * 1_000, None, ""]
        if etype in ("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"):
            subjects = SUBJECTS["list" if a.variant == "list" else "email"]
            subject = subjects[int(rnd() * len(subjects))]
            status = "BOUNCED" if etype == "EMAIL" and rnd() < 0.02 else "SENT"
            return common + [subject, etype, status, f"thread-{eid}", ""]
        if etype == "MEETING":
            title = SUBJECTS["event"][int(rnd() * len(SUBJECTS["event"]))]
            return common + [what, hs_iso(a.ts), hs_iso(a.ts + a.duration * 60), title,
                             MEETING_TYPES[int(rnd() * len(MEETING_TYPES))], ""]
        if etype == "TASK":
            subjects = SUBJECTS["todo" if what == "TODO" else a.channel if a.channel in SUBJECTS else "other"]
            status = HS_TASK_STATUS[a.status]
            return common + [status, what, subjects[int(rnd() * len(subjects))],
                             hs_iso(a.ts) if a.status == "completed" else None, "MEDIUM", ""]
        if etype == "COMMUNICATION":
            return common + [None, what, "CRM", ""]
        return common + [None, ""]  # NOTE

    def _write_associations(self, a: Activity, etype: str, eid: str, kind: str | None, synced: str) -> None:
        """engagement_company / _contact / _deal rows, with the association dirt applied."""
        rnd = self.rnd
        company, files = self.company, self.files
        types = HS_ASSOCIATION_TYPE.get(etype, (None, None, None))
        links: list[tuple[str, str]] = []  # (association table, target id)
        if kind == "unlinked":
            return
        if kind == "orphan_only":
            links.append(("engagement_contact", self._orphan("contact")))
            if rnd() < 0.5:
                links.append(("engagement_company", self._orphan("company")))
        else:
            if a.contact >= 0:
                links.append(("engagement_contact", self._contact_ref(hs_id("contact", a.contact))))
            elif a.lead >= 0:
                links.append(("engagement_contact", self._contact_ref(hs_id("lead_contact", a.lead))))
            if a.account >= 0:
                if rnd() < HS_COMPANY_ASSOCIATION_RATE or a.contact < 0:
                    links.append(("engagement_company", hs_id("company", a.account)))
                    if rnd() < HS_SECOND_COMPANY_RATE:
                        other = self._related_account(a.account)
                        if other >= 0:
                            links.append(("engagement_company", hs_id("company", other)))
                            files["engagement"].count("two_companies")
                else:
                    files["engagement"].count("company_via_contact_only")
            if a.opportunity >= 0:
                links.append(("engagement_deal", self._deal_ref(a.opportunity)))
                other = self._other_deal(a.account, a.opportunity)
                if other >= 0 and rnd() < HS_SECOND_DEAL_RATE:
                    links.append(("engagement_deal", self._deal_ref(other)))
                    files["engagement"].count("two_deals")
            if kind == "orphan_key":
                table = ("engagement_company", "engagement_contact", "engagement_deal")[int(rnd() * 3)]
                links.append((table, self._orphan(table.split("_")[1])))
        for table, target in links:
            handle = files[table]
            position = ("engagement_company", "engagement_contact", "engagement_deal").index(table)
            handle.write((eid, target, types[position], "HUBSPOT_DEFINED" if types[position] else None, synced, ""))
            first = target[:2]
            if first in ("19", "29", "39"):
                handle.count("orphan_rows")
            elif first in ("22", "32"):
                handle.count("merged_id_rows")
            elif first in ("20", "21"):
                self._last_contact = target

    def _contact_ref(self, number: str) -> str:
        """A contact's id, or (for some associations of a merge survivor) an id merged into it."""
        away = self._merged_contacts.get(int(number))
        return away if away is not None and self.rnd() < HS_MERGED_ASSOCIATION_RATE else number

    def _related_account(self, account: int) -> int:
        """A second company on the engagement (a partner or subsidiary at the table): the next
        company of the same book, if there is one."""
        owner = self.company.users[self.company.acct_owner[account]]
        return account + 1 if account + 1 < owner.book_end else -1

    def _other_deal(self, account: int, opportunity: int) -> int:
        first, end = self.company.acct_opp_start[account], self.company.acct_opp_start[account + 1]
        for o in range(first, end):
            if o != opportunity:
                return o
        return -1

    def _deal_ref(self, o: int) -> str:
        """A deal's id, or (for some associations of a merge survivor) the id merged into it."""
        if index_share(o, 1) < HS_MERGED_DEAL_RATE and index_share(o, 2) < HS_MERGED_ASSOCIATION_RATE:
            return str(HS_BASE["merged_deal"] + o)
        return hs_id("deal", o)

    def _write_unknown_engagement_rows(self) -> None:
        """Association rows of engagements deleted before the export (they are in no engagement file),
        each naming a contact that is in the export."""
        engagement = self.files["engagement"]
        records = engagement.rows - engagement.dirt.get("duplicates", 0)
        contacts = self.files["engagement_contact"]
        for _ in range(int(records * HS_UNKNOWN_ENGAGEMENT_RATE + 0.5) if self._last_contact else 0):
            contacts.write((self._orphan("engagement"), self._last_contact, 194, "HUBSPOT_DEFINED",
                            hs_iso(EXPORT_TS - HOUR), ""))
            contacts.count("unknown_engagement_rows")

    # ---- pipeline, deals and their history -----------------------------------------------------------
    def _write_pipeline(self) -> None:
        synced = hs_iso(EXPORT_TS - 20 * DAY)
        pipelines = self._open("deal_pipeline", DEAL_PIPELINE_FIELDS)
        pipelines.write(("default", "Sales Pipeline", 0, TRUE, synced, FALSE, ""))
        self._close(pipelines)
        stages = self._open("deal_pipeline_stage", DEAL_PIPELINE_STAGE_FIELDS)
        for order, (stage_id, label, probability) in enumerate(HS_STAGES):
            stages.write((stage_id, "default", label, order, probability, TRUE if order == HS_CLOSED_WON else FALSE,
                          TRUE, synced, FALSE, ""))
        self._close(stages)

    def _write_deals(self) -> None:
        company = self.company
        deals = self._open("deal", DEAL_FIELDS)
        history = self._open("deal_stage", DEAL_STAGE_FIELDS)
        deal_companies = self._open("deal_company", DEAL_COMPANY_FIELDS)
        deal_contacts = self._open("deal_contact", DEAL_CONTACT_FIELDS)
        dirt = self._dirt["deal"]
        for opp in company.iter_opportunities():
            if not self._mine[company.acct_owner[opp.account]]:
                continue
            kind = dirt.draw(self.rnd())
            stages = self._stage_path(opp)
            self._write_stage_history(history, opp, stages)
            deal = hs_id("deal", opp.index)
            synced = hs_iso(EXPORT_TS - int(self.rnd() * DAY))
            deal_companies.write((deal, hs_id("company", opp.account), 5, "HUBSPOT_DEFINED", synced, ""))
            first_c = company.acct_contact_start[opp.account]
            n_c = company.acct_contact_start[opp.account + 1] - first_c
            for k in range(min(n_c, 1 + int(self.rnd() * 3))):
                deal_contacts.write((deal, hs_id("contact", first_c + k), 3, "HUBSPOT_DEFINED", synced, ""))
            self._write_deal(deals, opp, stages, kind)
        for handle in (deals, history, deal_companies, deal_contacts):
            self._close(handle)

    @staticmethod
    def _stage_path(opp: Opportunity) -> list[tuple[int, int, int, int]]:
        """(entered ts, HubSpot stage, amount, close day) per stage change; moves between Salesforce stages
        that share a HubSpot stage are no change there (amount and close date follow the latest)."""
        path: list[tuple[int, int, int, int]] = []
        for change in opp.changes:
            stage = HS_STAGE_OF[change.stage]
            if path and path[-1][1] == stage:
                path[-1] = (path[-1][0], stage, change.amount, change.close_day)
            else:
                path.append((change.ts, stage, change.amount, change.close_day))
        return path

    def _write_stage_history(self, handle: ObjectFile, opp: Opportunity, path: list[tuple[int, int, int, int]]) -> None:
        deal = hs_id("deal", opp.index)
        for i, (entered, stage, _, _) in enumerate(path):
            current = i == len(path) - 1
            end = FAR_FUTURE if current else hs_iso(path[i + 1][0] - 1)[:-5] + ".999Z"
            handle.write((deal, HS_STAGES[stage][0], hs_iso(entered), hs_iso(entered), end, TRUE if current else FALSE,
                          "CRM_UI" if self.rnd() < 0.8 else "API", self.owner_id(opp.owner), hs_iso(self._synced(entered)),
                          ""))

    def _write_deal(self, handle: ObjectFile, opp: Opportunity, path: list[tuple[int, int, int, int]],
                    kind: str | None) -> None:
        entered, stage, amount, close_day = path[-1]
        merged = None
        if index_share(opp.index, 1) < HS_MERGED_DEAL_RATE:  # a duplicate deal was merged into this one
            merged = str(HS_BASE["merged_deal"] + opp.index)
        modstamp = min(EXPORT_TS, opp.changes[-1].ts + int(self.rnd() * 2 * HOUR))
        synced = self._synced(modstamp)
        owner = self.owner_id(opp.owner)

        def render(stage_index: int, value: int, close: int, mod: int, sync: int) -> list:
            return [
                hs_id("deal", opp.index), "default", HS_STAGES[stage_index][0], owner, str(value),
                hs_iso(close * DAY), hs_iso(opp.changes[0].ts),
                f"{opp.name} - {'Renewal' if opp.is_existing_business else 'New Business'}",
                "existingbusiness" if opp.is_existing_business else "newbusiness", HS_SOURCE[opp.lead_source], owner,
                hs_iso(mod), merged, TRUE if kind == "deleted" else FALSE, hs_iso(sync), FALSE,
                HS_STAGES[stage_index][2], "",
            ]

        if merged is not None:  # the merged-away deal as last synced: still in its first stage
            old = render(path[0][1], path[0][2], path[0][3], path[0][0] + 60, path[0][0] + 90)
            old[0], old[12] = merged, None
            handle.write(old)
            handle.count("merged")
            handle.count("merged_away_rows")
        if kind == "duplicate":  # the older copy holds the state before the last change
            previous = path[-2] if len(path) > 1 else (entered, stage, amount + 500, close_day)
            stale_mod = max(opp.changes[0].ts, min(previous[0] + 60, modstamp - 120))
            handle.write(render(previous[1], previous[2], previous[3], stale_mod, stale_mod + 30))
            modstamp, synced = max(modstamp, stale_mod + 60), max(synced, stale_mod + 90)
        if kind:
            handle.count(kind if kind != "duplicate" else "duplicates")
        handle.write(render(stage, amount, close_day, modstamp, synced))


# Producer field order per HubSpot object (tuples end with the empty sentinel unfilled columns point at).
OWNER_FIELDS = ("owner_id", "user_id", "email", "first_name", "last_name", "type", "is_active", "created_at",
                "updated_at", "_fivetran_synced", "_fivetran_deleted", "portal_id")
TEAM_FIELDS = ("id", "name", "_fivetran_synced", "_fivetran_deleted")
TEAM_USER_FIELDS = ("team_id", "user_id", "is_secondary_user", "_fivetran_synced", "_fivetran_deleted")
COMPANY_FIELDS = ("id", "property_hubspot_owner_id", "property_name", "property_domain", "property_type",
                  "property_lifecyclestage", "property_industry", "property_numberofemployees",
                  "property_annualrevenue", "property_country", "property_state", "property_hs_parent_company_id",
                  "property_hs_analytics_source", "property_createdate", "property_hs_lastmodifieddate",
                  "property_hs_merged_object_ids", "is_deleted", "_fivetran_synced", "_fivetran_deleted",
                  "property_account_score", "property_website")
CONTACT_HS_FIELDS = ("id", "property_associatedcompanyid", "property_hubspot_owner_id", "property_firstname",
                     "property_lastname", "property_email", "property_phone", "property_jobtitle", "property_hs_role",
                     "property_hs_analytics_source", "property_lifecyclestage", "property_country",
                     "property_createdate", "property_lastmodifieddate", "property_hs_merged_object_ids",
                     "is_deleted", "_fivetran_synced", "_fivetran_deleted", "property_hs_lead_status",
                     "property_hs_language")
DEAL_FIELDS = ("deal_id", "deal_pipeline_id", "deal_pipeline_stage_id", "owner_id", "property_amount",
               "property_closedate", "property_createdate", "property_dealname", "property_dealtype",
               "property_hs_analytics_source", "property_hubspot_owner_id", "property_hs_lastmodifieddate",
               "property_hs_merged_object_ids", "is_deleted", "_fivetran_synced", "_fivetran_deleted",
               "property_hs_deal_stage_probability")
DEAL_PIPELINE_FIELDS = ("pipeline_id", "label", "display_order", "active", "_fivetran_synced", "_fivetran_deleted")
DEAL_PIPELINE_STAGE_FIELDS = ("stage_id", "pipeline_id", "label", "display_order", "probability", "closed_won",
                              "active", "_fivetran_synced", "_fivetran_deleted")
DEAL_STAGE_FIELDS = ("deal_id", "value", "date_entered", "_fivetran_start", "_fivetran_end", "_fivetran_active",
                     "source", "source_id", "_fivetran_synced")
DEAL_COMPANY_FIELDS = ("deal_id", "company_id", "type_id", "category", "_fivetran_synced")
DEAL_CONTACT_FIELDS = ("deal_id", "contact_id", "type_id", "category", "_fivetran_synced")
ENGAGEMENT_FIELDS = ("id", "type", "owner_id", "timestamp", "created_at", "last_updated", "active", "portal_id",
                     "_fivetran_synced", "_fivetran_deleted", "body_preview")
_DETAIL_COMMON = ("engagement_id", "property_hs_timestamp", "property_hubspot_owner_id", "property_hs_createdate",
                  "property_hs_lastmodifieddate", "_fivetran_synced", "_fivetran_deleted")
DETAIL_FIELDS = {
    "engagement_call": _DETAIL_COMMON + ("property_hs_call_title", "property_hs_call_disposition",
                                         "property_hs_call_direction", "property_hs_call_status",
                                         "property_hs_call_duration", "property_hs_call_body"),
    "engagement_email": _DETAIL_COMMON + ("property_hs_email_subject", "property_hs_email_direction",
                                          "property_hs_email_status", "property_hs_email_thread_id"),
    "engagement_meeting": _DETAIL_COMMON + ("property_hs_meeting_outcome", "property_hs_meeting_start_time",
                                            "property_hs_meeting_end_time", "property_hs_meeting_title",
                                            "property_hs_meeting_location"),
    "engagement_note": _DETAIL_COMMON + ("property_hs_note_body",),
    "engagement_task": _DETAIL_COMMON + ("property_hs_task_status", "property_hs_task_type",
                                         "property_hs_task_subject", "property_hs_task_completion_date",
                                         "property_hs_task_priority"),
    "engagement_communication": _DETAIL_COMMON + ("property_hs_communication_body",
                                                  "property_hs_communication_channel_type",
                                                  "property_hs_communication_logged_from"),
}
ASSOCIATION_FIELDS = {
    "engagement_company": ("engagement_id", "company_id", "type_id", "category", "_fivetran_synced"),
    "engagement_contact": ("engagement_id", "contact_id", "type_id", "category", "_fivetran_synced"),
    "engagement_deal": ("engagement_id", "deal_id", "type_id", "category", "_fivetran_synced"),
}

# ------------------------------------------------------------------------------------------------
# Output formats, manifest, CLI
# ------------------------------------------------------------------------------------------------
def export_names(crm: str) -> tuple[str, ...]:
    return HUBSPOT_OBJECTS if crm == "hubspot" else OBJECTS


def clear_previous_export(out_dir: Path, names: Sequence[str] = OBJECTS) -> None:
    """Remove only files this generator writes, so a csv run never leaves a stale parquet behind."""
    for name in names:
        for extension in ("csv", "csv.gz", "parquet"):
            (out_dir / f"{name}.{extension}").unlink(missing_ok=True)
    (out_dir / MANIFEST_NAME).unlink(missing_ok=True)


def convert_to_parquet(out_dir: Path, files: dict[str, ObjectFile], log: Callable[[str], None]) -> None:
    """Rewrite each CSV (plain or gzip) as Parquet with DuckDB (all columns text, like the CSV landing)."""
    try:
        import duckdb
    except ImportError as error:
        raise SystemExit("error: --format parquet needs the duckdb package (pip install duckdb)") from error
    connection = duckdb.connect()
    try:
        for name, handle in files.items():
            parquet_path = out_dir / f"{name}.parquet"
            csv_to_parquet(connection, handle.path, parquet_path)
            handle.path.unlink()
            log(f"  {parquet_path.name:<26} converted")
    finally:
        connection.close()


def csv_to_parquet(connection, csv_path: Path, parquet_path: Path) -> None:
    """The one CSV-to-Parquet rewrite: the generator's and the benchmark's Parquet exports are equal."""
    source = str(csv_path).replace("'", "''")
    target = str(parquet_path).replace("'", "''")
    connection.execute(
        f"copy (select * from read_csv('{source}', header = true, all_varchar = true, delim = ',', "
        f"quote = '\"', escape = '\"')) to '{target}' (format parquet)"
    )


def object_entry(args: argparse.Namespace, handle: ObjectFile, contract_columns: int, extras: Sequence[str]) -> dict:
    return {
        "file": f"{handle.name}.parquet" if args.format == "parquet" else handle.path.name,
        "rows": handle.rows,
        "distinct_ids": handle.ids,
        "contract_columns": contract_columns,
        "extra_columns": list(extras),
        "dirt": {kind: handle.dirt[kind] for kind in sorted(handle.dirt)},
    }


def relative(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) else str(path)


def arguments_of(args: argparse.Namespace) -> dict:
    arguments = {"seed": args.seed, "scale": args.scale, "activities": args.activities, "format": args.format,
                 "gzip": args.gzip}
    if args.crm != "salesforce":  # the Salesforce-only manifest keeps its original shape
        arguments["crm"] = args.crm
    return arguments


def time_frame() -> dict:
    return {
        "activity_start": day_str(0),
        "activity_end": day_str(LAST_DAY),
        "export_taken_at": f"{day_str(LAST_DAY)}T23:59:59Z",
        "scheduled_events_until": day_str(LAST_DAY + SCHEDULE_HORIZON_DAYS),
        "timezone": "UTC",
    }


def build_manifest(args: argparse.Namespace, sizes: Sizes, writer: SalesforceWriter) -> dict:
    objects = {name: object_entry(args, writer.files[name], len(writer.contract[name]), EXTRA_COLUMNS[name])
               for name in OBJECTS}
    company = writer.company
    return {
        "generator": "scripts/generate_demo_data.py",
        "manifest_version": MANIFEST_VERSION,
        "arguments": arguments_of(args),
        "seed": args.seed,
        "effective": {
            "scale": sizes.scale,
            "activities_target": sizes.activities,
            "activity_records": writer.files["task"].ids + writer.files["event"].ids,
            "lead_touch_tasks": company.lead_touches,
            "reps": len(company.reps),
            "users": len(company.users),
            "accounts": company.n_accounts,
            "contacts": company.n_contacts,
            "leads": sizes.leads,
            "opportunities": company.n_opportunities,
        },
        "time_frame": time_frame(),
        "contract": relative(CONTRACT_PATH),
        "objects": objects,
        "dirt_definitions": DIRT_DEFINITIONS,
    }


def build_hubspot_manifest(args: argparse.Namespace, sizes: Sizes, writer: HubSpotWriter) -> dict:
    """The HubSpot folder's manifest: the same shape as the Salesforce one, counts of this folder."""
    objects = {name: object_entry(args, writer.files[name], len(writer.contract[name]), HUBSPOT_EXTRA_COLUMNS[name])
               for name in HUBSPOT_OBJECTS}
    company = writer.company
    return {
        "generator": "scripts/generate_demo_data.py",
        "manifest_version": MANIFEST_VERSION,
        "crm": "hubspot",
        "arguments": arguments_of(args),
        "seed": args.seed,
        "effective": {
            "scale": sizes.scale,
            "activities_target": sizes.activities,
            "activity_records": writer.files["engagement"].ids,
            "owners": writer.files["owner"].ids,
            "companies": company.n_accounts if args.crm == "hubspot" else writer.files["company"].ids,
            "opportunities": writer.files["deal"].ids,
        },
        "time_frame": time_frame(),
        "contract": relative(HUBSPOT_CONTRACT_PATH),
        "epoch_ms_columns": {name: list(columns) for name, columns in HUBSPOT_EPOCH_MS_COLUMNS.items()},
        "objects": objects,
        "dirt_definitions": HUBSPOT_DIRT_DEFINITIONS,
    }


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (0 < value <= MAX_SCALE) or math.isnan(value):
        raise argparse.ArgumentTypeError(f"must be > 0 and <= {MAX_SCALE:g} (1.0 = the small demo), got {text}")
    return value


def activity_count(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < MIN_ACTIVITIES:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_ACTIVITIES}, got {value}")
    return value


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Generate a deterministic CRM export (one file per object) of a fictional B2B company: "
        "a Salesforce export shaped by models/staging/salesforce/_salesforce__sources.yml, a HubSpot export "
        "shaped by models/staging/hubspot/_hubspot__sources.yml, or both (some teams in each CRM), with "
        "realistic export dirt and a generation_manifest.json of exact row and dirt counts.",
        epilog="Examples: %(prog)s (rewrites the committed demo); %(prog)s --crm mixed --out /tmp/mixed "
        "(writes /tmp/mixed/salesforce and /tmp/mixed/hubspot); %(prog)s --activities 100000000 --out "
        "/tmp/big --quiet (benchmark size).",
    )
    parser.add_argument("--crm", choices=("salesforce", "hubspot", "mixed"), default="salesforce",
                        help="which CRM the company works in: salesforce (default), hubspot, or mixed (the "
                        f"{', '.join(sorted(MIXED_HUBSPOT_SEGMENTS))} teams in HubSpot, every other team in "
                        "Salesforce; writes <out>/salesforce and <out>/hubspot)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: data/demo/salesforce, or data/demo/hubspot with --crm "
                        "hubspot; required with --crm mixed)")
    parser.add_argument("--seed", type=seed_value, default=42, help="random seed (default: 42)")
    parser.add_argument("--scale", type=positive_float, default=None,
                        help=f"size of the company: 1.0 = the small demo (~{BASE_REPS} reps, {BASE_ACCOUNTS} "
                        f"accounts, {BASE_ACTIVITIES:,} activities); default 1.0, or derived from --activities")
    parser.add_argument("--activities", type=activity_count, default=None,
                        help="exact number of activity records (Salesforce tasks + events, HubSpot engagements; "
                        "in a mixed export both together; re-sync duplicates come on top); entities scale with "
                        "it unless --scale is given too")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format (default: csv)")
    parser.add_argument("--gzip", action=argparse.BooleanOptionalAction, default=True,
                        help="csv format: write the big objects (Salesforce task and event, HubSpot engagement "
                        "tables) as gzip-compressed <name>.csv.gz with deterministic bytes (default; --no-gzip "
                        "writes plain .csv, faster for very large runs)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    args = parser.parse_args(argv)
    if args.out is None:
        if args.crm == "mixed":
            parser.error("--crm mixed writes two folders: pass --out FOLDER (it gets salesforce/ and hubspot/)")
        args.out = DEFAULT_HUBSPOT_OUT if args.crm == "hubspot" else DEFAULT_OUT
    return args


def prepare_folder(out_dir: Path, names: Sequence[str]) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise SystemExit(f"error: --out {out_dir} exists and is not a folder; pass a folder path")
    out_dir.mkdir(parents=True, exist_ok=True)
    clear_previous_export(out_dir, names)


def write_manifest(out_dir: Path, manifest: dict, log: Callable[[str], None]) -> None:
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"  {MANIFEST_NAME:<26} written")


def generate(args: argparse.Namespace, log: Callable[[str], None]) -> dict:
    crm = args.crm
    sizes = Sizes.from_options(args.scale, args.activities)
    out_dir: Path = args.out
    contracts = {}
    if crm in ("salesforce", "mixed"):
        contracts["salesforce"] = load_contract(CONTRACT_PATH)
    if crm in ("hubspot", "mixed"):
        contracts["hubspot"] = load_contract(HUBSPOT_CONTRACT_PATH, "hubspot", HUBSPOT_OBJECTS)
    folders = {name: out_dir / name for name in contracts} if crm == "mixed" else {crm: out_dir}
    if out_dir.exists() and not out_dir.is_dir():
        raise SystemExit(f"error: --out {out_dir} exists and is not a folder; pass a folder path")
    for name, folder in folders.items():
        prepare_folder(folder, export_names(name))
    if crm == "mixed":
        (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
    log(f"Generating a {crm} export into {out_dir} (seed {args.seed}, scale {sizes.scale:g}, "
        f"{sizes.activities:,} activities)")
    split = CrmSplit(crm, MIXED_HUBSPOT_SEGMENTS if crm == "mixed" else frozenset())
    company = Company(sizes, args.seed, split)
    compress = args.gzip and args.format == "csv"
    manifests = {}
    if "salesforce" in folders:
        if crm == "mixed":
            log("Salesforce teams:")
        writer = SalesforceWriter(company, contracts["salesforce"], folders["salesforce"], args.seed, log, compress)
        writer.write_all()
        if args.format == "parquet":
            convert_to_parquet(folders["salesforce"], writer.files, log)
        manifests["salesforce"] = build_manifest(args, sizes, writer)
        write_manifest(folders["salesforce"], manifests["salesforce"], log)
    if "hubspot" in folders:
        if crm == "mixed":
            log("HubSpot teams:")
        hub = HubSpotWriter(company, contracts["hubspot"], folders["hubspot"], args.seed, log, compress)
        hub.write_all()
        if args.format == "parquet":
            convert_to_parquet(folders["hubspot"], hub.files, log)
        manifests["hubspot"] = build_hubspot_manifest(args, sizes, hub)
        write_manifest(folders["hubspot"], manifests["hubspot"], log)
    if crm != "mixed":
        return manifests[crm]
    teams = {name: sorted({f"{u.role_name}" + (f" ({u.title})" if u.role_name == "Sales Manager" else "")
                           for u in company.users if company.user_crm[u.index] == name}) for name in folders}
    manifest = {
        "generator": "scripts/generate_demo_data.py",
        "manifest_version": MANIFEST_VERSION,
        "crm": "mixed",
        "arguments": arguments_of(args),
        "hubspot_segments": sorted(MIXED_HUBSPOT_SEGMENTS),
        "folders": {name: name for name in folders},
        "teams": teams,
        "activities_target": sizes.activities,
        "activity_records": {name: m["effective"]["activity_records"] for name, m in manifests.items()},
    }
    write_manifest(out_dir, manifest, log)
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    log: Callable[[str], None] = (lambda _msg: None) if args.quiet else (lambda msg: print(msg, flush=True))
    try:
        generate(args, log)
    except ContractError as error:
        print(f"error: {error}. Fix the sources YAML or the generator's column lists.", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot write the export: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""No contact or lead PII in any public mart.

The rule: the public marts are every model under `models/marts/` (read from the manifest of the
build, not from a hand list). No mart may hold
  - a column named for personal data: email, phone / mobile / fax, first / last / full name,
    salutation, address / street, birth date, or the name of a contact, lead or person
    (`contact_name`, `lead_name`, a bare `name`);
  - in any string column, a value shaped like an email address or a phone number, or a value
    containing the name, first name, last name, email or phone of any contact or lead of the raw
    export.
Reps are the exception for names only: the Salesforce users who own accounts and log activity are
the product's own users, named in their performance marts (`rep_name`, `manager_name` in
`dim_reps`, `rep_scorecard`, …). That is not contact PII. A rep is still never emailed or phoned
in a mart: the email and phone patterns apply to every value.

The export scanned is the bad-input corpus' dirty export (tests/fixtures/bad_inputs/dirty_export),
whose contacts and leads carry distinctive fake names (Latin, Arabic, with combining marks and
emoji), emails at privacy-canary.example and phone numbers in several formats.
"""
from __future__ import annotations

import csv
import json
import re

import duckdb
import pytest

from conftest import BAD_INPUTS, DbtResult

# A column *holding* personal data ends in its kind (`contact_email`, `phone`); `email_touch_count`
# counts the email channel and is not one.
PII_COLUMN = re.compile(
    r"(^|_)(email|email_address|phone|phone_number|mobile|mobile_phone|fax|first_name|last_name|"
    r"full_name|salutation|address|street|birth_?date|ssn)$|^(contact|lead|person)_name$|^name$")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+\d[\d ().-]{7,}\d|\(\d{3}\)\s?\d{3}[-. ]\d{4}|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b")
PERSON_FIELDS = ("Name", "FirstName", "LastName", "Email", "Phone")


def raw_person_values() -> set[str]:
    """Names, emails and phones of every contact and lead of the raw export."""
    values = set()
    for name in ("contact", "lead"):
        with (BAD_INPUTS / "dirty_export" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                values.update(row[field].strip() for field in PERSON_FIELDS if row.get(field, "").strip())
    return values


def mart_names(build: DbtResult) -> list[str]:
    manifest = json.loads((build.database.parent / "target" / "manifest.json").read_text())
    return sorted(node["alias"] for node in manifest["nodes"].values()
                  if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/"))


def string_columns(connection, table: str) -> list[str]:
    return [row[0] for row in connection.sql(
        "select column_name from information_schema.columns "
        f"where table_schema = 'main' and table_name = '{table}' and data_type = 'VARCHAR'").fetchall()]


def pii_findings(connection, table: str, person_values: set[str]) -> list[str]:
    """Every PII-shaped value or raw contact/lead value in the string columns of `table`."""
    findings = []
    for column in string_columns(connection, table):
        values = [row[0] for row in connection.sql(
            f'select distinct "{column}" from main."{table}" where "{column}" is not null').fetchall()]
        for value in values:
            if EMAIL.search(value) or PHONE.search(value):
                findings.append(f"{table}.{column} = {value!r} (email or phone)")
            findings.extend(f"{table}.{column} = {value!r} (contains {person!r})"
                            for person in person_values if person.lower() in value.lower())
    return findings


@pytest.fixture(scope="module")
def marts(dirty_export_build) -> list[str]:
    names = mart_names(dirty_export_build)
    assert len(names) >= 10, names  # the manifest was read, not an empty list
    return names


def test_no_mart_column_is_named_for_personal_data(dirty_export_build, marts):
    with duckdb.connect(str(dirty_export_build.database), read_only=True) as connection:
        named = [f"{table}.{row[0]}" for table in marts for row in connection.sql(
            "select column_name from information_schema.columns "
            f"where table_schema = 'main' and table_name = '{table}'").fetchall()
            if PII_COLUMN.search(row[0].lower())]
    assert named == []


def test_no_mart_value_is_contact_or_lead_pii(dirty_export_build, marts):
    person_values = raw_person_values()
    assert len(person_values) >= 30  # 6 contacts + 4 leads, five fields each
    with duckdb.connect(str(dirty_export_build.database), read_only=True) as connection:
        scanned = sum(len(string_columns(connection, table)) for table in marts)
        findings = [finding for table in marts for finding in pii_findings(connection, table, person_values)]
    assert scanned >= 20
    assert findings == []


def test_the_scan_finds_the_pii_where_it_is(dirty_export_build):
    """Control: staging keeps contact names, emails and phones, and the same scan finds them there,
    so a clean mart result means the marts dropped them, not that the scan is blind."""
    with duckdb.connect(str(dirty_export_build.database), read_only=True) as connection:
        findings = pii_findings(connection, "stg_crm__contacts", raw_person_values())
    joined = "\n".join(findings)
    for expected in ("quentin.zv@privacy-canary.example", "(212) 555-0187", "+49 30 901820 77",
                     "ليلى حداد", "Ame\u0301lie N\u0303u\u0301n\u0303ez \U0001F389"):
        assert expected in joined
    assert PII_COLUMN.search("contact_email") and PII_COLUMN.search("contact_name")
    assert not any(PII_COLUMN.search(name) for name in ("rep_name", "account_name", "email_touch_count"))


def test_rep_names_are_the_only_person_names_and_appear_in_rep_marts(dirty_export_build, marts):
    """The documented exception holds and is narrow: rep names do reach the rep marts."""
    with duckdb.connect(str(dirty_export_build.database), read_only=True) as connection:
        names = {row[0] for row in connection.sql("select rep_name from main.dim_reps").fetchall()}
    assert "Rita Rep" in names and "dim_reps" in marts

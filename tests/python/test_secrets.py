"""No credential in the repository.

- profiles.yml: in every target, every credential-like key (password, user, host, token, key,
  secret, account, …) takes its value from an environment variable (`env_var(...)`), never a
  literal.
- Every file git tracks (plus new files not ignored, so a commit cannot add one) is free of
  secret-looking strings: cloud access keys, private keys, tokens, passwords in URLs, password or
  token assignments with a literal value.
Each check is first shown to flag a planted example, so a passing run means "nothing found",
not "nothing looked for".
"""
from __future__ import annotations

import re
import subprocess

import yaml

from conftest import REPO

CREDENTIAL_KEY = re.compile(
    r"pass|password|passphrase|user|username|login|host|token|key|secret|account|auth|"
    r"credential|dsn|connection|role|warehouse|database|keyfile|client_id|client_secret", re.IGNORECASE)
SECRET_PATTERNS = {
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key block": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"{}]+:[^/\s@'\"{}]+@[^\s/'\"]+"),
    "literal password or token": re.compile(
        r"(?i)\b(?:password|passwd|pwd|secret|api_?key|token)\b\s*[:=]\s*['\"][^'\"\s{}$]{6,}['\"]"),
}
MAX_BYTES = 2_000_000


def credential_problems(profiles: dict) -> list[str]:
    """`target.key` of every credential-like key whose value is not an env_var(...) template."""
    problems = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if CREDENTIAL_KEY.search(str(key)) and not isinstance(value, (dict, list)) \
                        and "env_var(" not in str(value):
                    problems.append(f"{path}.{key}")
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    for profile_name, profile in profiles.items():
        if isinstance(profile, dict):
            for target_name, target in (profile.get("outputs") or {}).items():
                walk(target, f"{profile_name}.{target_name}")
    return problems


def secret_findings(text: str) -> list[str]:
    return [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]


def repo_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    return [name for name in listed.split("\0") if name]


def test_the_checks_flag_planted_credentials():
    planted = {"p": {"outputs": {"prod": {
        "type": "postgres", "host": "db.internal", "user": "{{ env_var('PGUSER') }}",
        "password": "hunter2hunter2", "port": 5432, "threads": 4}}}}
    assert sorted(credential_problems(planted)) == ["p.prod.host", "p.prod.password"]
    examples = {  # assembled here so this file itself holds no secret-looking string
        "AWS access key id": "AKIA" + "Q" * 16,
        "private key block": "-----BEGIN " + "RSA PRIVATE KEY-----",
        "GitHub token": "ghp_" + "a1" * 18,
        "Slack token": "xoxb-" + "1234567890-abc",
        "Google API key": "AIza" + "b" * 35,
        "password in a URL": "postgres://analyst:" + "s3cret@db.example:5432/crm",
        "literal password or token": "password: '" + "hunter2hunter2'",
    }
    for name, text in examples.items():
        assert name in secret_findings(text), name
    assert secret_findings("path: \"{{ env_var('SALES_ACTIVITY_DUCKDB_PATH', 'target/x.duckdb') }}\"") == []
    assert secret_findings("password: \"{{ env_var('PG_PASSWORD') }}\"") == []


def test_profiles_take_every_credential_from_the_environment():
    profiles = yaml.safe_load((REPO / "profiles.yml").read_text())
    targets = [target for profile in profiles.values() if isinstance(profile, dict)
               for target in (profile.get("outputs") or {})]
    assert targets, "profiles.yml defines no target"
    assert credential_problems(profiles) == []


def test_no_secret_looking_string_in_the_repository():
    files = repo_files()
    assert "profiles.yml" in files and "dbt_project.yml" in files
    findings = []
    for name in files:
        path = REPO / name
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:  # binary (gzip, parquet, images)
            continue
        findings.extend(f"{name}: {finding}" for finding in secret_findings(data.decode("utf-8", "replace")))
    assert findings == []

"""Bad input to an access request: a clear error, and the request recorded as failed.

Each case is checked twice: through the Python API (a SkyddError naming what is
wrong) and through the CLI (exit code 2, the message, no traceback). The audit
log then holds the failed request with its reason, and never the identity
value, not even masked.
"""

from __future__ import annotations

import json
import re
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skydd.cli import app
from skydd.errors import SkyddError
from skydd.identity import mask
from skydd.requests.access import access, export
from skydd.store import open_store

Breaker = Callable[[Path], None]


def _set_url(system: str, url: str) -> Breaker:
    def breaker(map_path: Path) -> None:
        text = map_path.read_text(encoding="utf-8")
        text = text.replace(f"url: sqlite:///{system}.db", f"url: {url}")
        map_path.write_text(text, encoding="utf-8")

    return breaker


def _sql(db: str, statement: str) -> Breaker:
    def breaker(map_path: Path) -> None:
        with sqlite3.connect(map_path.parent / f"{db}.db") as conn:
            conn.execute(statement)
        conn.close()

    return breaker


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _nothing(map_path: Path) -> None:
    return None


# (case, identities, how to break the setup, what the message must say)
CASES: list[tuple[str, list[tuple[str, str]], Breaker, str]] = [
    ("unknown kind", [("shoe", "storlek 42")], _nothing, "unknown identity kind 'shoe'"),
    ("malformed personnummer", [("personnummer", "19121212-1213")], _nothing, "personnummer"),
    ("malformed email", [("email", "anna.svensson.example.se")], _nothing, "email"),
    (
        "missing sqlite file",
        [("email", "anna.svensson@example.se")],
        _set_url("erp", "sqlite:///no-such-folder/erp.db"),
        "system 'erp'.*no SQLite database",
    ),
    (
        "postgres on a closed port",
        [("email", "anna.svensson@example.se")],
        _set_url("erp", f"postgresql://skydd@127.0.0.1:{_closed_port()}/erp"),
        "system 'erp'.*cannot connect to PostgreSQL at 127.0.0.1",
    ),
    (
        "missing table",
        [("email", "anna.svensson@example.se")],
        _sql("erp", "drop table invoices"),
        "erp.invoices.*no table 'invoices'",
    ),
    (
        "missing column",
        [("email", "anna.svensson@example.se")],
        _sql("crm", "alter table contacts rename column phone to telefon"),
        r"crm\.contacts\.phone.*no such column",
    ),
]
IDS = [c[0] for c in CASES]


def _request_records(map_path: Path) -> list[dict[str, object]]:
    with open_store(None, default_dir=map_path.parent) as store:
        return [r.payload for r in store.audit.records(kind="request-recorded")]


def _assert_recorded(
    map_path: Path, identities: list[tuple[str, str]], message: str, request_type: str = "access"
) -> dict[str, object]:
    records = _request_records(map_path)
    assert len(records) == 1
    payload = records[0]
    assert payload["status"] == "failed"
    assert payload["request_type"] == request_type
    assert payload["counts"] == {}
    assert isinstance(payload["reason"], str) and payload["reason"]
    stored = json.dumps(payload, ensure_ascii=False)
    for _kind, value in identities:
        assert value not in stored
        assert mask(value) not in stored
    return payload


@pytest.mark.parametrize(("case", "identities", "breaker", "message"), CASES, ids=IDS)
def test_api_error_is_clear_and_recorded(
    small_map: Path,
    tmp_path: Path,
    case: str,
    identities: list[tuple[str, str]],
    breaker: Breaker,
    message: str,
) -> None:
    breaker(small_map)
    with pytest.raises(SkyddError, match=message) as caught:
        access(small_map, identities, out=tmp_path / "out", pdf=False)
    error = caught.value
    assert error.hint or "expected" in error.message, "every error says what to do"
    payload = _assert_recorded(small_map, identities, message)
    if case == "unknown kind":
        assert payload["identity_kinds"] == ["shoe"]
        assert payload["reason"] == "unknown identity kind 'shoe'"
    assert not (tmp_path / "out" / "data.json").exists()


@pytest.mark.parametrize(("case", "identities", "breaker", "message"), CASES, ids=IDS)
def test_cli_error_exit_2_without_traceback(
    small_map: Path,
    tmp_path: Path,
    case: str,
    identities: list[tuple[str, str]],
    breaker: Breaker,
    message: str,
) -> None:
    breaker(small_map)
    args = [
        "request",
        "access",
        "--map",
        str(small_map),
        "--out",
        str(tmp_path / "out"),
        "--no-pdf",
    ]
    for kind, value in identities:
        args += ["--identity", f"{kind}={value}"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert "error:" in res.output
    flat = " ".join(res.output.split())
    assert re.search(message, flat), flat
    _assert_recorded(small_map, identities, message)


def test_export_failure_is_recorded_too(small_map: Path, tmp_path: Path) -> None:
    _sql("crm", "drop table contacts")(small_map)
    with pytest.raises(SkyddError, match="crm.contacts"):
        export(small_map, {"email": "anna.svensson@example.se"}, out=tmp_path / "out")
    _assert_recorded(
        small_map, [("email", "anna.svensson@example.se")], "", request_type="portability"
    )


def test_unknown_language_is_recorded(small_map: Path) -> None:
    with pytest.raises(SkyddError, match="unknown language 'fi'"):
        access(small_map, {"email": "anna.svensson@example.se"}, lang="fi")
    payload = _assert_recorded(small_map, [("email", "anna.svensson@example.se")], "")
    assert payload["identity_kinds"] == ["email"]


def test_database_error_text_never_reaches_the_log(small_map: Path) -> None:
    """A database may quote a bound value back in its error; the log must not keep it."""
    from skydd.requests.access import _reason

    exc = SkyddError(
        "the search in crm.contacts failed: invalid input syntax for type "
        'integer: "Anna.Svensson@example.se"'
    )
    reason = _reason(exc, [("email", "anna.svensson@example.se")], "SE")
    assert "Svensson" not in reason and "svensson" not in reason
    phone = SkyddError("the search failed near '070-123 45 67'")
    assert "45 67" not in _reason(phone, [("phone", "+46701234567")], "SE")


def test_successful_request_is_recorded_without_values(small_map: Path, tmp_path: Path) -> None:
    access(small_map, {"email": "anna.svensson@example.se"}, out=tmp_path / "o", pdf=False)
    records = _request_records(small_map)
    assert [r["status"] for r in records] == ["done"]
    assert records[0]["counts"] == {"crm.contacts": 1, "erp.invoices": 2}
    assert "anna" not in json.dumps(records[0])


def test_missing_table_fails_even_when_the_person_is_not_found(small_map: Path) -> None:
    """Every table is checked before the search: "nothing found" must mean searched."""
    _sql("erp", "drop table invoices")(small_map)
    with pytest.raises(SkyddError, match="erp.invoices"):
        access(small_map, {"email": "nobody@example.se"}, record=False)

"""`skydd deadline`, `skydd requests …` and `skydd staff …` through the real CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from skydd.cli import app
from skydd.store import StaffAction, open_store
from skydd.workflow import authenticate


def cli(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.stderr


def js(*args: str) -> Any:
    return json.loads(cli(*args, "--format", "json"))


def test_deadline_prints_the_date_first_and_the_rule_next() -> None:
    text = cli("deadline", "--received", "2025-03-05", "--country", "SE")
    first, rule = text.splitlines()[:2]
    assert first == "2025-04-07"
    assert "Saturday" in rule and "1182/71" in rule
    scot = js("deadline", "--received", "2026-03-06", "--country", "GB", "--subdivision", "SCT")
    assert scot["date"] == "2026-04-06"
    assert (
        js("deadline", "--received", "2026-01-06", "--country", "DK", "--months", "3")["date"]
        == "2026-04-07"
    )
    err = cli("deadline", "--received", "5 March", "--country", "SE", code=2)
    assert "not a date" in err and "Traceback" not in err


def test_staff_add_list_revoke(map_path: Path) -> None:
    m = ("--map", str(map_path))
    out = cli("staff", "add", "anna.dpo", "--role", "dpo", *m)
    token = out.split()[-1]
    assert token.startswith("skydd_") and "shown only now" in out
    added = js("staff", "add", "bo", "--role", "support", *m)
    assert added["role"] == "support" and added["token"].startswith("skydd_")
    with open_store(None, default_dir=map_path.parent) as store:
        staff = authenticate(store, token)
        assert staff is not None and staff.name == "anna.dpo"
    listed = js("staff", "list", *m)["staff"]
    assert [(s["name"], s["role"], s["revoked_at"]) for s in listed] == [
        ("anna.dpo", "dpo", None),
        ("bo", "support", None),
    ]
    assert token not in cli("staff", "list", *m)
    assert hashlib.sha256(token.encode()).hexdigest() not in json.dumps(listed)
    assert "revoked anna.dpo" in cli("staff", "revoke", "anna.dpo", *m)
    with open_store(None, default_dir=map_path.parent) as store:
        assert authenticate(store, token) is None
    assert "unknown role" in cli("staff", "add", "x", "--role", "admin", *m, code=2)


def test_a_dpo_works_the_queue_from_the_command_line(map_path: Path, tmp_path: Path) -> None:
    m = ("--map", str(map_path), "--actor", "anna.dpo")
    sub = js("requests", "submit", "access", "-i", "email=anna.svensson@example.se",
             "--channel", "post", "--lang", "sv", "--received", "2025-03-05", *m)  # fmt: skip
    rid = sub["id"]
    assert sub["state"] == "received" and sub["due"] == "2025-04-07"
    assert "anna" not in json.dumps(sub)
    other = js("requests", "submit", "erase", "-i", "email=bo.berg@example.se", *m)["id"]

    queue = js("requests", "list", "--map", str(map_path))["requests"]
    assert [r["id"] for r in queue] == [rid, other]
    assert "anna" not in json.dumps(queue)
    text = cli("requests", "list", "--due-within", "7d", "--map", str(map_path))
    assert rid in text and other not in text  # the 2025 request is overdue, the new one not
    assert js("requests", "list", "--state", "done", "--map", str(map_path))["requests"] == []

    js("requests", "verify", rid, "--method", "in-person", *m)
    js("requests", "start", rid, *m)
    ext = cli("requests", "extend", rid, "--reason", "Many requests.", "--told", "2025-03-06",
              *m, code=1 if False else 2)  # fmt: skip
    assert "past its first month" in ext
    fee = js("requests", "fee", rid, "--amount", "150 SEK", "--reason", "A further copy.", *m)
    assert fee["fee_amount"] == "150 SEK"
    done = js("requests", "complete", rid, "--result", "letter-2025-17", *m)
    assert done["state"] == "done" and done["result_ref"] == "letter-2025-17"

    shown = js("requests", "show", rid, "--map", str(map_path))
    assert [e["action"] for e in shown["events"]] == [
        "submit", "verify", "start", "charge-fee", "complete"
    ]  # fmt: skip
    assert {e["actor"] for e in shown["events"]} == {"anna.dpo"}
    assert "identities" not in shown
    revealed = js("requests", "show", other, "--reveal", *m)
    assert revealed["identities"] == [["email", "bo.berg@example.se"]]
    with open_store(None, default_dir=map_path.parent) as store:
        reads = [r for r in store.audit.records(kind=StaffAction) if r.payload["action"] == "read"]
    assert [(r.actor, r.payload["target"]) for r in reads] == [("anna.dpo", f"request:{other}")]

    js("requests", "verify", other, "--method", "account", *m)
    ran = js("requests", "run", other, "--out", str(tmp_path / "receipt"), *m)
    assert ran["state"] == "done" and ran["completed"] and ran["summary"]["verified"]
    illegal = cli("requests", "refuse", other, "--reason", "Late.", *m, code=2)
    assert "cannot be refused" in illegal and "Traceback" not in illegal
    assert "no request has the id" in cli("requests", "show", "RQ-x", "--map", str(map_path),
                                          code=2)  # fmt: skip


def test_remind_dry_run_lists_what_would_be_sent(map_path: Path) -> None:
    m = ("--map", str(map_path))
    rid = js("requests", "submit", "access", "-i", "email=anna.svensson@example.se",
             "--received", "2025-03-05", *m)["id"]  # fmt: skip
    found = js("requests", "remind", "--dry-run", *m)
    assert found["sent"] is False
    assert [(r["request_id"], r["threshold"]) for r in found["reminders"]] == [(rid, 2)]
    assert "would remind of 1 request" in cli("requests", "remind", "--dry-run", *m)

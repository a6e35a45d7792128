"""`skydd marketing export` and the consent commands, through the CLI as people use them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from skydd.cli import app
from skydd.consent import Choice, Proof, open_book
from skydd.consent.marketing import audience


def cli(company: Path, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, [*args, "--map", str(company), "--format", "json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout) if code == 0 else result.output


def subscribe_everyone(company: Path) -> None:
    with open_book(company) as book:
        book.record_many(
            [
                ({"email": f"{n}@example.se"}, Choice(Proof("form", "web"), ["newsletter"]))
                for n in ("anna", "bo", "cissi", "dan", "eva")
            ]
        )


def emails(result: dict[str, Any]) -> set[str]:
    return {r["email"].lower() for r in result["rows"]}


def test_the_audience_holds_only_declared_fields_and_allowed_people(
    company: Path, tmp_path: Path
) -> None:
    subscribe_everyone(company)
    everyone = cli(company, "marketing", "export", "--tool", "mailer")
    assert everyone["fields"] == ["email"] and everyone["sources"] == ["mail.subscribers"]
    assert all(set(r) == {"email"} for r in everyone["rows"])  # no first_name
    assert len(emails(everyone)) == 5

    # restricted by phone: the CRM ties the phone to Bo's email, so the mailing loses Bo
    cli(company, "request", "restrict", "--identity", "phone=070-222 22 22")
    # Cissi objects to direct marketing by email; Dan withdraws by the link; Eva refuses
    cli(company, "request", "object", "--channel", "email", "--identity", "email=cissi@example.se")
    cli(company, "request", "withdraw", "--purpose", "newsletter", "--channel", "link",
        "--identity", "email=dan@example.se")  # fmt: skip
    cli(company, "consent", "record", "--identity", "email=eva@example.se", "--purpose",
        "newsletter", "--refused", "--how", "form")  # fmt: skip
    out = tmp_path / "audience.csv"
    after = cli(company, "marketing", "export", "--tool", "Mailer", "--list", "newsletter",
                "-o", str(out))  # fmt: skip
    assert emails(after) == {"anna@example.se"}
    assert after["left_out"] == {
        "consent_refused": 1,
        "consent_withdrawn": 1,
        "restricted": 1,
        "suppressed": 1,
    }
    with out.open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == [{"email": "anna@example.se"}]


def test_rows_blocked_under_a_legal_hold_stay_out(company: Path) -> None:
    from skydd.store import open_store
    from skydd.store.schema import blocked_rows

    subscribe_everyone(company)
    with open_store(None, default_dir=company.parent) as store, store.engine.begin() as conn:
        conn.execute(
            blocked_rows.insert().values(
                table_key="mail.subscribers", row_key="[101]", request_id="R-1",
                blocked_at="2026-11-01T00:00:00+00:00",
            )
        )  # fmt: skip
    result = audience(company, tool="mailer")
    assert "anna@example.se" not in {r["email"] for r in result.rows}
    assert len(result.rows) == 4


def test_export_errors_say_what_to_do(company: Path) -> None:
    assert "no recipient 'nobody'" in cli(
        company, "marketing", "export", "--tool", "nobody", code=2
    )
    assert "not declared to receive data for 'offers'" in cli(
        company, "marketing", "export", "--tool", "mailer", "--list", "offers", code=2
    )


def test_staff_commands(company: Path) -> None:
    who = ("--identity", "email=anna@example.se")
    cli(company, "consent", "record", *who, "--purpose", "newsletter", "--granted", "--how",
        "phone", "--by", "lisa", "--at", "2026-10-01 10:00", "--reference", "C-1")  # fmt: skip
    result = CliRunner().invoke(
        app, ["consent", "channel", *who, "--channel", "sms", "--opt-out", "--map", str(company)]
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(
        app,
        ["consent", "register", *who, "--register", "nix", "--clear", "--checked-on",
         "2026-11-01", "--map", str(company)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = cli(company, "consent", "show", *who)
    assert shown["consents"]["newsletter"]["recorded_by"] == "lisa"
    assert shown["channels"]["sms"]["state"] == "opted_out"
    assert shown["registers"]["NIX"]["checked_on"] == "2026-11-01"
    yes = cli(company, "consent", "may", *who, "--purpose", "newsletter", "--channel", "email")
    assert yes["allowed"] is True
    no = CliRunner().invoke(
        app, ["consent", "may", *who, "-p", "newsletter", "--channel", "sms", "--map", str(company)]
    )
    assert no.exit_code == 1 and "channel_opted_out" in no.stdout
    stats = cli(company, "consent", "stats", "--by", "month")
    assert stats == [
        {"period": "2026-10", "purpose": "newsletter", "granted": 1, "refused": 0,
         "withdrawn": 0, "accept_rate": 1.0},
    ]  # fmt: skip
    pending = cli(company, "request", "object", *who, "--purpose", "profiling")
    assert pending["status"] == "received"
    decided = cli(company, "consent", "decide", *who, "--purpose", "profiling", "--reject",
                  "--grounds", "fraud prevention outweighs", "--by", "dpo")  # fmt: skip
    assert decided["status"] == "done" and decided["detail"].startswith("rejected")
    text = CliRunner().invoke(app, ["consent", "show", *who, "--map", str(company)])
    assert "newsletter" in text.stdout and "sms" in text.stdout
    bad = CliRunner().invoke(
        app, ["request", "unrestrict", *who, "--told-on", "2026-11-01", "--told-how", "email",
              "--map", str(company)],
    )  # fmt: skip
    assert bad.exit_code == 2 and "not restricted" in bad.output and "Traceback" not in bad.output


def test_import_brings_a_crms_consents_in_with_their_times(company: Path, tmp_path: Path) -> None:
    records = tmp_path / "consents.csv"
    records.write_text(
        "email,phone,purpose,decision,at,method,channel,recorded_by,reference\n"
        "anna@example.se,,newsletter,granted,2024-03-01 10:00,phone,phone,lisa,CALL-1\n"
        "ANNA@example.se,,newsletter,withdrawn,2025-01-01 09:00,link,email,,\n"
        ",070-222 22 22,newsletter,withdrawn,2023-01-01 09:00,email,email,,\n"
        "bo@example.se,,newsletter,granted,2024-06-01 12:00,phone,phone,lisa,CALL-2\n",
        encoding="utf-8",
    )
    result = cli(company, "consent", "import", str(records))
    assert result == {"rows": 4, "identities": 3, "decisions": {"granted": 2, "withdrawn": 2}}
    shown = cli(company, "consent", "show", "--identity", "email=anna@example.se")
    assert shown["consents"]["newsletter"]["decision"] == "withdrawn"
    bo = cli(company, "consent", "show", "--identity", "email=bo@example.se")
    assert bo["consents"]["newsletter"]["recorded_by"] == "lisa"

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,purpose,decision,at,method,channel\n"
        "cissi@example.se,newsletter,granted,2024-03-01,phone,phone\n"
        "dan@example.se,newsletter,maybe,2024-03-01,phone,phone\n",
        encoding="utf-8",
    )
    assert f"{bad}:3: decision must be" in cli(company, "consent", "import", str(bad), code=2)
    unknown = cli(company, "consent", "show", "--identity", "email=cissi@example.se")
    assert unknown["consents"] == {}  # nothing was written from the bad file
    header = tmp_path / "header.csv"
    header.write_text("mail,purpose,decision\nx,y,z\n", encoding="utf-8")
    message = cli(company, "consent", "import", str(header), code=2)
    assert "missing at, method, channel" in message and "unknown mail" in message

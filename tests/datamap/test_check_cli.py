"""`skydd check` on valid maps: exit codes, JSON output and where the map is found."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from skydd.checking import run_check
from skydd.cli import app

runner = CliRunner()
SMALL = Path(__file__).parent / "maps" / "small.yaml"
SMALL_TEXT = SMALL.read_text(encoding="utf-8")


def _variant(tmp_path: Path, *pairs: str, name: str = "privacy.yaml") -> Path:
    """The small map with each `old` replaced by `new`, written to tmp_path."""
    text = SMALL_TEXT
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def _line_of(file: Path, text: str) -> int:
    lines = file.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


@pytest.fixture(autouse=True)
def _no_map_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKYDD_MAP", raising=False)


def test_small_map_is_clean() -> None:
    data = yaml.safe_load(SMALL_TEXT)
    tables = [t for system in data["systems"].values() for t in system["tables"].values()]
    columns = sum(len(t["columns"]) for t in tables)
    result = runner.invoke(app, ["check", "--map", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert (
        f"✓ {SMALL}: {len(data['systems'])} systems, {len(tables)} tables, {columns} columns, "
        f"{len(data['purposes'])} purposes; 0 errors, "
    ) in result.output
    assert " error SKD" not in result.output


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    file = _variant(
        tmp_path,
        "legal_obligation\n    law: Bokföringslagen (1999:1078) 7 kap. 2 §\n",
        "legal_obligation\n",
    )
    result = runner.invoke(app, ["check", "--map", str(file)])
    assert result.exit_code == 0, result.output
    line = _line_of(file, "  bookkeeping:")
    assert (
        f"{file}:{line}: warning SKD103 (PN-1) purpose 'bookkeeping' is a legal obligation"
        in result.output
    )
    assert "hint: add 'law:'" in result.output


def test_purpose_without_legal_basis_exits_1(tmp_path: Path) -> None:
    file = _variant(tmp_path, "    legal_basis: contract\n", "")
    result = runner.invoke(app, ["check", "--map", str(file)])
    assert result.exit_code == 1, result.output
    [line] = [line for line in result.output.splitlines() if "SKD101" in line]
    assert line.startswith(f"{file}:{_line_of(file, '  orders:')}: error SKD101")
    assert "purpose 'orders' has no legal basis" in line
    assert re.search(r"; 1 errors?, \d+ warnings?", result.output), result.output


def test_todo_legal_basis_is_a_finding_not_an_invalid_map(tmp_path: Path) -> None:
    file = _variant(tmp_path, "legal_basis: contract", "legal_basis: TODO")
    result = runner.invoke(app, ["check", "--map", str(file)])
    assert result.exit_code == 1, result.output
    assert "SKD101" in result.output


def test_json_output(tmp_path: Path) -> None:
    file = _variant(tmp_path, "    legal_basis: contract\n", "")
    result = runner.invoke(app, ["check", "--map", str(file), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {"valid", "errors", "findings", "summary", "exit_code"} <= set(report)
    assert report["valid"] is True
    assert report["errors"] == []
    assert report["exit_code"] == 1
    [finding] = [f for f in report["findings"] if f["level"] == "error"]
    assert finding["code"] == "SKD101"
    assert finding["level"] == "error"
    assert finding["line"] == _line_of(file, "  orders:")
    assert finding["path"] == "purposes.orders"
    assert finding["legal"] and finding["hint"]
    assert report["summary"]["error"] == 1


def test_json_output_of_a_clean_map() -> None:
    result = runner.invoke(app, ["check", "-m", str(SMALL), "-f", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["valid"] is True and report["exit_code"] == 0
    assert report["errors"] == []
    assert all(f["level"] != "error" for f in report["findings"])
    assert report["summary"]["error"] == 0
    assert report["summary"]["systems"] == len(yaml.safe_load(SMALL_TEXT)["systems"])
    assert len(report["sha256"]) == 64


def test_unknown_format(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--map", str(SMALL), "--format", "xml"])
    assert result.exit_code == 2
    assert "unknown format 'xml'" in result.output
    assert "Traceback" not in result.output


def test_as_of_judges_dates_on_that_day() -> None:
    # DPF certification was checked on 2026-06-01; more than a year later it is stale.
    result = runner.invoke(app, ["check", "--map", str(SMALL), "--as-of", "2027-07-01"])
    assert "SKD203" in result.output
    result = runner.invoke(app, ["check", "--map", str(SMALL), "--as-of", "2026-07-01"])
    assert "SKD203" not in result.output
    result = runner.invoke(app, ["check", "--map", str(SMALL), "--as-of", "next week"])
    assert result.exit_code == 2
    assert "--as-of: 'next week' is not a date" in result.output


def test_skydd_map_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = _variant(tmp_path, name="elsewhere.yaml")
    monkeypatch.setenv("SKYDD_MAP", str(file))
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert str(file) in result.output
    assert run_check().file == file


def test_map_option_wins_over_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKYDD_MAP", str(tmp_path / "missing.yaml"))
    result = runner.invoke(app, ["check", "--map", str(SMALL)])
    assert result.exit_code == 0, result.output


def test_default_map_in_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _variant(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "privacy.yaml" in result.output
    assert run_check().file == Path("privacy.yaml")


def test_no_map_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "privacy.yaml: file not found" in result.output
    assert "SKYDD_MAP" in result.output

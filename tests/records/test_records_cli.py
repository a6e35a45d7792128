"""`skydd ropa` from the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from skydd.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

runner = CliRunner()
AXSENSOR = str(EXAMPLES / "axsensor" / "privacy.yaml")


def test_ropa_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "ropa.xlsx"
    result = runner.invoke(app, ["ropa", "-m", AXSENSOR, "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Art. 30(1) Controller", "Art. 30(2) Processor", "Missing"]
    assert wb["Missing"]["A2"].value == "Every item is filled from the data map."


def test_ropa_csv_records_and_html() -> None:
    result = runner.invoke(app, ["ropa", "-m", AXSENSOR, "-f", "csv", "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 13 and rows[0]["Legal basis"] == "Contract (art. 6(1)(b))"
    result = runner.invoke(app, ["ropa", "-m", AXSENSOR, "-f", "csv", "--record", "processor"])
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout)))[0][0] == "Behandling"
    result = runner.invoke(app, ["ropa", "-m", AXSENSOR, "-f", "html", "--lang", "da"])
    assert result.exit_code == 0 and '<html lang="da">' in result.stdout
    assert "Fortegnelse over behandlingsaktiviteter" in result.stdout


def test_ropa_errors() -> None:
    result = runner.invoke(app, ["ropa", "-m", AXSENSOR])
    assert result.exit_code == 2 and "add -o FILE.xlsx" in result.output
    acte = str(EXAMPLES / "acte" / "privacy.yaml")
    result = runner.invoke(app, ["ropa", "-m", acte, "-f", "csv", "--record", "processor"])
    assert result.exit_code == 2 and "no processing for others" in result.output
    result = runner.invoke(app, ["ropa", "-m", AXSENSOR, "-f", "html", "--lang", "fi"])
    assert result.exit_code == 2 and "unknown language 'fi'" in result.output
    assert "Traceback" not in result.output


def test_the_default_language_is_the_authoritys() -> None:
    for company, lang in (("astrak", "en"), ("advansor", "da"), ("entrack", "sv")):
        path = str(EXAMPLES / company / "privacy.yaml")
        result = runner.invoke(app, ["ropa", "-m", path, "-f", "html"])
        assert result.exit_code == 0, result.output
        assert f'<html lang="{lang}">' in result.stdout

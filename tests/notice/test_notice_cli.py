"""`skydd notice` through the CLI, and the completeness check (Art. 13/14 items not filled)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from notice_examples import ROOT, example
from typer.testing import CliRunner

from skydd import notice
from skydd.cli import app
from skydd.datamap.models import DataMap


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def axsensor(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "examples" / "axsensor" / "privacy.yaml", tmp_path / "privacy.yaml")
    return tmp_path / "privacy.yaml"


def test_markdown_on_stdout_and_gaps_on_stderr(axsensor: Path) -> None:
    code, out, err = _run("notice", "--map", str(axsensor), "--lang", "sv", "--format", "md")
    assert code == 0
    assert out.startswith("# Integritetspolicy: AXsensor AB")
    # The policy's own complaint text names Datainspektionen: left out, and said so.
    assert "Datainspektionen" not in out
    assert "notice.extra.original_complaint_text.sv" in err and "IMY" in err


def test_check_lists_the_gaps_with_exit_code_1(axsensor: Path) -> None:
    code, out, _ = _run("notice", "--map", str(axsensor), "--check")
    assert code == 1
    assert "Art. 13(2)(d) at notice.extra.original_complaint_text.sv" in out
    # Without the outdated text every item is filled: exit 0.
    text = axsensor.read_text(encoding="utf-8")
    start = text.index("    original_complaint_text:")
    end = text.index("    no_sale:")
    axsensor.write_text(text[:start] + text[end:], encoding="utf-8")
    code, out, _ = _run("notice", "--map", str(axsensor), "--check")
    assert (code, out.strip()) == (0, "The map fills every Art. 13 and 14 item.")


def test_html_and_pdf_to_files(axsensor: Path, tmp_path: Path) -> None:
    page = tmp_path / "notice.html"
    code, out, _ = _run("notice", "-m", str(axsensor), "-l", "en", "-o", str(page))
    assert code == 0 and out == ""
    assert page.read_text(encoding="utf-8").startswith('<!doctype html>\n<html lang="en">')
    code, _, err = _run("notice", "-m", str(axsensor), "--format", "pdf")
    assert code == 2 and "-o" in err


def test_default_language_is_the_controllers_and_errors_are_friendly(axsensor: Path) -> None:
    code, out, _ = _run("notice", "-m", str(axsensor), "-f", "md")
    assert code == 0 and out.startswith("# Integritetspolicy")
    code, _, err = _run("notice", "-m", str(axsensor), "-l", "fi")
    assert code == 2 and "use sv, en or da" in err
    code, _, err = _run("notice", "-m", str(axsensor), "-f", "docx")
    assert code == 2 and "html, md, pdf, json" in err


def test_request_form_url_from_the_option_or_the_base_url(
    axsensor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "https://privacy.axsensor.com/begaran"
    _, out, _ = _run("notice", "-m", str(axsensor), "-f", "md", "--request-url", url)
    assert f"Enklast är att använda vårt formulär: {url}." in out
    monkeypatch.setenv("SKYDD_BASE_URL", "https://skydd.example.se/")
    _, out, _ = _run("notice", "-m", str(axsensor), "-f", "md")
    assert "https://skydd.example.se/request" in out


def test_publish_list_diff(axsensor: Path) -> None:
    code, out, _ = _run("notice", "publish", "--map", str(axsensor))
    assert code == 0 and out.startswith("published v1 (sv, en, da), sha256 ")
    code, out, _ = _run("notice", "publish", "--map", str(axsensor))
    assert code == 0 and out.startswith("unchanged; still v1")
    # The notice now says which version it is; once the map changes, it no longer does.
    _, out, _ = _run("notice", "--map", str(axsensor), "-f", "md")
    assert re.search(r"^Version v1, gäller från \d+ \w+ 20\d\d$", out, re.MULTILINE)
    text = axsensor.read_text(encoding="utf-8")
    axsensor.write_text(text.replace("lifetime: 1 year", "lifetime: 2 years"), encoding="utf-8")
    _, out, _ = _run("notice", "--map", str(axsensor), "-f", "md")
    assert "Version v1" not in out
    code, out, _ = _run("notice", "publish", "--map", str(axsensor), "--format", "json")
    assert code == 0 and json.loads(out)["version_id"] == "v2"
    code, out, _ = _run("notice", "list", "--map", str(axsensor), "--format", "json")
    assert [v["version_id"] for v in json.loads(out)] == ["v1", "v2"]
    code, out, _ = _run("notice", "diff", "v1", "v2", "--map", str(axsensor), "--lang", "sv")
    assert code == 0
    assert out == "- Cookien cookieconsent_status: livslängden har ändrats från 1 år till 2 år.\n"
    code, _, err = _run("notice", "diff", "v1", "v7", "--map", str(axsensor))
    assert code == 2 and "skydd notice list" in err


def _changed(company: str, change: object) -> DataMap:
    data = example(company).datamap.model_dump(by_alias=True)
    change(data)  # type: ignore[operator]
    return DataMap.model_validate(data)


def test_check_names_each_item_the_map_cannot_fill() -> None:
    def strip(data: dict) -> None:  # type: ignore[type-arg]
        data["controller"]["dpo"] = None
        data["controller"]["privacy_contact"] = None
        data["purposes"]["crm"]["legal_basis"] = None
        data["purposes"]["support"]["legitimate_interest"] = {"sv": "Att hjälpa dig."}
        data["recipients"]["mailchimp"]["transfer"] = None
        data["retention"]["rules"].pop("web_logs")

    from skydd.notice.check import check

    changed = _changed("axsensor", strip)
    gaps = {(g.item, g.path) for g in check(changed)}
    assert ("13(1)(b)", "controller.dpo") in gaps
    assert ("13(1)(c)", "purposes.crm.legal_basis") in gaps
    assert ("13(1)(d)", "purposes.support.legitimate_interest") in gaps
    assert ("13(1)(f)", "recipients.mailchimp.transfer") in gaps
    assert ("13(2)(a)", "retention.rules") in gaps
    assert ("13(2)(d)", "notice.extra.original_complaint_text.sv") in gaps
    # The notice is still written, and says the least that is true where the map is silent.
    text = notice.write(changed, lang="en", fmt="md")
    assert isinstance(text, str)
    assert "How long we keep this data depends on the case; feel free to ask us." in text
    assert "We have not stated a safeguard for this transfer." in text


@pytest.mark.parametrize("company", ["acte", "advansor", "astrak", "entrack"])
def test_the_other_examples_fill_every_item(company: str) -> None:
    assert notice.check(example(company)) == []


def test_a_representative_and_joint_controllers_are_named() -> None:
    def add(data: dict) -> None:  # type: ignore[type-arg]
        data["controller"]["representative"] = {"name": "Nordic Rep AB", "email": "rep@x.se"}
        data["controller"]["joint_controllers"] = [{"name": "Partner A/S"}]

    text = notice.write(_changed("astrak", add), lang="sv", fmt="md")
    assert isinstance(text, str)
    assert "Vår företrädare i EU är Nordic Rep AB, som du når på rep@x.se." in text
    assert "Vi är gemensamt personuppgiftsansvariga med Partner A/S." in text

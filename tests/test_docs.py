"""The docs are tested: every command, data-map field and lint rule has its place.

The reference pages are generated (`make docs`); these tests fail when a page
is stale, or when something new was added without a help text.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from skydd import docsgen
from skydd.datamap.lint import RULES
from skydd.datamap.loader import load_map

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
STALE = "docs/{} is out of date or missing: run `make docs` and commit the result"

COMMANDS = docsgen.commands()
MODELS = docsgen.models()
FIELDS = [
    (model, info.alias or name) for model in MODELS for name, info in model.model_fields.items()
]


def _read(name: str) -> str:
    file = DOCS / name
    if not file.is_file():
        pytest.fail(STALE.format(name))
    return file.read_text(encoding="utf-8")


def _sections(text: str, prefix: str) -> dict[str, str]:
    """Heading text → body, for the headings that start with `prefix` ('## ', '### ')."""
    parts = re.split(rf"^{re.escape(prefix)}(.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.fixture(scope="module")
def cli_sections() -> dict[str, str]:
    return _sections(_read("cli.md"), "## ")


@pytest.fixture(scope="module")
def model_sections() -> dict[str, str]:
    return _sections(_read("datamap.md"), "### ")


def test_the_tree_is_walked() -> None:
    titles = [c.title for c in COMMANDS]
    assert titles[0] == "skydd"
    assert {"skydd check", "skydd schema", "skydd audit", "skydd audit verify"} <= set(titles)
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.title)
def test_every_command_has_a_help_text(command: docsgen.CommandDoc) -> None:
    assert command.help, (
        f"`{command.title}` has no help text: give the function a docstring "
        "(a group: typer.Typer(help=...))"
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.title)
def test_every_command_is_documented(
    command: docsgen.CommandDoc, cli_sections: dict[str, str]
) -> None:
    assert command.title in cli_sections, (
        f"docs/cli.md has no section '## {command.title}': run `make docs`"
    )
    assert f"Usage: {command.title}" in cli_sections[command.title], STALE.format("cli.md")


@pytest.mark.parametrize(("model", "key"), FIELDS, ids=[f"{m.__name__}.{k}" for m, k in FIELDS])
def test_every_datamap_field_is_documented(
    model: type, key: str, model_sections: dict[str, str]
) -> None:
    section = model_sections.get(model.__name__)
    assert section is not None, (
        f"docs/datamap.md has no section for {model.__name__}: run `make docs`"
    )
    assert f"\n| `{key}` |" in section, (
        f"docs/datamap.md has no row for {model.__name__}.{key}: run `make docs`"
    )


def test_every_lint_rule_is_documented() -> None:
    text = _read("datamap.md")
    missing = [code for code in RULES if f"\n| {code} |" not in text]
    assert not missing, f"lint rules missing from docs/datamap.md: {missing}; run `make docs`"


@pytest.mark.parametrize("page", sorted(docsgen.pages()))
def test_generated_pages_are_current(page: str) -> None:
    assert _read(page.removeprefix("docs/")) == docsgen.pages()[page], STALE.format(
        page.removeprefix("docs/")
    )


def test_check_mode_finds_a_stale_page(tmp_path: Path) -> None:
    for rel, text in docsgen.pages().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert docsgen.stale(tmp_path) == []
    (tmp_path / "docs/cli.md").write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "docs/datamap.md").unlink()
    assert docsgen.stale(tmp_path) == ["docs/cli.md", "docs/datamap.md"]


def test_cli_reference_is_plain_and_deterministic() -> None:
    """The same text whatever the terminal: no colours, no boxes, a fixed width."""
    here = docsgen.render_cli()
    env = dict(os.environ, COLUMNS="40", TERM="xterm-256color", FORCE_COLOR="1")
    env.pop("NO_COLOR", None)
    there = subprocess.run(
        [sys.executable, "-c", "import sys, skydd.docsgen as d; sys.stdout.write(d.render_cli())"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    assert here == there == docsgen.render_cli()
    assert "\x1b" not in here
    assert not set("╭╮╰╯│─") & set(here)


def test_datamap_types_read_as_words() -> None:
    rows = {
        (m.__name__, key): (kind, default)
        for m in MODELS
        for key, kind, default, _ in docsgen.field_rows(m)
    }
    assert rows["Purpose", "labels"] == ("[text (sv/en/da)](#text)", "**required**")
    assert rows["Purpose", "subjects"][0] == "list of name"
    assert rows["DataMap", "systems"][0] == "mapping of name → [System](#system)"
    assert rows["System", "schema"][0] == "string"  # the YAML key, not the attribute name
    assert rows["Reference", "on_delete"] == (
        "one of `cascade`, `set_null`, `restrict`",
        "default `restrict`",
    )
    assert rows["Purpose", "legal_basis"][0].endswith("`legitimate_interest`, `TODO`")
    assert rows["RetentionRule", "period"][0].startswith("period")


def test_the_worked_example_is_a_valid_map() -> None:
    loaded = load_map(ROOT / docsgen.EXAMPLE)
    assert loaded.datamap.systems


def test_architecture_names_every_package() -> None:
    """docs/architecture.md is hand-written; it must at least name every part of src/skydd."""
    text = _read("architecture.md")
    src = ROOT / "src" / "skydd"
    parts = [
        f"src/skydd/{p.name}/" if p.is_dir() else f"src/skydd/{p.name}"
        for p in sorted(src.iterdir())
        if (p.is_dir() and (p / "__init__.py").is_file())
        or (p.suffix == ".py" and p.name != "__init__.py")
    ]
    missing = [p for p in parts if f"`{p}`" not in text]
    assert not missing, f"docs/architecture.md does not describe {missing}: add them to Layout"

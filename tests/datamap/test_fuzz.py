"""Whatever a file holds, `skydd check` answers with a report, never a crash.

Hypothesis writes arbitrary text, arbitrary YAML documents and damaged
versions of the small map; the check must always come back with exit 0, 1 or 2.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from skydd.checking import run_check
from skydd.cli import app
from skydd.datamap.loader import read_yaml

SMALL_TEXT = (Path(__file__).parent / "maps" / "small.yaml").read_text(encoding="utf-8")
SMALL: dict[str, Any] = yaml.safe_load(SMALL_TEXT)

runner = CliRunner()
# CliRunner.invoke rebuilds the Click command from the Typer app on every call, which
# costs more than the check itself; the fuzz tests build it once.
command = typer.main.get_command(app)
fuzz = settings(max_examples=25, deadline=None)


def _keys(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


# Names the map uses, so that generated documents reach deep into the models.
NAMES = sorted(set(_keys(SMALL)))
keys = st.sampled_from(NAMES) | st.text(max_size=12)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.dates()
    | st.text(max_size=20)
    | st.sampled_from(["TODO", "7 years", "user.contact.email", "crm.contacts", "${NOPE}"])
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


@pytest.fixture(scope="module")
def file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "privacy.yaml"


def _write(file: Path, content: str | bytes | object) -> None:
    if isinstance(content, bytes):
        file.write_bytes(content)
    elif isinstance(content, str):
        file.write_text(content, encoding="utf-8")
    else:
        file.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), "utf-8")


def _assert_reports(file: Path, content: str | bytes | object) -> None:
    """The engine returns a report and the CLI exits 0, 1 or 2 without a traceback."""
    _write(file, content)
    report = run_check(file)
    assert report.exit_code in (0, 1, 2)
    assert (report.exit_code == 2) == bool(report.issues)
    assert all(issue.file == str(file) for issue in report.issues)
    json.dumps(report.as_dict(), default=str)
    exit_code, output = _cli(["check", "--map", str(file)])
    assert exit_code == report.exit_code, output
    assert "Traceback" not in output


def _cli(args: list[str]) -> tuple[int, str]:
    """Run `skydd ARGS` like CliRunner.invoke does, but any exception fails the test."""
    with runner.isolation() as (_, _, output):
        try:
            command.main(args=args, prog_name="skydd")
        except SystemExit as exc:
            code = exc.code
        else:
            code = 0
        sys.stdout.flush()
        sys.stderr.flush()
        text = output.getvalue().decode()
    assert isinstance(code, int), code
    return code, text


@fuzz
@given(text=st.text(st.characters(codec="utf-8"), max_size=300))
def test_any_text(file: Path, text: str) -> None:
    _assert_reports(file, text)


@fuzz
@given(data=st.binary(max_size=200))
def test_any_bytes(file: Path, data: bytes) -> None:
    _assert_reports(file, data)


@fuzz
@given(document=documents)
def test_any_yaml_document(file: Path, document: object) -> None:
    _assert_reports(file, document)


@fuzz
@given(document=st.dictionaries(keys, documents, max_size=6))
def test_the_loader_reads_what_pyyaml_reads(file: Path, document: dict[str, object]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    file.write_text(text, encoding="utf-8")
    raw, source, _ = read_yaml(file)
    expected = yaml.safe_load(text)
    assert json.dumps(raw, default=str, sort_keys=True) == json.dumps(
        expected, default=str, sort_keys=True
    )
    assert set(source.positions) >= {(key,) for key in expected}


@fuzz
@given(document=st.dictionaries(st.sampled_from(sorted(SMALL)), documents, max_size=6))
def test_any_yaml_under_the_map_sections(file: Path, document: object) -> None:
    _assert_reports(file, document)


def _places(node: object, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every key and list item in a document."""
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        yield path + (key,)
        yield from _places(value, path + (key,))


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


@fuzz
@given(data=st.data())
def test_damaged_small_map(file: Path, data: st.DataObject) -> None:
    doc = copy.deepcopy(SMALL)
    for _ in range(data.draw(st.integers(1, 3), label="damages")):
        places = list(_places(doc))
        if not places:
            break
        path = data.draw(st.sampled_from(places), label="where")
        parent, key = _parent(doc, path), path[-1]
        how = data.draw(st.sampled_from(["delete", "retype", "rename"]), label="how")
        if how == "delete":
            del parent[key]
        elif how == "retype":
            parent[key] = data.draw(documents, label="value")
        elif isinstance(parent, dict):
            new = data.draw(keys, label="new key")
            parent[new] = parent.pop(key)
    _assert_reports(file, doc)


@fuzz
@given(data=st.data())
def test_damaged_small_map_text(file: Path, data: st.DataObject) -> None:
    lines = SMALL_TEXT.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3), label="damages")):
        at = data.draw(st.integers(0, len(lines) - 1), label="line")
        how = data.draw(st.sampled_from(["delete", "repeat", "insert", "cut"]), label="how")
        if how == "delete" and len(lines) > 1:
            del lines[at]
        elif how == "repeat":
            lines.insert(at, lines[at])
        elif how == "insert":
            column = data.draw(st.integers(0, len(lines[at])), label="column")
            char = data.draw(st.sampled_from(" \t:-'\"[{#&*!%@`|>?\x00"), label="char")
            lines[at] = lines[at][:column] + char + lines[at][column:]
        elif how == "cut":
            lines[at] = lines[at][: data.draw(st.integers(0, len(lines[at])), label="keep")]
    _assert_reports(file, "".join(lines))

"""The five example companies as running demos, built once per session for the conformance tests.

Each company's demo (its `privacy.yaml`, one SQLite database per system and
`demo-facts.json`, which says who and what was planted) is built into a
temporary folder the first time a test asks for it. Tests read it through a
`Demo`; a test that changes data (an erasure, a retention run) works on its own
copy (`Demo.copy`), so that the shared demo stays as built.

Why a fixed seed and a small population: the same seed gives the same data,
so a failure can be reproduced with `skydd demo COMPANY --people 300`, and 300
people keep the whole suite well under a minute.
"""

from __future__ import annotations

import calendar
import json
import shutil
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from skydd.checking import CheckReport, run_check
from skydd.datamap.loader import LoadedMap, load_map
from skydd.datamap.models import DataMap
from skydd.requests.access import AccessResult, access

PEOPLE = 300
SEED = 42

# A developer's own settings must not point the tests at another store or map.
_ENV = ("SKYDD_DATABASE_URL", "SKYDD_AUDIT_ANCHOR", "SKYDD_AUDIT_KEY", "SKYDD_MAP")


@dataclass
class Demo:
    """One company's demo: its folder, the loaded map, the planted facts and `skydd check`."""

    company: str
    directory: Path
    loaded: LoadedMap
    facts: Any  # skydd.demo.facts.DemoFacts
    check: CheckReport
    _answers: dict[Any, AccessResult] = field(default_factory=dict, repr=False)

    @property
    def map_path(self) -> Path:
        return self.directory / "privacy.yaml"

    @property
    def m(self) -> DataMap:
        return self.loaded.datamap

    @property
    def as_of(self) -> date:
        """The demo's clock: every date in the data is relative to it."""
        return date.fromisoformat(self.facts.as_of)

    @property
    def showcase(self) -> Any:
        return self.facts.showcase

    def codes(self) -> list[str]:
        """The lint codes `skydd check` reported on the demo's map."""
        return [f.code for f in self.check.findings]

    def access(
        self, identities: Mapping[str, str] | Sequence[tuple[str, str]], *, lang: str = "en"
    ) -> AccessResult:
        """An access request as the API answers it, not recorded in any store.

        Answers are kept for the session: tests read them and never change them.
        """
        pairs = tuple(sorted(identities.items() if isinstance(identities, Mapping) else identities))
        key = (pairs, lang)
        if key not in self._answers:
            self._answers[key] = access(
                self.loaded, list(pairs), lang=lang, as_of=self.as_of, record=False, pdf=False
            )
        return self._answers[key]

    def database(self, system: str) -> Path:
        url = make_url(self.loaded.urls[system])
        assert url.get_backend_name() == "sqlite", f"{system} is not a SQLite demo database"
        assert url.database
        return Path(url.database)

    def query(self, system: str, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows straight from a system's database, read-only: what is really stored."""
        uri = f"file:{self.database(system)}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute(sql, tuple(params)).fetchall()

    def execute(self, system: str, sql: str, params: Sequence[Any] = ()) -> None:
        """Change a system's database (only on a copy): plant a case a test needs."""
        with closing(sqlite3.connect(self.database(system))) as conn, conn:
            conn.execute(sql, tuple(params))

    def staff_reply(
        self, system: str, table: str, link: str, parents: Sequence[Any], sender: str
    ) -> None:
        """Plant (on a copy) a staff answer sent from one shared address under each parent,
        as a support desk does: the address is nobody's identity."""
        sql = (
            f"insert into {table} ({link}, direction, sender_email, body, sent_at) "
            "values (?, 'outbound', ?, 'Thank you, we are looking into it.', ?)"
        )
        for parent in parents:
            self.execute(system, sql, [parent, sender, f"{self.as_of} 09:00:00"])

    def scalar(self, system: str, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(system, sql, params)
        return rows[0][0] if rows else None

    def columns(self, system: str, table: str) -> list[str]:
        """The columns the demo database really has (PRAGMA), not what the map says."""
        return [r["name"] for r in self.query(system, f'PRAGMA table_info("{table}")')]

    def copy(self, target: Path) -> Demo:
        """A private copy for a test that changes data."""
        shutil.copytree(self.directory, target, ignore=shutil.ignore_patterns(".skydd"))
        return _open(self.company, target, self.facts)

    def cli(
        self,
        *args: str,
        json_out: bool = True,
        with_map: bool = True,
        exit_codes: tuple[int, ...] = (0,),
    ) -> Any:
        """Run `skydd ARGS [--map THIS] [--format json]`; the JSON it printed, or the text."""
        from skydd.cli import app

        argv = [
            *args,
            *(["--map", str(self.map_path)] if with_map else []),
            *(["--format", "json"] if json_out else []),
        ]
        result = CliRunner().invoke(app, argv)
        assert result.exit_code in exit_codes, (
            f"skydd {' '.join(argv)}: exit {result.exit_code}\n{result.output}"
        )
        return json.loads(result.stdout) if json_out else result.stdout

    def ago(self, *, years: int = 0, months: int = 0, day: date | None = None) -> date:
        """`day` (the demo's today) less whole years and months, clamped to the month's end."""
        day = day or self.as_of
        index = day.year * 12 + day.month - 1 - years * 12 - months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return date(year, month + 1, min(day.day, last))

    def store_url(self, directory: Path) -> str:
        return f"sqlite:///{directory / 'store.db'}"

    # -- what the report says ----------------------------------------------------------------
    def sections(self, result: AccessResult, *, shared: bool = False) -> dict[str, Any]:
        """The report's table sections by 'system.table' (with the shared ones if asked)."""
        found = {s["key"]: s for s in result.report["tables"]}
        if shared:
            found.update({s["key"]: s for s in result.report["shared"]})
        return found

    def assert_only_theirs(self, result: AccessResult, email: str) -> None:
        """Every email the map marks as an identity, in every row reported, is the person's.

        A registerutdrag that shows a colleague's row discloses that colleague's data.
        """
        strangers = set()
        for section in result.report["tables"]:
            system, table = section["key"].split(".", 1)
            declared = self.m.systems[system].tables[table].columns
            kinds = {c: col.identity for c, col in declared.items() if col.identity}
            for row in section["rows"]:
                for column, kind in kinds.items():
                    value = row.get(column)
                    if kind == "email" and value and value.lower() != email.lower():
                        strangers.add(f"{section['key']}.{column}={value}")
        assert not strangers, f"the report for {email} shows other people: {sorted(strangers)[:5]}"

    def recipients(self, result: AccessResult) -> dict[str, dict[str, Any]]:
        """Every recipient the report names, by key, from all its sections."""
        out: dict[str, dict[str, Any]] = {}
        for section in [*result.report["tables"], *result.report["shared"]]:
            for r in section["recipients"]:
                out[r["key"]] = r
        return out

    # -- lint on a changed copy of the map ---------------------------------------------------
    def lint_changed(self, change: Any) -> list[str]:
        """Lint codes for the map after `change(data)` edits its plain-dict form in place."""
        from skydd.datamap.lint import lint

        data = self.m.model_dump(by_alias=True)
        change(data)
        return [f.code for f in lint(DataMap.model_validate(data))]

    # -- capabilities that are being built: called as their issues specify --------------------
    def may(self, identity: Mapping[str, str], purpose: str, channel: str) -> Any:
        """The consent decision API of issue 8: may we use this person's data, here, now?"""
        import skydd

        return skydd.may(identity, purpose, channel, map_=self.loaded)

    def web(self) -> Any:
        """The app `skydd serve` runs (issue 6), in-process; use it in a `with` block."""
        from fastapi.testclient import TestClient

        from skydd.web import create_app

        return TestClient(create_app(self.map_path))

    def plan(self, as_of: date, rule: str | None = None) -> dict[tuple[str, str], dict[str, Any]]:
        """`skydd retention plan --as-of [--rule]`: {(rule, table): {"due", "held", …}}."""
        from skydd.retention import plan

        report = plan(self.loaded, as_of=as_of, rule=rule).as_dict()
        return {(r["rule"], r["table"]): r for r in report["rules"]}

    def due(self, rule: str, table: str, as_of: date | None = None) -> int:
        """How many rows of `table` the plan says `rule` makes due on `as_of` (default: today)."""
        return int(self.plan(as_of or self.as_of, rule)[(rule, table)]["due"])

    def run_retention(self, as_of: date, store: Path, rule: str | None = None) -> Any:
        """`skydd retention run --as-of [--rule]` on this demo (use it on a copy)."""
        from skydd.retention import run

        store.mkdir(parents=True, exist_ok=True)
        return run(self.loaded, as_of=as_of, rule=rule, store=self.store_url(store)).as_dict()


def _open(company: str, directory: Path, facts: Any) -> Demo:
    loaded = load_map(directory / "privacy.yaml")
    return Demo(company, directory, loaded, facts, run_check(directory / "privacy.yaml"))


def build(company: str, directory: Path) -> Demo:
    """Build a company's demo with the fixed seed and a small population."""
    from skydd.demo import build_demo
    from skydd.demo.facts import FACTS_FILE, DemoFacts

    build_demo(company, directory, people=PEOPLE, seed=SEED)
    facts = DemoFacts.read(directory / FACTS_FILE)
    return _open(company, directory, facts)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(scope="session")
def astrak(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build("astrak", tmp_path_factory.mktemp("astrak") / "demo")


@pytest.fixture(scope="session")
def acte(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build("acte", tmp_path_factory.mktemp("acte") / "demo")


@pytest.fixture(scope="session")
def entrack(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build("entrack", tmp_path_factory.mktemp("entrack") / "demo")


@pytest.fixture(scope="session")
def advansor(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build("advansor", tmp_path_factory.mktemp("advansor") / "demo")


@pytest.fixture(scope="session")
def axsensor(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build("axsensor", tmp_path_factory.mktemp("axsensor") / "demo")

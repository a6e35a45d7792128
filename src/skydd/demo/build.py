"""`skydd demo`: copy an example company's data map and build its databases.

The example maps live in ``examples/<company>/privacy.yaml`` of the source tree and
are shipped in the wheel as ``skydd/_examples``. The demo folder gets the map, one
SQLite file per system (or schemas on a PostgreSQL or MySQL/MariaDB server), and
``demo-facts.json``, which says what was planted and which files the demo wrote:
``--force`` replaces only those, never a file the demo did not write.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError

from skydd.datamap.loader import load_map, read_yaml
from skydd.demo.companies import COMPANIES
from skydd.demo.facts import FACTS_FILE, DemoFacts
from skydd.demo.generate import generate
from skydd.errors import SkyddError

MAP_FILE = "privacy.yaml"
DEFAULT_DIR = Path("skydd-demo")
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoResult:
    """What `build_demo` built: where, how many rows, how long, and what it planted."""

    company: str
    directory: Path
    map_path: Path
    facts_path: Path
    rows: dict[str, int]  # "system.table" → rows
    seconds: float
    facts: DemoFacts
    databases: dict[str, str]  # system → file or server and schema (never a password)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def examples_dir() -> Path:
    """The example maps: package data in a wheel, else the source checkout's folder."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "_examples"
    return packaged if packaged.is_dir() else here.parents[3] / "examples"


def example_map(company: str) -> Path:
    """The example's privacy.yaml; SkyddError naming the five for anything else."""
    name = company.strip().lower()
    if name not in COMPANIES:
        raise SkyddError(
            f"there is no demo company '{company}'",
            hint=f"choose one of: {', '.join(COMPANIES)}",
        )
    path = examples_dir() / name / MAP_FILE
    if not path.is_file():
        raise SkyddError(
            f"the example map for '{name}' is missing: {path}",
            hint="reinstall skydd, or run from a source checkout that has examples/",
        )
    return path


def _server_url(url: str, kind: str) -> sa.URL:
    try:
        parsed = sa.make_url(url)
    except ArgumentError:
        raise SkyddError(
            f"--{kind} needs a database URL", hint=f"write it like {_EXAMPLE_URL[kind]}"
        ) from None
    scheme = parsed.drivername.split("+", 1)[0]
    if kind == "postgres" and scheme in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if kind == "mysql" and scheme in ("mysql", "mariadb"):
        parsed = parsed.set(drivername="mysql+pymysql")
        if "charset" not in parsed.query:
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
        return parsed
    raise SkyddError(
        f"--{kind} got a '{scheme}://' URL", hint=f"write it like {_EXAMPLE_URL[kind]}"
    )


_EXAMPLE_URL = {
    "postgres": "postgresql://user:password@localhost/demo",
    "mysql": "mysql://user:password@localhost/demo",
}


def server_targets(url: sa.URL, systems: list[str]) -> dict[str, str]:
    """The schema each system gets on a server.

    PostgreSQL: a schema named after the system inside the URL's database.
    MySQL/MariaDB: a database named ``<database>_<system>`` (``skydd_demo_<system>``
    without one), since there a schema is a database.
    """
    if url.get_backend_name() == "postgresql":
        return {s: s for s in systems}
    base = url.database or "skydd_demo"
    return {s: f"{base}_{s}" for s in systems}


def rewrite_map(
    text: str,
    positions: dict[tuple[str | int, ...], tuple[int, int]],
    url: str,
    schemas: dict[str, str],
) -> str:
    """The map's text with every system's URL and schema pointing at the server.

    Lines are replaced in place so that the comments (promise ids) stay.
    """
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, str, bool]] = []  # (line index, new text, insert after?)
    for system, schema in schemas.items():
        line, column = positions[("systems", system, "url")]
        indent = " " * (column - 1)
        edits.append((line - 1, f"{indent}url: {json.dumps(url)}\n", False))
        schema_at = positions.get(("systems", system, "schema"))
        if schema_at:
            edits.append((schema_at[0] - 1, f"{indent}schema: {json.dumps(schema)}\n", False))
        else:
            edits.append((line - 1, f"{indent}schema: {json.dumps(schema)}\n", True))
    for index, new, after in sorted(edits, key=lambda e: (e[0], e[2]), reverse=True):
        if after:
            lines.insert(index + 1, new)
        else:
            if not lines[index].lstrip().startswith(("url:", "schema:")):
                raise SkyddError(
                    f"cannot rewrite line {index + 1} of the example map",
                    hint="write each system's url: on a line of its own",
                )
            lines[index] = new
    return "".join(lines)


def _sqlite_files(raw: object) -> list[str]:
    """The SQLite files the map's systems point at, relative to its folder."""
    files = []
    systems = raw.get("systems", {}) if isinstance(raw, dict) else {}
    for system in systems.values():
        url = system.get("url", "") if isinstance(system, dict) else ""
        for prefix in ("sqlite+pysqlite:///", "sqlite:///"):
            if isinstance(url, str) and url.startswith(prefix):
                rest = url[len(prefix) :]
                if rest and not rest.startswith(("/", ":memory:", "file:")) and ".." not in rest:
                    files.append(rest)
                break
    return files


def _demo_files(directory: Path) -> set[str]:
    """What an earlier `skydd demo` wrote here, from its demo-facts.json."""
    try:
        data = json.loads((directory / FACTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = data.get("files") if isinstance(data, dict) else None
    return {str(f) for f in files} if isinstance(files, list) else set()


def _prepare_directory(directory: Path, ours: list[str], force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise SkyddError(f"{directory} is a file, not a folder", hint="choose another --dir")
    if directory.is_dir() and any(directory.iterdir()):
        if not force:
            raise SkyddError(
                f"{directory} is not empty",
                hint="choose another --dir, or pass --force to replace what an earlier "
                "`skydd demo` wrote there (nothing else is touched)",
            )
        earlier = _demo_files(directory)
        strangers = [f for f in ours if (directory / f).exists() and f not in earlier]
        if strangers:
            raise SkyddError(
                f"{directory} has files that `skydd demo` did not write: "
                f"{', '.join(sorted(strangers))}",
                hint="move them away or choose another --dir; --force only replaces the "
                "demo's own files",
            )
        for name in ours:
            for path in (
                directory / name,
                directory / f"{name}-journal",
                directory / f"{name}-wal",
                directory / f"{name}-shm",
            ):
                if name in earlier and path.is_file():
                    path.unlink()
    directory.mkdir(parents=True, exist_ok=True)


def build_demo(
    company: str = "axsensor",
    directory: Path = DEFAULT_DIR,
    *,
    people: int = 1000,
    seed: int = 7,
    postgres: str | None = None,
    mysql: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    as_of: date | None = None,
) -> DemoResult:
    """Copy the example's map to `directory` and build its databases, filled and planted.

    With `postgres` or `mysql` the systems are schemas on that server instead of SQLite
    files (see `server_targets`); the written map points there. The server's password,
    if the URL has one, is written into the map as given. `as_of` is the demo's today.
    """
    started = time.perf_counter()
    source = example_map(company)
    name = source.parent.name
    if postgres and mysql:
        raise SkyddError("give either --postgres or --mysql, not both")
    raw, located, _ = read_yaml(source)
    text = source.read_text(encoding="utf-8")
    server = postgres or mysql
    if server:
        url = _server_url(server, "postgres" if postgres else "mysql")
        systems = list(raw.get("systems", {}))
        text = rewrite_map(
            text,
            located.positions,
            url.render_as_string(hide_password=False),
            server_targets(url, systems),
        )
        databases: list[str] = []
    else:
        databases = _sqlite_files(raw)
    directory = Path(directory)
    ours = [MAP_FILE, FACTS_FILE, *databases]
    _prepare_directory(directory, ours, force)
    manifest = {"files": ours, "building": True}
    (directory / FACTS_FILE).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    map_path = directory / MAP_FILE
    map_path.write_text(text, encoding="utf-8")
    shutil.copymode(source, map_path)
    loaded = load_map(map_path)
    rows, facts = generate(
        loaded,
        people=people,
        seed=seed,
        company=name,
        as_of=as_of,
        replace=force,
        progress=progress,
    )
    facts = replace(facts, files=ours)
    facts.write(directory / FACTS_FILE)
    return DemoResult(
        name,
        directory,
        map_path,
        directory / FACTS_FILE,
        rows,
        time.perf_counter() - started,
        facts,
        dict(facts.targets),
    )

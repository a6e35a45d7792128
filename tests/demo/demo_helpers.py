"""Helpers for the demo tests: the build settings and reading SQLite files back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

from skydd.demo import examples_dir

PEOPLE = 200
SEED = 7
AS_OF = date(2026, 3, 2)


def require_example(company: str) -> None:
    # The examples exist; a missing one is a regression, not a reason to skip.
    assert (examples_dir() / company / "privacy.yaml").is_file(), company


def connect(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def dump(directory: Path) -> Iterator[tuple[str, str, list[tuple[object, ...]]]]:
    """Every table of every SQLite file in the folder, rows in key order."""
    for file in sorted(directory.glob("*.db")):
        with connect(file) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            for table in tables:
                rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
                yield file.name, table, rows

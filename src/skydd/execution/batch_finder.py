"""Searching many people at once: every person's search exactly as alone, lookups merged.

Each person's search (`finder._Search.run`) is a generator that yields the lookups it
needs (rows of a table whose column is one of some values) and is sent their rows. One
search alone runs each lookup as it comes (`Finder.find`). Here all searches advance
in rounds: the lookups of one round are grouped by table and column, their values
merged into one `IN (…)` list (in chunks of 500), and each search is handed exactly
the rows whose column holds one of *its* values, as its own query would have returned
them. The rules that decide what is a person's (identities, references, ambiguity)
run per person, unchanged, so the results equal those of one search per person.

Rows are handed out by value. Where the database compares a column ignoring case and
trailing spaces (MySQL's `_ci` collations, SQLite's NOCASE), they are handed out by
the folded value, accents removed, so a person still gets every row their own query
would have matched.
"""

from __future__ import annotations

import gc
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from skydd.execution.finder import Found, Row, Steps, Want

if TYPE_CHECKING:
    from skydd.execution.finder import Finder, _Search


def _fold(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKD", value.casefold().rstrip(" "))
    return "".join(c for c in text if not unicodedata.combining(c))


def _advance(
    i: int,
    steps: Steps[Found],
    rows: list[Row] | None,
    wants: dict[int, Want],
    results: list[Found | None],
) -> None:
    try:
        wants[i] = next(steps) if rows is None else steps.send(rows)
    except StopIteration as done:
        results[i] = done.value


def _hand_out(runner: _Search, group: list[tuple[int, Want]]) -> dict[int, list[Row]]:
    """One merged lookup for a group of searches; each gets the rows of its own values."""
    first = group[0][1]
    folded = first.column in first.info.folded
    key = _fold if folded else (lambda v: v)
    union = list(dict.fromkeys(v for _, want in group for v in want.values))
    rows = runner.fetch(Want(first.node, first.column, first.info, union))
    index: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        index[key(row.get(first.column))].append(row)
    out: dict[int, list[Row]] = {}
    for i, want in group:
        seen: set[int] = set()
        mine: list[Row] = []
        for value in want.values:
            for row in index.get(key(value), ()):
                if id(row) not in seen:
                    seen.add(id(row))
                    mine.append(dict(row))  # each search owns its rows
        out[i] = mine
    return out


WAVE = 500
"""People searched together: one `IN (…)` chunk of values per column and round."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch builds many small objects.

    A wave of searches keeps ~10^5 rows and sets alive without cycles; the collector
    would scan them again and again while they are made, doubling the time taken.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def find_many(finder: Finder, searches: list[_Search]) -> list[Found]:
    """Run the searches in waves of `WAVE`, each in rounds of merged lookups."""
    if any(s.thorough for s in searches):
        # A thorough search reads whole columns; merging buys nothing there.
        return [run_alone(s) for s in searches]
    out: list[Found] = []
    for i in range(0, len(searches), WAVE):
        with gc_paused():
            out += _wave(finder, searches[i : i + WAVE])
    return out


def _wave(finder: Finder, searches: list[_Search]) -> list[Found]:
    from skydd.execution.finder import _Search

    runner = _Search(finder, set(), False)
    steps = [s.run() for s in searches]
    results: list[Found | None] = [None] * len(searches)
    wants: dict[int, Want] = {}
    try:
        for i, step in enumerate(steps):
            _advance(i, step, None, wants, results)
        while wants:
            groups: dict[tuple[str, str], list[tuple[int, Want]]] = defaultdict(list)
            for i, want in wants.items():
                groups[(want.node.key, want.column)].append((i, want))
            answers: dict[int, list[Row]] = {}
            for group in groups.values():
                answers.update(_hand_out(runner, group))
            wants = {}
            for i, rows in answers.items():
                _advance(i, steps[i], rows, wants, results)
    finally:
        for step in steps:
            step.close()
        runner.close()
        for s in searches:
            s.close()
    done = [r for r in results if r is not None]
    assert len(done) == len(searches)
    if done:
        done[0].queries += runner.found.queries
    return done


def run_alone(search: _Search) -> Found:
    """Run one search, each lookup as it comes, on the search's own connections."""
    try:
        steps = search.run()
        try:
            want = next(steps)
            while True:
                want = steps.send(search.fetch(want))
        except StopIteration as stop:
            found: Found = stop.value
            return found
    finally:
        search.close()

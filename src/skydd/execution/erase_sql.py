"""One erasure step as SQL in one company database: by primary key, in chunks, idempotent.

Running a step twice changes nothing the second time: deleting keys that are gone
deletes nothing, NULL stays NULL, and hashed or scrubbed values carry the `anon:`
mark so they are not hashed again. That is what lets a saga that died between a
database's commit and its own bookkeeping simply run the step again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from skydd.planning.erasure import Key, Op, Step
from skydd.planning.graph import DataGraph, Node
from skydd.retention.anonymise import MARK, pseudonym, scrub

CHUNK = 500
Counts = dict[str, dict[str, int]]  # op kind -> "system.table" -> rows


def chunks(keys: Sequence[Key], size: int = CHUNK) -> Iterator[Sequence[Key]]:
    for i in range(0, len(keys), size):
        yield keys[i : i + size]


class StepRunner:
    """Turns the ops of a step into statements; built once per saga, used per step."""

    def __init__(self, graph: DataGraph, pseudonym_key: Callable[[], bytes]) -> None:
        self.graph = graph
        self._key_source = pseudonym_key
        self._key: bytes | None = None
        self._flag_values: dict[tuple[str, str], Any] = {}

    def run(self, conn: Connection, step: Step) -> Counts:
        """Every op of the step on `conn`, inside the caller's transaction."""
        counts: Counts = defaultdict(dict)
        for op in step.ops:
            n = self._op(conn, op)
            counts[op.kind][op.table] = counts[op.kind].get(op.table, 0) + n
        return dict(counts)

    def _table(self, node: Node, columns: Sequence[str]) -> sa.TableClause:
        names = dict.fromkeys([*node.primary_key, *columns])
        return sa.table(node.table, *(sa.column(c) for c in names), schema=node.schema)

    @staticmethod
    def _where(table: sa.TableClause, node: Node, keys: Sequence[Key]) -> Any:
        if len(node.primary_key) == 1:
            return table.c[node.primary_key[0]].in_([k[0] for k in keys])
        return sa.tuple_(*(table.c[c] for c in node.primary_key)).in_(list(keys))

    def _op(self, conn: Connection, op: Op) -> int:
        node = self.graph.nodes[op.table]
        columns = [c for c, _ in op.columns]
        table = self._table(node, columns)
        if op.kind == "delete":
            return sum(
                conn.execute(sa.delete(table).where(self._where(table, node, part))).rowcount
                for part in chunks(op.keys)
            )
        if op.kind == "anonymise" and any(m in ("hash", "scrub") for _, m in op.columns):
            return self._rewrite(conn, op, node, table)
        values = {c: self._value(conn, node, c, m) for c, m in op.columns}
        return sum(
            conn.execute(
                sa.update(table).where(self._where(table, node, part)).values(**values)
            ).rowcount
            for part in chunks(op.keys)
        )

    def _value(self, conn: Connection, node: Node, column: str, method: str) -> Any:
        if method == "null":
            return None
        if method.startswith("fixed:"):
            return method[6:]
        if method == "true":
            return self._flag_value(conn, node, column)
        raise ValueError(f"no fixed value for the method {method!r}")

    def _flag_value(self, conn: Connection, node: Node, column: str) -> Any:
        """True for a boolean column, 1 for an integer one (MySQL's BOOLEAN is TINYINT)."""
        found = self._flag_values.get((node.key, column))
        if found is None:
            found = True
            for info in sa.inspect(conn).get_columns(node.table, schema=node.schema):
                if info["name"].casefold() == column.casefold():
                    kind = info["type"]
                    is_int = isinstance(kind, sa.Integer) and not isinstance(kind, sa.Boolean)
                    found = 1 if is_int else True
            self._flag_values[(node.key, column)] = found
        return found

    def _rewrite(self, conn: Connection, op: Op, node: Node, table: sa.TableClause) -> int:
        """Anonymise with hash or scrub: read the current values, write each row's own."""
        pk = node.primary_key
        reads = [c for c, m in op.columns if m in ("hash", "scrub")]
        changed = 0
        stmt = (
            sa.update(table)
            .where(*(table.c[c] == sa.bindparam(f"k_{i}") for i, c in enumerate(pk)))
            .values(**{c: sa.bindparam(f"v_{c}") for c, _ in op.columns})
        )
        words = dict(op.redact)
        for part in chunks(op.keys):
            query = sa.select(*(table.c[c] for c in (*pk, *reads))).where(
                self._where(table, node, part)
            )
            params = []
            for row in conn.execute(query):
                current = dict(zip(reads, row[len(pk) :], strict=True))
                p = {f"k_{i}": v for i, v in enumerate(row[: len(pk)])}
                for c, method in op.columns:
                    old = current.get(c)
                    if method == "scrub" and isinstance(old, str) and not old.startswith(MARK):
                        old = _redactor(words.get(tuple(row[: len(pk)]), ()))(old)
                    p[f"v_{c}"] = self._anonymised(conn, node, c, method, old)
                params.append(p)
            if params:
                changed += conn.execute(stmt, params).rowcount
        return changed

    def _anonymised(self, conn: Connection, node: Node, column: str, method: str, old: Any) -> Any:
        if method not in ("hash", "scrub"):
            return self._value(conn, node, column, method)
        if old is None or (isinstance(old, str) and old.startswith(MARK)):
            return old  # nothing to hide, or done by an earlier run of this step
        if method == "scrub":
            return scrub(str(old))
        if self._key is None:
            self._key = self._key_source()
        return pseudonym(old, self._key)


@lru_cache(maxsize=256)
def _redactor(words: tuple[str, ...]) -> Callable[[str], str]:
    """Replace the person's own names and identities in free text, whole words only."""
    if not words:
        return lambda text: text
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    return lambda text: pattern.sub("[…]", text)

"""The shape of an erasure plan: ops per database, kept rows, and how plans combine.

Pure data and pure functions; `skydd.planning.erasure` makes the plans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from skydd.planning.graph import DataGraph

Key = tuple[Any, ...]
Row = dict[str, Any]
Rows = Mapping[str, Mapping[Key, Row]]
OpKind = Literal["unlink", "anonymise", "delete", "flag"]
Columns = tuple[tuple[str, str], ...]
KeptReason = Literal["hold", "referenced", "keep", "shared"]
_OP_ORDER = {"unlink": 0, "anonymise": 1, "delete": 2, "flag": 3}


@dataclass(frozen=True)
class Op:
    """One statement's worth of change in one table: the rows by primary key."""

    kind: OpKind
    table: str  # "system.table"
    keys: tuple[Key, ...]
    columns: tuple[tuple[str, str], ...] = ()  # (column, method): anonymise, unlink, flag
    # per row: the person's names and identities, cut from scrubbed text (anonymise)
    redact: tuple[tuple[Key, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Step:
    """Everything one company database does, in one transaction."""

    system: str
    ops: tuple[Op, ...]

    def counts(self, kind: OpKind) -> dict[str, int]:
        out: dict[str, int] = {}
        for op in self.ops:
            if op.kind == kind:
                out[op.table] = out.get(op.table, 0) + len(op.keys)
        return out


@dataclass(frozen=True)
class Kept:
    """Rows of one table that the erasure keeps, with the same reason and end date."""

    table: str
    keys: tuple[Key, ...]
    reason: KeptReason
    hold: str | None = None
    law: str | None = None
    ground: str | None = None
    until: date | None = None  # the last day the rows must be kept; None: no end known
    flag_column: str | None = None
    via: str | None = None  # for `referenced`: the table whose kept rows need these

    @property
    def blocked(self) -> bool:
        """Kept under a legal duty: recorded in the store and flagged (EN-6)."""
        return self.reason in ("hold", "referenced")


@dataclass
class ErasurePlan:
    as_of: date
    steps: list[Step] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _total(self, kind: OpKind) -> dict[str, int]:
        out: dict[str, int] = {}
        for step in self.steps:
            for table, n in step.counts(kind).items():
                out[table] = out.get(table, 0) + n
        return dict(sorted(out.items()))

    @property
    def erased(self) -> dict[str, int]:
        return self._total("delete")

    @property
    def anonymised(self) -> dict[str, int]:
        return self._total("anonymise")

    @property
    def unlinked(self) -> dict[str, int]:
        return self._total("unlink")

    def keys(self, kind: OpKind) -> dict[str, set[Key]]:
        out: dict[str, set[Key]] = defaultdict(set)
        for step in self.steps:
            for op in step.ops:
                if op.kind == kind:
                    out[op.table].update(op.keys)
        return out


def match_key(values: Iterable[Any]) -> tuple[str | None, ...]:
    """Values as text for matching references: 1 and '1' (a key stored as text) meet."""
    return tuple(None if v is None else str(v) for v in values)


def as_date(value: Any) -> date | None:
    """A stored date, datetime or ISO text as a date; None when it is none of them."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def build_steps(
    ops: Iterable[Op], order: Mapping[str, int], graph: DataGraph | None = None
) -> list[Step]:
    """Ops grouped into one step per database; ops children first, and a database whose
    tables reference another's (across systems) before that one."""
    by_system: dict[str, list[Op]] = defaultdict(list)
    for op in ops:
        by_system[op.table.split(".", 1)[0]].append(op)

    def op_key(op: Op) -> tuple[int, int]:
        return (_OP_ORDER[op.kind], order.get(op.table, 0))

    steps = {s: Step(s, tuple(sorted(o, key=op_key))) for s, o in by_system.items()}
    before: dict[str, set[str]] = defaultdict(set)  # system -> systems that must come first
    for edge in graph.edges if graph else []:
        child, parent = edge.child.split(".", 1)[0], edge.parent.split(".", 1)[0]
        if child != parent and child in steps and parent in steps:
            before[parent].add(child)
    rank = {s: min(order.get(op.table, 0) for op in st.ops) for s, st in steps.items()}
    out: list[Step] = []
    left = set(steps)
    while left:
        ready = [s for s in left if not before[s] & left] or list(left)  # a cycle: any
        first = min(ready, key=lambda s: (rank[s], s))
        out.append(steps[first])
        left.remove(first)
    return out


def merge_plans(plans: Iterable[ErasurePlan], graph: DataGraph) -> list[Step]:
    """The steps of several people's plans together (`erase_many`).

    A row that one plan keeps is changed by none: a hold on it wins over another
    person's erasure.
    """
    plans = list(plans)
    kept: dict[str, set[Key]] = defaultdict(set)
    for plan in plans:
        for k in plan.kept:
            kept[k.table].update(k.keys)
    groups: dict[tuple[OpKind, str, Columns], dict[Key, None]] = {}
    words: dict[tuple[OpKind, str, Columns], dict[Key, set[str]]] = defaultdict(dict)
    for plan in plans:
        for step in plan.steps:
            for op in step.ops:
                group = groups.setdefault((op.kind, op.table, op.columns), {})
                spared = kept.get(op.table, set()) if op.kind != "flag" else set()
                group.update((k, None) for k in op.keys if k not in spared)
                for key, ws in op.redact:
                    words[(op.kind, op.table, op.columns)].setdefault(key, set()).update(ws)
    ops = [
        Op(g[0], g[1], tuple(keys), g[2], redact_pairs(words.get(g, {}), keys))
        for g, keys in groups.items()
        if keys
    ]
    order = {key: i for i, key in enumerate(graph.children_first())}
    return build_steps(ops, order, graph)


def redact_pairs(
    words: Mapping[Key, Iterable[str]], keys: Iterable[Key]
) -> tuple[tuple[Key, tuple[str, ...]], ...]:
    """(key, words) for the keys that have words, longest words first."""
    return tuple(
        (k, tuple(sorted(words[k], key=lambda w: (-len(w), w)))) for k in keys if k in words
    )

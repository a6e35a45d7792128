"""What an erasure does to each of a person's rows: pure, from the rows found to a plan.

Per table the map's `erasure.action` applies; where the map declares none:

- a table marked `shared` is kept (its rows belong to many people and are never
  erased with one of them; the finder reports them as shared);
- a table listed under a hold in `retention.holds` (scope `tables`) is held;
- every other table is deleted.

A hold wins over `delete` and `anonymise`: the law that keeps the rows does not ask
the map. Each held row is kept until the last day of its hold, computed from the
hold's anchor, period and alignment and the row's anchor value (`until`); a row whose
hold has already ended gets the table's own action (`delete` unless the map says
`anonymise`). Held rows are *blocked* (EN-6): recorded in Skydd's store and flagged
where the map declares a `flag_column`.

Foreign keys: a row the person would lose but that a kept row of the same database
still references is kept too (reason `referenced`), since deleting it would either
fail or take the kept row with it. Other people's rows that reference a deleted row
(Bo's `manager_id` pointing at Anna) are never deleted: their reference, which is
the person's identifier, is set to NULL ("unlinked"), whatever `on_delete` says.
Anonymised rows lose their references to deleted rows the same way. Within a
database, deletes go children first (`children_first`), and references that close a
cycle (a self-reference) are set to NULL before the rows go.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from skydd.datamap.models import DataMap, ErasureAction, Hold, OnDelete
from skydd.errors import SkyddError
from skydd.planning.erasure_types import (
    ErasurePlan,
    Kept,
    KeptReason,
    Key,
    Op,
    OpKind,
    Row,
    Rows,
    Step,
    as_date,
    build_steps,
    match_key,
    merge_plans,
)
from skydd.planning.graph import DataGraph, Edge
from skydd.retention.anonymise import column_methods
from skydd.retention.planner import AnchorPlan, Hop, find_path, plan_anchor, purge_date


@dataclass(frozen=True)
class _Decision:
    action: ErasureAction
    hold: str | None = None
    after_hold: ErasureAction = ErasureAction.delete


def table_action(m: DataMap, table_key: str, person_holds: Iterable[str] = ()) -> _Decision:
    """The action for a table, with the defaults of the module docstring."""
    system, name = table_key.split(".", 1)
    table = m.systems[system].tables[name]
    declared = table.erasure
    holds = [
        n for n, h in m.retention.holds.items() if h.scope == "tables" and table_key in h.tables
    ]
    for n in person_holds:
        h = m.retention.holds[n]
        if h.scope == "person" and (not h.tables or table_key in h.tables) and n not in holds:
            holds.append(n)
    if table.shared or (declared and declared.action is ErasureAction.keep):
        return _Decision(ErasureAction.keep)
    after = ErasureAction.delete
    if declared and declared.action is ErasureAction.anonymise:
        after = ErasureAction.anonymise
    if declared and declared.action is ErasureAction.hold:
        name_ = declared.hold or (holds[0] if holds else None)
        if name_ is None:
            raise SkyddError(
                f"{table_key}: erasure action 'hold' names no hold",
                hint="add 'hold: <a hold under retention.holds>' to the table's erasure",
            )
        return _Decision(ErasureAction.hold, name_, after)
    if holds:
        return _Decision(ErasureAction.hold, holds[0], after)
    return _Decision(declared.action if declared else ErasureAction.delete)


class PlanContext:
    """What the plans of one map share, worked out once: the tables' order and the
    anonymisation methods and name columns of each table."""

    def __init__(self, m: DataMap, graph: DataGraph) -> None:
        self.m = m
        self.graph = graph
        self.order = {key: i for i, key in enumerate(graph.children_first())}
        self._methods: dict[str, dict[str, str]] = {}
        self._words: dict[str, list[tuple[str, bool]]] = {}

    def methods(self, table: str) -> dict[str, str]:
        found = self._methods.get(table)
        if found is None:
            found = self._methods[table] = column_methods(self.m, table)
        return dict(found)

    def word_columns(self, table: str) -> list[tuple[str, bool]]:
        """(column, holds a name) for the columns whose values scrubbed text must lose."""
        found = self._words.get(table)
        if found is None:
            system, name = table.split(".", 1)
            columns = self.m.systems[system].tables[name].columns
            found = self._words[table] = [
                (c, col.category.startswith("user.name"))
                for c, col in columns.items()
                if col.identity or col.category.startswith(("user.name", "user.contact.email"))
            ]
        return found


class _Planner:
    def __init__(
        self,
        context: PlanContext,
        rows: Rows,
        shared: Rows,
        others: Rows,
        as_of: date,
        person_holds: Iterable[str],
    ) -> None:
        self.ctx = context
        self.m = context.m
        self.graph = context.graph
        self.rows = rows
        self.shared = shared
        self.others = others
        self.as_of = as_of
        self.person_holds = tuple(person_holds)
        self.order = context.order
        self._gone: dict[int, set[tuple[str | None, ...]]] = {}
        self._words: tuple[str, ...] | None = None
        self.plan = ErasurePlan(as_of)
        # per table: key -> "delete" | "anonymise" | Kept-template (without keys)
        self.fate: dict[str, dict[Key, str | Kept]] = {}
        self._index: dict[tuple[str, tuple[str, ...]], dict[tuple[str | None, ...], list[Row]]] = {}

    # -- rows in memory --------------------------------------------------------------------
    def _all_rows(self, table: str) -> list[Row]:
        return [*self.rows.get(table, {}).values(), *self.shared.get(table, {}).values()]

    def _lookup(self, table: str, columns: tuple[str, ...], values: Key) -> list[Row]:
        index = self._index.get((table, columns))
        if index is None:
            index = defaultdict(list)
            for row in self._all_rows(table):
                index[match_key(row.get(c) for c in columns)].append(row)
            self._index[(table, columns)] = index
        return index.get(match_key(values), [])

    def _walk(self, table: str, row: Row, path: tuple[Hop, ...]) -> list[Row] | None:
        """The rows at the end of `path` from `row`, or None if a link is not in memory."""
        current = [row]
        for hop in path:
            edge = hop.edge
            here, there = (
                (edge.child_columns, edge.parent_columns)
                if hop.up
                else (edge.parent_columns, edge.child_columns)
            )
            found: list[Row] = []
            for r in current:
                values = tuple(r.get(c) for c in here)
                if any(v is None for v in values):
                    continue
                found += self._lookup(hop.target, there, values)
            if not found:
                return None
            current = found
        return current

    # -- holds -----------------------------------------------------------------------------
    def _until(self, name: str, hold: Hold, table: str, row: Row) -> date | None:
        """The last day the hold keeps this row; None when it has no end or cannot be dated."""
        if hold.anchor is None or hold.period is None:
            return None
        anchor: AnchorPlan = plan_anchor(
            self.graph, hold.anchor, table, f"retention.holds.{name}.anchor"
        )
        path = find_path(self.graph, table, anchor.root) or ()
        roots = self._walk(table, row, path) if anchor.root != table else [row]
        if not roots:
            return None
        dates: list[date] = []
        for root in roots:
            dates += [d for c in anchor.own if (d := as_date(root.get(c))) is not None]
            for child_path, column in anchor.children:
                linked = self._walk(anchor.root, root, child_path) or []
                dates += [d for r in linked if (d := as_date(r.get(column))) is not None]
        if not dates:
            return None
        return purge_date(max(dates), hold.period, hold.align) - timedelta(days=1)

    def _held(self, table: str, decision: _Decision, key: Key, row: Row) -> str | Kept:
        assert decision.hold is not None
        hold = self.m.retention.holds[decision.hold]
        until = self._until(decision.hold, hold, table, row)
        if until is not None and until < self.as_of:
            return decision.after_hold.value
        system, name = table.split(".", 1)
        erasure = self.m.systems[system].tables[name].erasure
        return Kept(
            table,
            (),
            "hold",
            decision.hold,
            hold.law,
            hold.ground,
            until,
            erasure.flag_column if erasure else None,
        )

    # -- decisions -------------------------------------------------------------------------
    def decide(self) -> None:
        for table, rows in self.rows.items():
            if not rows:
                continue
            node = self.graph.nodes[table]
            if not node.primary_key:
                raise SkyddError(
                    f"{table} holds the person's rows but has no primary_key in the data map",
                    hint="declare the table's primary_key: Skydd erases rows by their key",
                )
            decision = table_action(self.m, table, self.person_holds)
            fate: dict[Key, str | Kept] = {}
            for key, row in rows.items():
                if decision.action is ErasureAction.hold:
                    fate[key] = self._held(table, decision, key, row)
                elif decision.action is ErasureAction.keep:
                    fate[key] = Kept(table, (), "keep")
                else:
                    fate[key] = decision.action.value
            self.fate[table] = fate
        self._keep_referenced()

    def _keep_referenced(self) -> None:
        """Rows still referenced by kept rows in the same database are kept with them."""
        changed = True
        while changed:
            changed = False
            for edge in self.graph.edges:
                if edge.cross_system or edge.other_person or edge.child == edge.parent:
                    continue
                changed |= self._keep_parents(edge)

    def _keep_parents(self, edge: Edge) -> bool:
        """Keep the parents of kept rows, unless the reference is declared `set_null`
        (then the kept row's reference is set to NULL and the parent goes)."""
        parents = self.fate.get(edge.parent)
        children = self.fate.get(edge.child)
        if not parents or not children or edge.on_delete is OnDelete.set_null:
            return False
        changed = False
        for ckey, cfate in children.items():
            if not isinstance(cfate, Kept):
                continue
            row = self.rows[edge.child][ckey]
            values = tuple(row.get(c) for c in edge.child_columns)
            for prow in self._lookup(edge.parent, edge.parent_columns, values):
                pkey = tuple(prow.get(c) for c in self.graph.nodes[edge.parent].primary_key)
                kept = self._parent_fate(edge, cfate, parents.get(pkey))
                if kept is not None:
                    parents[pkey] = kept
                    changed = True
        return changed

    def _parent_fate(self, edge: Edge, child: Kept, parent: str | Kept | None) -> Kept | None:
        """What a parent of the kept row `child` becomes; None: it stays as it is."""
        if parent is None or parent == "anonymise":
            return None
        reason: KeptReason = "keep" if child.reason == "keep" else "referenced"
        until = child.until
        if isinstance(parent, Kept):
            if parent.reason not in ("referenced", "keep") or parent.via is None:
                return None  # held or kept in its own right
            if parent.reason == "referenced" and reason == "keep":
                return None  # a legal hold outranks the map's keep
            if parent.reason == reason:
                # kept for another child already: until the later of the two ends
                later = None if parent.until is None or until is None else max(parent.until, until)
                if later == parent.until:
                    return None
                until = later
        system, name = edge.parent.split(".", 1)
        erasure = self.m.systems[system].tables[name].erasure
        flag = erasure.flag_column if erasure and reason == "referenced" else None
        return Kept(
            edge.parent, (), reason, child.hold, child.law, child.ground, until, flag, edge.child
        )

    # -- ops -------------------------------------------------------------------------------
    def _keys_with(self, table: str, fate: str) -> list[Key]:
        return [k for k, f in self.fate.get(table, {}).items() if f == fate]

    def _deleted_values(self, edge: Edge) -> set[tuple[str | None, ...]]:
        """The values of `edge.parent_columns` of the person's rows that are deleted."""
        gone = self._gone.get(id(edge))
        if gone is None:
            rows = self.rows.get(edge.parent, {})
            gone = self._gone[id(edge)] = {
                match_key(rows[key].get(c) for c in edge.parent_columns)
                for key in self._keys_with(edge.parent, "delete")
            }
        return gone

    def _unlinks(self) -> list[Op]:
        ops: list[Op] = []
        for edge in self.graph.edges:
            gone = self._deleted_values(edge)
            if not gone:
                continue
            mine = self.rows.get(edge.child, {})
            nulls = tuple((c, "null") for c in edge.child_columns)

            def pointing(
                rows: Iterable[Row], edge: Edge = edge, gone: set[Any] = gone
            ) -> list[Key]:
                pk = self.graph.nodes[edge.child].primary_key
                return [
                    tuple(r.get(c) for c in pk)
                    for r in rows
                    if match_key(r.get(c) for c in edge.child_columns) in gone
                ]

            theirs = {**self.shared.get(edge.child, {}), **self.others.get(edge.child, {})}
            keys = [k for k in dict.fromkeys(pointing(theirs.values())) if k not in mine]
            fate = self.fate.get(edge.child, {})
            if edge.on_delete is OnDelete.set_null:  # the person's kept rows let go too
                keys += [k for k in pointing(mine.values()) if isinstance(fate.get(k), Kept)]
            cycle = not edge.cross_system and (
                edge.child == edge.parent
                or self.order.get(edge.child, 0) > self.order.get(edge.parent, 0)
            )
            if cycle and not edge.other_person:
                keys += [k for k in pointing(mine.values()) if fate.get(k) == "delete"]
            if keys:
                ops.append(Op("unlink", edge.child, tuple(keys), nulls))
        return ops

    def _anonymise_ops(self) -> list[Op]:
        ops: list[Op] = []
        for table in self.fate:
            keys = self._keys_with(table, "anonymise")
            if not keys:
                continue
            methods = self.ctx.methods(table)
            system, name = table.split(".", 1)
            erasure = self.m.systems[system].tables[name].erasure
            for edge in self.graph.outgoing.get(table, []):
                if self._deleted_values(edge):
                    methods.update((c, "null") for c in edge.child_columns)
            if erasure and erasure.flag_column:
                methods.pop(erasure.flag_column, None)
            if not methods:
                self.plan.warnings.append(
                    f"{table}: nothing is declared to anonymise, so its rows stay as they are"
                )
                continue
            declared = set(self.graph.nodes[table].columns)
            extra = sorted({c for k in keys for c in self.rows[table][k]} - declared)
            if extra:
                self.plan.warnings.append(
                    f"{table}: columns not in the data map were left as they are: "
                    + ", ".join(extra)
                )
            words = self._known_words() if "scrub" in methods.values() else ()
            redact = tuple((k, words) for k in keys) if words else ()
            ops.append(Op("anonymise", table, tuple(keys), tuple(sorted(methods.items())), redact))
        return ops

    def _known_words(self) -> tuple[str, ...]:
        """The person's names and identity values as they are stored in their rows.

        The scrubber finds emails, phone numbers and personnummer in free text, but not
        names: a note saying "Anna Svensson called" would keep her name. So scrubbed
        text also loses every name (and every word of it) and identity of the person.
        """
        if self._words is not None:
            return self._words
        words: set[str] = set()
        for table, rows in self.rows.items():
            wanted = self.ctx.word_columns(table)
            for row in rows.values():
                for c, is_name in wanted:
                    value = row.get(c)
                    if isinstance(value, str) and len(value.strip()) >= 3:
                        words.add(value.strip())
                        if is_name:
                            words.update(w for w in re.split(r"[\s,]+", value) if len(w) >= 3)
        self._words = tuple(sorted(words, key=lambda w: (-len(w), w)))
        return self._words

    def _kept(self) -> list[Kept]:
        groups: dict[Kept, list[Key]] = defaultdict(list)
        for fate in self.fate.values():
            for key, f in fate.items():
                if isinstance(f, Kept):
                    groups[f].append(key)
        kept = [
            Kept(g.table, tuple(keys), g.reason, g.hold, g.law, g.ground, g.until,
                 g.flag_column, g.via)
            for g, keys in groups.items()
        ]  # fmt: skip
        for table, rows in self.shared.items():
            if rows:
                kept.append(Kept(table, tuple(rows), "shared"))
        return sorted(kept, key=lambda k: (k.table, k.reason, k.until or date.max))

    def build(self) -> ErasurePlan:
        self.decide()
        ops = self._unlinks() + self._anonymise_ops()
        for table in self.fate:
            keys = self._keys_with(table, "delete")
            if keys:
                ops.append(Op("delete", table, tuple(keys)))
        self.plan.kept = self._kept()
        flags: dict[tuple[str, str], list[Key]] = defaultdict(list)
        for k in self.plan.kept:
            if k.blocked and k.flag_column:
                flags[(k.table, k.flag_column)] += k.keys
        for (table, column), keys in flags.items():
            ops.append(Op("flag", table, tuple(keys), ((column, "true"),)))
        self.plan.steps = build_steps(ops, self.order, self.graph)
        return self.plan


def plan_erasure(
    m: DataMap,
    graph: DataGraph,
    rows: Rows,
    *,
    shared: Rows | None = None,
    others: Rows | None = None,
    as_of: date,
    person_holds: Iterable[str] = (),
    context: PlanContext | None = None,
) -> ErasurePlan:
    """The erasure of one person (or a batch) as steps per database and the rows kept.

    `rows` are the person's rows per table (from the finder), `shared` the shared rows
    it reported, `others` other people's rows that reference the person's rows (their
    references are unlinked). `person_holds` are holds of scope `person` that the DPO
    placed on this person. Pass one `context` for many plans of the same map.
    """
    for name in person_holds:
        if name not in m.retention.holds:
            known = ", ".join(m.retention.holds) or "none"
            raise SkyddError(f"no hold '{name}' in the data map", hint=f"holds: {known}")
    ctx = context if context is not None and context.m is m else PlanContext(m, graph)
    return _Planner(ctx, rows, shared or {}, others or {}, as_of, person_holds).build()


__all__ = [
    "ErasurePlan",
    "Key",
    "Kept",
    "Op",
    "OpKind",
    "PlanContext",
    "Step",
    "build_steps",
    "match_key",
    "merge_plans",
    "plan_erasure",
    "table_action",
]

"""Carry out erasures: find, plan, save the saga, run its steps, verify, record.

One `ErasureJob` serves one call of `erase` or `erase_many`: each person is a
*member* (one request id, one receipt); their plans are merged into one saga with one
step per company database. See `saga` for how a crash is survived and `verify` for
what counts as left behind.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.documents.access_report import plain
from skydd.execution import saga as sagas
from skydd.execution.batch_finder import gc_paused
from skydd.execution.blocks import blocks_of, record_blocks
from skydd.execution.erase_sql import StepRunner
from skydd.execution.erasure_events import ErasureBatch, ErasureBatchRecorded, ErasureResumed
from skydd.execution.finder import Finder, Found, Identity, Row
from skydd.execution.keys import Key, decode_key, encode_key
from skydd.execution.verify import Expected, Leftover, counts, grouped, leftovers
from skydd.planning.erasure import (
    ErasurePlan,
    Kept,
    PlanContext,
    Step,
    merge_plans,
    plan_erasure,
)
from skydd.planning.graph import Node
from skydd.retention.anonymise import pseudonym_key
from skydd.store import Store
from skydd.store.events import AuditEvent, RequestRecorded


def kept_reason(k: dict[str, Any]) -> str:
    """Why rows were kept, in English, for the JSON result and the request log."""
    if k["basis"] == "shared":
        return "shared with other people: not the person's alone"
    if k["basis"] == "keep":
        return "kept by the data map (erasure: keep), no legal hold"
    ground = f"Art. 17(3)({k['ground'][-2]})" if k.get("ground") else "Art. 17(3)"
    text = f"legal hold '{k['hold']}': {k['law']} ({ground})"
    if k["basis"] == "referenced":
        text += f"; still referenced by the held rows of {k['via']}"
    return text


def kept_entries(kept: list[Kept]) -> list[dict[str, Any]]:
    out = []
    for k in kept:
        entry = {
            "table": k.table,
            "rows": len(k.keys),
            "basis": k.reason,
            "hold": k.hold,
            "law": k.law,
            "ground": k.ground,
            "until": k.until.isoformat() if k.until else None,
            "flagged": bool(k.blocked and k.flag_column),
            "via": k.via,
        }
        entry["reason"] = kept_reason(entry)
        out.append(entry)
    return out


@dataclass
class Member:
    """One person's request within a job."""

    request_id: str
    kinds: list[str]
    identities: set[Identity]
    summary: dict[str, Any]
    keys: dict[str, dict[str, list[Key]]]  # kept/anonymised/deleted -> table -> keys
    plan: ErasurePlan | None = None
    verified: bool | None = None
    leftovers: list[dict[str, Any]] = field(default_factory=list)

    def running_json(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "kinds": self.kinds,
            "identities": sorted([k, v] for k, v in self.identities),
            "summary": self.summary,
            "keys": {
                what: {t: [encode_key(k) for k in keys] for t, keys in tables.items()}
                for what, tables in self.keys.items()
            },
        }

    def final_json(self) -> dict[str, Any]:
        """What the store keeps once the saga ends: no identity, no key."""
        return {
            "request_id": self.request_id,
            "kinds": self.kinds,
            "summary": self.summary,
            "verified": self.verified,
            "leftovers": [{k: v for k, v in x.items() if k != "keys"} for x in self.leftovers],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Member:
        return cls(
            data["request_id"],
            list(data["kinds"]),
            {(k, v) for k, v in data.get("identities", [])},
            data["summary"],
            {
                what: {t: [decode_key(k) for k in keys] for t, keys in tables.items()}
                for what, tables in data.get("keys", {}).items()
            },
            verified=data.get("verified"),
            leftovers=list(data.get("leftovers", [])),
        )

    def expected(self) -> Expected:
        exp = Expected()
        for what, tables in self.keys.items():
            for table, keys in tables.items():
                exp.add(what, table, keys)
        return exp


def _member(request_id: str, found: Found, plan: ErasurePlan, kinds: list[str]) -> Member:
    keys: dict[str, dict[str, list[Key]]] = {"kept": defaultdict(list)}
    for k in plan.kept:
        keys["kept"][k.table] += list(k.keys)
    keys["anonymised"] = {t: sorted(v, key=str) for t, v in plan.keys("anonymise").items()}
    keys["deleted"] = {t: sorted(v, key=str) for t, v in plan.keys("delete").items()}
    summary = {
        "erased": plan.erased,
        "anonymised": plan.anonymised,
        "unlinked": plan.unlinked,
        "kept": kept_entries(plan.kept),
        "warnings": plan.warnings,
        "ambiguous": len(found.ambiguous),
        "as_of": plan.as_of.isoformat(),
    }
    return Member(request_id, kinds, set(found.identities), summary, keys, plan)


class ErasureJob:
    """Everything one call needs: the map, the finder, the store and the options."""

    def __init__(
        self,
        loaded: LoadedMap,
        finder: Finder,
        store: Store | None,
        *,
        actor: str,
        as_of: date,
        verify: str = "thorough",
        person_holds: tuple[str, ...] = (),
    ) -> None:
        self.loaded = loaded
        self.m = loaded.datamap
        self.finder = finder
        self.graph = finder.graph
        self.store = store
        self.actor = actor
        self.as_of = as_of
        self.verify_mode = verify
        self.person_holds = person_holds
        self.runner = StepRunner(self.graph, lambda: pseudonym_key(Path(loaded.directory)))
        self.context = PlanContext(self.m, self.graph)

    # -- planning --------------------------------------------------------------------------
    def prepare(self, request_id: str, idents: set[Identity], thorough: bool) -> Member:
        """Find the person, look up who references them, plan: no change anywhere."""
        found = self.finder.find(idents, thorough=thorough)
        return self._planned(request_id, idents, found, self._referencing(found))

    def prepare_many(
        self, request_ids: list[str], given: list[set[Identity]], thorough: bool
    ) -> list[Member]:
        """`prepare` for many people: one batch search (`Finder.find_many`), one lookup
        per reference for everyone's referencing rows, then a plan per person."""
        founds = self.finder.find_many(given, thorough=thorough)
        others = self._referencing_many(founds)
        members = []
        with gc_paused():
            for rid, idents, found, other in zip(request_ids, given, founds, others, strict=True):
                members.append(self._planned(rid, idents, found, other))
        return members

    def _planned(
        self, rid: str, idents: set[Identity], found: Found, other: dict[str, dict[Key, Row]]
    ) -> Member:
        plan = plan_erasure(
            self.m,
            self.graph,
            found.rows,
            shared=found.shared,
            others=other,
            as_of=self.as_of,
            person_holds=self.person_holds,
            context=self.context,
        )
        kinds = sorted({k for k, _ in found.identities} | {k for k, _ in idents})
        return _member(rid, found, plan, kinds)

    def _referencing(self, found: Found) -> dict[str, dict[Key, Row]]:
        """Rows of other people (or shared rows) that point at the person's rows."""
        return self._referencing_many([found])[0]

    def _referencing_many(self, founds: list[Found]) -> list[dict[str, dict[Key, Row]]]:
        """For each person, the rows of others (or shared rows) that point at their rows."""
        out: list[dict[str, dict[Key, Row]]] = [defaultdict(dict) for _ in founds]
        for edge in self.graph.edges:
            child = self.graph.nodes[edge.child]
            if not (edge.other_person or child.shared) or not child.primary_key:
                continue
            wanted = [
                {r.get(edge.parent_columns[0]) for r in f.rows.get(edge.parent, {}).values()}
                - {None}
                for f in founds
            ]
            if not any(wanted):
                continue
            by_value = self._rows_referencing(child, edge.child_columns[0], set().union(*wanted))
            for i, values in enumerate(wanted):
                for value in values:
                    for row in by_value.get(value, ()):
                        out[i][edge.child][tuple(row.get(c) for c in child.primary_key)] = row
        return out

    def _rows_referencing(self, child: Node, column: str, values: set[Any]) -> dict[Any, list[Row]]:
        """Rows of `child` whose `column` holds one of `values`, by the value (as given)."""
        conn = self.finder.connect(child.system)
        by_value: dict[Any, list[Row]] = defaultdict(list)
        try:
            info = self.finder.info(child, conn)
            coerce = info.coerce.get(column)
            bound: dict[Any, Any] = {}
            for v in values:
                b = coerce(v) if coerce else v
                if b is not None and type(b) is not object:
                    bound.setdefault(b, []).append(v)
            keys = list(bound)
            tbl = sa.table(child.table, *(sa.column(c) for c in info.columns), schema=child.schema)
            col = tbl.c[column]
            for i in range(0, len(keys), 500):
                result = conn.execute(sa.select(*tbl.c).where(col.in_(keys[i : i + 500])))
                names = tuple(result.keys())
                for r in result:
                    row = dict(zip(names, r, strict=True))
                    for original in bound.get(row.get(column), ()):
                        by_value[original].append(row)
        except sa.exc.DBAPIError as exc:
            raise self.finder.explained(exc, child) from None
        finally:
            conn.close()
        return by_value

    def steps(self, members: list[Member]) -> list[Step]:
        plans = [m.plan for m in members if m.plan is not None]
        if len(plans) == 1:
            return list(plans[0].steps)
        return merge_plans(plans, self.graph)

    # -- the saga --------------------------------------------------------------------------
    def start(self, saga_id: str, members: list[Member], subject_hash: str | None) -> sagas.Saga:
        assert self.store is not None
        holds: dict[str, str] = {}
        blocks = []
        for m in members:
            assert m.plan is not None
            blocks += blocks_of(m.request_id, m.plan.kept)
            holds.update({k.table: k.hold for k in m.plan.kept if k.blocked and k.hold})
        saga = sagas.Saga(
            saga_id,
            sagas.now(),
            self.actor,
            [m.running_json() for m in members],
            {"as_of": self.as_of.isoformat(), "verify": self.verify_mode},
        )
        for seq, step in enumerate(self.steps(members), start=1):
            saga.steps.append((seq, step, sagas.step_summary(step, holds, len(members))))
        at = saga.created_at
        sagas.save(
            self.store.engine, saga, subject_hash, lambda conn: record_blocks(conn, blocks, at)
        )
        if len(members) > 1:
            event = ErasureBatch(saga_id, [m.request_id for m in members])
            sagas.append_once(self.store.audit, saga, event, self.actor)
        return saga

    def resume(self, saga: sagas.Saga) -> list[Member]:
        assert self.store is not None
        sagas.claim(self.store.engine, saga.saga_id)
        done = sagas.done_steps(self.store.audit, saga)
        event = ErasureResumed(saga.saga_id, len(done), len(saga.steps))
        self.store.audit.append(event, actor=self.actor)
        if len(saga.members) > 1:
            ids = [m["request_id"] for m in saga.members]
            sagas.append_once(self.store.audit, saga, ErasureBatch(saga.saga_id, ids), self.actor)
        return [Member.from_json(m) for m in saga.members]

    def execute(self, saga: sagas.Saga) -> None:
        assert self.store is not None
        sagas.run_steps(
            saga,
            self.store.audit,
            self.store.engine,
            self.finder.engine_for,
            self.runner.run,
            self.actor,
        )

    # -- afterwards ------------------------------------------------------------------------
    def verify(self, members: list[Member], thorough: bool | None = None) -> None:
        """Search again by every identity found before; classify what is still there."""
        sagas.checkpoint("verifying")
        wanted = set().union(*(m.identities for m in members)) if members else set()
        deep = self.verify_mode == "thorough" if thorough is None else thorough
        found = self.finder.find(wanted, thorough=deep) if wanted else None
        expected = Expected()
        for m in members:
            for what, tables in m.keys.items():
                for table, keys in tables.items():
                    expected.add(what, table, keys)
        items = leftovers(self.finder, found, expected, wanted) if found else []
        for m in members:
            mine = [x for x in items if self._belongs(m, x, len(members))]
            m.verified = not mine
            m.leftovers = grouped(mine, plain)

    @staticmethod
    def _belongs(m: Member, item: Leftover, n: int) -> bool:
        if n == 1 or item.identities & m.identities:
            return True
        if not item.identities:  # reached by reference: whose rows held the key?
            return any(item.key in keys.get(item.table, []) for keys in m.keys.values())
        return False

    def record(self, saga: sagas.Saga, members: list[Member]) -> None:
        """One `request-recorded` per request (written once), then the saga's end."""
        assert self.store is not None
        sagas.append_once(self.store.audit, saga, self.ending(saga, members), self.actor)
        sagas.checkpoint("recorded")
        ok = all(m.verified for m in members)
        saga.result = {"verified": ok, "requests": [m.request_id for m in members]}
        sagas.finish(self.store.engine, saga, "done" if ok else "failed",
                     [m.final_json() for m in members])  # fmt: skip

    def ending(
        self, saga: sagas.Saga, members: list[Member], failure: str | None = None
    ) -> AuditEvent:
        """The request's `request-recorded`, or one event for the whole batch."""
        events = [self.final_event(m, failure) for m in members]
        if len(events) == 1:
            return events[0]
        fields = ("request_id", "identity_kinds", "counts", "status", "reason")
        return ErasureBatchRecorded(
            saga.saga_id, [{f: getattr(e, f) for f in fields} for e in events]
        )

    def final_event(self, m: Member, failure: str | None = None) -> RequestRecorded:
        s = m.summary
        changed: dict[str, int] = defaultdict(int)
        for what in ("erased", "anonymised"):
            for table, n in s[what].items():
                changed[table] += n
        if failure is not None:
            reason: str | None = failure
        elif not m.verified:
            left = counts(
                Leftover(x["table"], (), x["why"]) for x in m.leftovers for _ in range(x["rows"])
            )
            reason = "verification found rows left: " + ", ".join(
                f"{t}: {n}" for t, n in left.items()
            )
        elif s["kept"]:
            groups: dict[str, int] = defaultdict(int)
            for k in s["kept"]:
                why = f"{k['basis']}, {k['hold']}, {k['ground']}" if k["hold"] else k["basis"]
                groups[f"{k['table']} ({why})"] += k["rows"]
            reason = "partly kept: " + "; ".join(f"{g}: {n}" for g, n in groups.items())
        else:
            reason = None
        status = "interrupted" if failure else "done" if m.verified else "failed"
        return RequestRecorded(
            request_id=m.request_id,
            request_type="erasure",
            identity_kinds=m.kinds,
            systems_searched=list(self.m.systems),
            counts={} if failure else dict(sorted(changed.items())),
            status=status,
            reason=reason[:300] if reason else None,
        )


def new_request_id() -> str:
    return "R-" + uuid.uuid4().hex[:12]


def new_batch_id() -> str:
    return "B-" + uuid.uuid4().hex[:12]

"""The figures the DPO's pages show, read from Skydd's store and the data map.

Each function answers one page with set-based queries (counts and GROUP BY in the
store), so that a page stays fast with tens of thousands of requests and millions of
consent events. Nothing here prints or logs personal data: requests are shown by id,
kind, state and dates; consent by purpose and decision; the audit log by its events'
kinds and payloads, which never hold personal data.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from skydd.datamap.loader import LoadedMap
from skydd.store import Store
from skydd.store.schema import audit_events, consent_events, workflow_requests
from skydd.workflow import OPEN_STATES, State, list_requests


def request_counts(store: Store, today: date) -> dict[str, Any]:
    """Requests by state, and the open ones that are overdue or due within a week."""
    r = workflow_requests
    open_states = [s.value for s in OPEN_STATES]
    with store.engine.connect() as conn:
        grouped = conn.execute(select(r.c.state, func.count()).group_by(r.c.state)).all()
        by_state: dict[str, int] = {str(s): int(n) for s, n in grouped}
        overdue = conn.execute(
            select(func.count()).where(r.c.state.in_(open_states), r.c.due < today.isoformat())
        ).scalar_one()
        week = conn.execute(
            select(func.count()).where(
                r.c.state.in_(open_states),
                r.c.due >= today.isoformat(),
                r.c.due <= (today + timedelta(days=7)).isoformat(),
            )
        ).scalar_one()
        unverified = conn.execute(
            select(func.count()).where(r.c.state == State.received.value)
        ).scalar_one()
        repeats = conn.execute(
            select(func.count()).where(r.c.state.in_(open_states), r.c.repeat_of.is_not(None))
        ).scalar_one()
    states = {s.value: int(by_state.get(s.value, 0)) for s in State}
    return {
        "states": states,
        "open": sum(states[s] for s in open_states),
        "overdue": int(overdue),
        "due_week": int(week),
        "unverified": int(unverified),
        "repeats": int(repeats),
    }


def next_deadlines(store: Store, today: date, limit: int = 10) -> list[dict[str, Any]]:
    """The open requests with the nearest deadlines (overdue first)."""
    rows = list_requests(store, state=list(OPEN_STATES), limit=limit, today=today)
    return [_request_row(q, today) for q in rows]


def _request_row(q: Any, today: date) -> dict[str, Any]:
    left = q.days_left(today)
    return {
        "id": q.id,
        "kind": q.kind.value,
        "state": q.state.value,
        "channel": q.channel,
        "received": q.received_on,
        "due": q.due,
        "days_left": left,
        "overdue": q.is_open and left < 0,
        "repeat": bool(q.repeat_of),
    }


def queue(
    store: Store,
    today: date,
    *,
    state: str | None = None,
    kind: str | None = None,
    due_within: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> list[dict[str, Any]]:
    """One page of the filtered queue, soonest deadline first."""
    rows = list_requests(
        store,
        state=state or None,
        kind=kind or None,
        due_within=due_within,
        limit=per_page,
        offset=(page - 1) * per_page,
        today=today,
    )
    return [_request_row(q, today) for q in rows]


# --- consent -------------------------------------------------------------------------------


class _Tally:
    """Consent choices counted per (month, purpose, decision), brought up to date by reading
    only the events appended since the last call (the ledger is append-only, its ``seq``
    grows). The first call reads the whole ledger once; later ones a few rows."""

    def __init__(self) -> None:
        self.seq = 0
        self.counts: dict[tuple[str, str, str], int] = defaultdict(int)
        self.lock = threading.RLock()

    def update(self, store: Store) -> dict[tuple[str, str, str], int]:
        c = consent_events
        month = func.substr(c.c.at, 1, 7)
        with self.lock:
            with store.engine.connect() as conn:
                top = conn.execute(select(func.max(c.c.seq))).scalar_one() or 0
                if top > self.seq:
                    rows = conn.execute(
                        select(month, c.c.purpose, c.c.decision, func.count())
                        .where(c.c.seq > self.seq, c.c.seq <= top)
                        .group_by(month, c.c.purpose, c.c.decision)
                    ).all()
                    for m, purpose, decision, n in rows:
                        self.counts[(m, purpose, decision)] += int(n)
                    self.seq = top
                elif top < self.seq:  # another store behind the same key: start again
                    self.seq, self.counts = 0, defaultdict(int)
                    return self.update(store)
            return dict(self.counts)


_TALLIES: dict[str, _Tally] = {}


def consent_rates(store: Store, months: int = 12, today: date | None = None) -> dict[str, Any]:
    """Granted, refused and withdrawn choices per purpose and month, over the last ``months``."""
    today = today or date.today()
    first = date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    key = store.engine.url.render_as_string(hide_password=True)
    tally = _TALLIES.setdefault(key, _Tally())
    rows = [(m, p, d, n) for (m, p, d), n in tally.update(store).items()]
    months_seen = []
    day = first
    while day <= today:
        months_seen.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: {m: {"granted": 0, "refused": 0, "withdrawn": 0} for m in months_seen}
    )
    for m, purpose, decision, n in rows:
        if m in months_seen and decision in ("granted", "refused", "withdrawn"):
            table[purpose][m][decision] += int(n)
    purposes = []
    for purpose, per_month in sorted(table.items()):
        total_g = sum(v["granted"] for v in per_month.values())
        total_r = sum(v["refused"] for v in per_month.values())
        total = total_g + total_r
        purposes.append(
            {
                "purpose": purpose,
                "granted": total_g,
                "refused": total_r,
                "withdrawn": sum(v["withdrawn"] for v in per_month.values()),
                "rate": (total_g / total) if total else None,
                "months": [
                    {
                        "month": m,
                        **v,
                        "rate": v["granted"] / (v["granted"] + v["refused"])
                        if v["granted"] + v["refused"]
                        else None,
                    }
                    for m, v in per_month.items()
                ],
            }
        )
    return {"months": months_seen, "purposes": purposes}


# --- retention -----------------------------------------------------------------------------


def retention_runs(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The newest retention runs, from their audit events."""
    a = audit_events
    query = (
        select(a.c.at, a.c.actor, a.c.payload)
        .where(a.c.kind == "retention-run-finished")
        .order_by(a.c.seq.desc())
        .limit(limit)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    runs = []
    for at, actor, payload in rows:
        data = json.loads(payload)
        runs.append(
            {
                "at": datetime.fromisoformat(at),
                "actor": actor,
                "run_id": data.get("run_id"),
                "as_of": data.get("as_of"),
                "rows": sum(data.get("done", {}).values()),
                "skipped": len(data.get("skipped", {})),
                "complete": data.get("complete", True),
            }
        )
    return runs


def retention_by_month(store: Store, months: int = 12) -> dict[str, Any]:
    """Rows deleted and anonymised per rule and month (from the runs' batch events)."""
    a = audit_events
    since = (date.today().replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    query = select(a.c.at, a.c.payload).where(
        and_(a.c.kind == "retention-batch", a.c.at >= since.isoformat())
    )
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    with store.engine.connect() as conn:
        for at, payload in conn.execute(query):
            data = json.loads(payload)
            totals[(at[:7], data.get("rule", "?"), data.get("action", "delete"))] += int(
                data.get("rows", 0)
            )
    month_keys = sorted({m for m, _, _ in totals})
    rules = sorted({r for _, r, _ in totals})
    return {
        "months": month_keys,
        "series": [
            {
                "rule": rule,
                "deleted": [totals.get((m, rule, "delete"), 0) for m in month_keys],
                "anonymised": [totals.get((m, rule, "anonymise"), 0) for m in month_keys],
            }
            for rule in rules
        ],
    }


_PLAN_CACHE: dict[tuple[int, str], tuple[float, Any]] = {}
PLAN_TTL = 300.0


def retention_plan(loaded: LoadedMap, store_url: str | None, today: date) -> dict[str, Any]:
    """Today's plan (counted in the company's databases), kept five minutes."""
    from skydd.retention import plan

    key = (id(loaded), today.isoformat())
    hit = _PLAN_CACHE.get(key)
    if hit and time.monotonic() - hit[0] < PLAN_TTL:
        result: dict[str, Any] = hit[1]
        return result
    try:
        report = plan(loaded, as_of=today, store=store_url).as_dict()
        report["error"] = None
    except Exception as exc:  # noqa: BLE001 - a database that is down is shown, not raised
        report = {"as_of": today.isoformat(), "rules": [], "error": type(exc).__name__}
    report["computed"] = datetime.now().astimezone()
    _PLAN_CACHE.clear()
    _PLAN_CACHE[key] = (time.monotonic(), report)
    return report


# --- audit ---------------------------------------------------------------------------------


def audit_page(
    store: Store,
    *,
    kind: str | None = None,
    actor: str | None = None,
    before: int | None = None,
    per_page: int = 50,
) -> dict[str, Any]:
    """The newest events (or those before seq ``before``), filtered by kind and actor."""
    a = audit_events
    query = select(a.c.seq, a.c.at, a.c.kind, a.c.actor, a.c.payload, a.c.hash)
    if kind:
        query = query.where(a.c.kind == kind)
    if actor:
        query = query.where(a.c.actor == actor)
    if before:
        query = query.where(a.c.seq < before)
    query = query.order_by(a.c.seq.desc()).limit(per_page)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
        kinds = [k for (k,) in conn.execute(select(a.c.kind).distinct().order_by(a.c.kind))]
    events = [
        {
            "seq": seq,
            "at": datetime.fromisoformat(at),
            "kind": k,
            "actor": who,
            "payload": json.loads(payload),
            "hash": h,
        }
        for seq, at, k, who, payload, h in rows
    ]
    return {"events": events, "kinds": kinds, "total": store.audit.count()}

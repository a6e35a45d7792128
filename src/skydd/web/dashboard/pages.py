"""What each dashboard page shows, as plain data for its template (no FastAPI here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from skydd.datamap.loader import LoadedMap
from skydd.datamap.validate import taxonomy_for
from skydd.errors import SkyddError
from skydd.store import Store
from skydd.web.dashboard import charts, data
from skydd.workflow import RequestKind, State


def choices() -> dict[str, Any]:
    return {"states": [s.value for s in State], "kinds": [k.value for k in RequestKind]}


def _open_breaches(store: Store, loaded: LoadedMap) -> list[dict[str, Any]]:
    from skydd.breach.model import breach_clock, controller_zone
    from skydd.breach.register import list_breaches

    zone = controller_zone(loaded.datamap)
    now = dt.datetime.now(dt.UTC)
    out = []
    for b in list_breaches(store):
        if b.closed_at is not None:
            continue
        clock = breach_clock(b, now, zone)
        out.append({"breach": b, "clock": clock})
    return out


def overview(store: Store, loaded: LoadedMap, today: dt.date) -> dict[str, Any]:
    counts = data.request_counts(store, today)
    return {
        "counts": counts,
        "deadlines": data.next_deadlines(store, today),
        "breaches": _open_breaches(store, loaded),
        "today": today,
    }


def request_detail(store: Store, request_id: str, today: dt.date) -> dict[str, Any]:
    from skydd.workflow import events, get

    q = get(store, request_id)
    return {
        "q": q,
        "days_left": q.days_left(today),
        "events": events(store, request_id),
        "today": today,
    }


def act(
    store: Store,
    loaded: LoadedMap,
    request_id: str,
    action: str,
    *,
    actor: str,
    reason: str,
    told_at: str,
) -> None:
    """One staff action on a request, through the workflow (which audits it)."""
    from skydd import workflow

    if action == "verify":
        workflow.verify(store, request_id, actor=actor, method=reason or "checked by staff")
    elif action == "start":
        workflow.start(store, request_id, actor=actor)
    elif action == "extend":
        try:
            told = dt.date.fromisoformat(told_at)
        except ValueError:
            raise SkyddError("give the date the person was told", hint="YYYY-MM-DD") from None
        workflow.extend(store, request_id, actor=actor, reason=reason, told_at=told)
    elif action == "refuse":
        workflow.refuse(store, request_id, actor=actor, reason=reason)
    elif action == "run":
        workflow.run(store, loaded, request_id, actor=actor)
    else:
        raise SkyddError(f"unknown action '{action}'")


def retention(
    store: Store, loaded: LoadedMap, store_url: str | None, today: dt.date
) -> dict[str, Any]:
    m = loaded.datamap
    rules = [
        {
            "name": name,
            "tables": ", ".join(getattr(rule, "tables", []) or []),
            "period": getattr(rule, "period", None) or "–",
            "action": str(getattr(rule, "action", "delete")),
        }
        for name, rule in m.retention.rules.items()
    ]
    months = data.retention_by_month(store)
    deleted = [sum(s["deleted"][i] for s in months["series"]) for i in range(len(months["months"]))]
    anonymised = [
        sum(s["anonymised"][i] for s in months["series"]) for i in range(len(months["months"]))
    ]
    return {
        "rules": rules,
        "plan": data.retention_plan(loaded, store_url, today),
        "runs": data.retention_runs(store),
        "months": months,
        "chart": (months["months"], deleted, anonymised),
    }


def consent(store: Store, today: dt.date) -> dict[str, Any]:
    rates = data.consent_rates(store, today=today)
    return {"rates": rates}


def consent_chart(rates: dict[str, Any], title: str, description: str) -> Any:
    series = [(p["purpose"], [m["rate"] or 0 for m in p["months"]]) for p in rates["purposes"][:6]]
    labels = [m[2:] for m in rates["months"]]
    return charts.bars(labels, series, title=title, description=description, percent=True)


def scans(store: Store) -> dict[str, Any]:
    import sqlalchemy as sa

    from skydd.store.schema import scan_findings, scan_runs

    with store.engine.connect() as conn:
        run = (
            conn.execute(sa.select(scan_runs).order_by(scan_runs.c.finished_at.desc()).limit(1))
            .mappings()
            .first()
        )
        findings = []
        if run:
            findings = [
                dict(r)
                for r in conn.execute(
                    sa.select(scan_findings)
                    .where(scan_findings.c.run_id == run["run_id"])
                    .order_by(scan_findings.c.seq)
                ).mappings()
            ]
    return {"run": dict(run) if run else None, "findings": findings}


def breaches(store: Store, loaded: LoadedMap) -> dict[str, Any]:
    return {"open": _open_breaches(store, loaded)}


def inventory(loaded: LoadedMap, lang: str) -> dict[str, Any]:
    from skydd.datamap.lint import lint

    m = loaded.datamap
    taxonomy = taxonomy_for(m)
    systems = []
    for sname, system in m.systems.items():
        tables = []
        for tname, table in system.tables.items():
            cats = sorted(
                {c.category for c in table.columns.values() if taxonomy.is_personal(c.category)}
            )
            tables.append(
                {
                    "name": tname,
                    "categories": [taxonomy.labels(c, lang) for c in cats],
                    "purposes": list(getattr(table, "purposes", []) or []),
                }
            )
        systems.append({"name": sname, "tables": tables, "country": system.country})
    recipients = [
        {"key": k, "name": r.name, "kind": r.kind, "country": getattr(r, "country", None)}
        for k, r in m.recipients.items()
    ]
    findings = [
        {"code": f.code, "level": str(f.level), "message": f.message, "line": f.line}
        for f in lint(m, loaded.source)
    ]
    return {"systems": systems, "recipients": recipients, "findings": findings}

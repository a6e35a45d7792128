"""The right to erasure (Art. 17, LEGAL DSR-8, EN-6), end to end.

`erase` finds the person in every system, plans per table what the map declares
(delete, anonymise, keep under a legal hold, keep), carries the plan out as a saga
that survives a crash, searches again to prove the result, records the request in
the audit log and writes the receipt. A request that leaves anything of the person
outside a declared hold or keep fails, loudly: `verified` is false, the audit log
says `failed`, the CLI exits 1.

Defaults where the map declares no `erasure` for a table: shared tables are kept,
tables under a hold (`retention.holds[*].tables`) are held, every other table is
deleted (see `skydd.planning.erasure`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import LANGS
from skydd.errors import SkyddError
from skydd.execution import blocks
from skydd.execution import saga as sagas
from skydd.execution.batch_finder import gc_paused
from skydd.execution.blocks import BlockedRow
from skydd.execution.erasure_run import (
    ErasureJob,
    Member,
    new_batch_id,
    new_request_id,
)
from skydd.planning.erasure import Step
from skydd.requests.access import (
    IdentityInput,
    _loaded,
    _reason,
    _searching,
    _start,
    normalise_identities,
)

if TYPE_CHECKING:
    from skydd.store import Store


@dataclass
class ErasureResult:
    """What an erasure did for one person; `as_json` is the CLI's --format json."""

    request_id: str
    dry_run: bool
    status: str  # planned | done | failed
    erased: dict[str, int]
    anonymised: dict[str, int]
    unlinked: dict[str, int]
    kept: list[dict[str, Any]]
    verified: bool
    leftovers: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: int = 0
    warnings: list[str] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    saga_id: str = ""
    resumed: bool = False
    as_of: str = ""
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    notified: list[dict[str, Any]] = field(default_factory=list)
    """Recipients told of the erasure (Art. 19): recipient, name, channel, id, status."""

    def as_json(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "status": self.status,
            "dry_run": self.dry_run,
            "erased": self.erased,
            "anonymised": self.anonymised,
            "unlinked": self.unlinked,
            "kept": self.kept,
            "verified": self.verified,
            "leftovers": self.leftovers,
            "ambiguous": self.ambiguous,
            "warnings": self.warnings,
            "steps": self.steps,
            "saga_id": self.saga_id,
            "resumed": self.resumed,
            "as_of": self.as_of,
            "notified": self.notified,
            "files": [str(f) for f in self.files],
        }


@dataclass
class BatchResult:
    """`erase_many`: one result per person, in the order given."""

    saga_id: str
    results: list[ErasureResult]
    seconds: float = 0.0

    @property
    def verified(self) -> bool:
        return all(r.verified for r in self.results)

    def as_json(self) -> dict[str, Any]:
        return {
            "saga_id": self.saga_id,
            "verified": self.verified,
            "requests": [r.as_json() for r in self.results],
        }


def describe_steps(steps: Sequence[Step]) -> list[dict[str, Any]]:
    """The plan as the dry run prints it: per database, what happens to how many rows."""
    return [
        {
            "step": i,
            "system": step.system,
            "ops": [
                {
                    "action": op.kind,
                    "table": op.table,
                    "rows": len(op.keys),
                    "columns": dict(op.columns),
                }
                for op in step.ops
            ],
        }
        for i, step in enumerate(steps, start=1)
    ]


def subject_hash(idents: set[tuple[str, str]]) -> str:
    text = json.dumps(sorted(idents), separators=(",", ":"))
    return hashlib.sha256(("skydd-erasure\n" + text).encode("utf-8")).hexdigest()


def _result(m: Member, job_saga: str, dry: bool, steps: list[dict[str, Any]]) -> ErasureResult:
    s = m.summary
    status = "planned" if dry else ("done" if m.verified else "failed")
    return ErasureResult(
        request_id=m.request_id,
        dry_run=dry,
        status=status,
        erased=s["erased"],
        anonymised=s["anonymised"],
        unlinked=s["unlinked"],
        kept=s["kept"],
        verified=bool(m.verified) and not dry,
        leftovers=m.leftovers,
        ambiguous=s["ambiguous"],
        warnings=s["warnings"],
        steps=steps,
        saga_id=job_saga,
        as_of=s["as_of"],
    )


@contextmanager
def _store(store: str | Store | None, loaded: LoadedMap) -> Iterator[Store]:
    if store is not None and not isinstance(store, str):
        yield store
        return
    from skydd.store import open_store

    with open_store(store, default_dir=loaded.directory) as opened:
        yield opened


def _check(lang: str, verify: str) -> None:
    if lang not in LANGS:
        raise SkyddError(f"unknown language '{lang}'", hint="use sv, en or da")
    if verify not in ("thorough", "indexed"):
        raise SkyddError(f"unknown verification '{verify}'", hint="use thorough or indexed")


def erase(
    map_: LoadedMap | str | Path | None,
    identities: IdentityInput | None = None,
    *,
    dry_run: bool = False,
    resume: str | None = None,
    out: Path | None = None,
    lang: str = "sv",
    pdf: bool | None = None,
    as_of: date | None = None,
    store: str | Store | None = None,
    actor: str = "cli",
    thorough: bool = False,
    verify: str = "thorough",
    holds: Sequence[str] = (),
) -> ErasureResult:
    """Erase one person: plan, carry out, verify, record, and write the receipt to `out`.

    `dry_run` only plans (nothing is changed or recorded). `resume` takes up an
    interrupted erasure by its request id; a rerun with the same identities does so
    too. `holds` names holds of scope `person` that the DPO placed on this person.
    `verify="indexed"` searches afterwards like the request itself did instead of
    reading whole identity columns (faster on large tables, blind to odd formats).
    """
    started = time.perf_counter()
    _check(lang, verify)
    if resume is not None:
        result = _resume(map_, resume, store, actor)[0]
    else:
        if identities is None:
            raise SkyddError("give the person's identities, or --resume REQUEST_ID")
        result = _erase_new(
            map_, [identities], dry_run, as_of, store, actor, thorough, verify, tuple(holds)
        )[0]
    if out is not None:
        from skydd.documents.receipt import write_receipt

        loaded = _loaded(map_)
        result.files = write_receipt(loaded.datamap, result.as_json(), out, lang=lang, pdf=pdf)
    result.seconds = time.perf_counter() - started
    return result


def erase_many(
    map_: LoadedMap | str | Path | None,
    people: Sequence[IdentityInput],
    *,
    as_of: date | None = None,
    store: str | Store | None = None,
    actor: str = "batch",
    thorough: bool = False,
    verify: str = "thorough",
    dry_run: bool = False,
    out: Path | None = None,
    lang: str = "sv",
    pdf: bool = False,
) -> BatchResult:
    """Erase many people in one saga: one transaction per database for all of them.

    Each person is still a request of their own (own id, own result, own line in the
    batch's audit record); a row one person's hold keeps is not erased for another.
    People are searched together (`Finder.find_many`: each lookup one query for all of
    them, each person's result as if searched alone). With `out`, each person's receipt is
    written to `out/<request id>/`.
    """
    started = time.perf_counter()
    _check(lang, verify)
    if not people:
        return BatchResult("", [], 0.0)
    with gc_paused():  # ~10^5 live rows and plans: the cyclic collector would rescan them
        results = _erase_new(map_, list(people), dry_run, as_of, store, actor, thorough, verify, ())
    if out is not None:
        from skydd.documents.receipt import write_receipt

        datamap = _loaded(map_).datamap
        for r in results:
            r.files = write_receipt(datamap, r.as_json(), out / r.request_id, lang=lang, pdf=pdf)
    saga_id = results[0].saga_id if results else ""
    return BatchResult(saga_id, results, time.perf_counter() - started)


def _erase_new(
    map_: LoadedMap | str | Path | None,
    people: list[IdentityInput],
    dry_run: bool,
    as_of: date | None,
    store: str | Store | None,
    actor: str,
    thorough: bool,
    verify: str,
    holds: tuple[str, ...],
) -> list[ErasureResult]:
    loaded = _loaded(map_)
    day = as_of or date.today()
    if dry_run:
        with _searching(map_, loaded) as finder:
            job = ErasureJob(loaded, finder, None, actor=actor, as_of=day, person_holds=holds)
            wanted = [normalise_identities(loaded, p) for p in people]
            ids = [new_request_id() for _ in people]
            planned = (
                job.prepare_many(ids, wanted, thorough)
                if len(people) > 1
                else [job.prepare(ids[0], wanted[0], thorough)]
            )
            steps = describe_steps(job.steps(planned))
        return [_result(m, "", True, steps) for m in planned]
    with _store(store, loaded) as st:
        reqs = [_start("erasure", loaded, p, st, actor, True) for p in people]
        given: list[set[tuple[str, str]]] = []
        for req, p in zip(reqs, people, strict=True):
            with req.failures_recorded():
                given.append(normalise_identities(loaded, p))
        everyone = set().union(*given)
        left = sagas.unfinished(st.engine, subject_hash(everyone))
        if left is not None:
            return _resume(loaded, left, st, actor, searching=map_)
        with _searching(map_, loaded) as finder:
            job = ErasureJob(
                loaded, finder, st, actor=actor, as_of=day, verify=verify, person_holds=holds
            )
            members = _prepare(job, reqs, given, thorough)
            saga_id = members[0].request_id if len(members) == 1 else new_batch_id()
            saga = job.start(saga_id, members, subject_hash(everyone))
            steps = describe_steps([s for _, s, _ in saga.steps])
            with _interrupted(job, saga, members, loaded):
                job.execute(saga)
                job.verify(members)
                notified = _notify(st, loaded, members, saga_id, actor)
                _block(st, loaded, members, actor)
                job.record(saga, members)
    return _results(members, saga_id, steps, notified)


def _prepare(
    job: ErasureJob,
    reqs: list[Any],
    given: list[set[tuple[str, str]]],
    thorough: bool,
) -> list[Member]:
    """Find and plan each person; a batch searches everyone together. A failure is
    recorded for every request of the batch (none of them went ahead)."""
    if len(reqs) == 1:
        with reqs[0].failures_recorded():
            return [job.prepare(reqs[0].request_id, given[0], thorough)]
    with ExitStack() as stack:
        for req in reqs:
            stack.enter_context(req.failures_recorded())
        members = job.prepare_many([r.request_id for r in reqs], given, thorough)
    return members


def _results(
    members: list[Member],
    saga_id: str,
    steps: list[dict[str, Any]],
    notified: dict[str, list[dict[str, Any]]],
) -> list[ErasureResult]:
    results = [_result(m, saga_id, False, steps) for m in members]
    for r in results:
        r.notified = notified.get(r.request_id, [])
    return results


BLOCK_NOTE = "blocked after erasure: rows kept under a legal hold (EN-6)"


def _block(st: Store, loaded: LoadedMap, members: list[Member], actor: str) -> None:
    """EN-6: a person whose rows had to be kept under a legal hold is blocked in the consent
    ledger, so that the decision API refuses every use but the legal duty. Recorded once
    per request (a resumed saga finds it), for a whole batch in one transaction."""
    held = [
        m for m in members if any(k["basis"] not in ("shared", "keep") for k in m.summary["kept"])
    ]
    if not held:
        return
    from sqlalchemy import select

    from skydd.consent.book import ConsentBook
    from skydd.store.schema import consent_standing

    ids = [m.request_id for m in held]
    with st.engine.connect() as conn:
        query = select(consent_standing.c.request_id).where(consent_standing.c.request_id.in_(ids))
        done = set(conn.execute(query).scalars())
    todo = [(sorted(m.identities), m.request_id) for m in held if m.request_id not in done]
    if todo:
        ConsentBook(st, loaded).block(todo, note=BLOCK_NOTE, recorded_by=actor)


def _notify(
    st: Store,
    loaded: LoadedMap,
    members: list[Member],
    saga_id: str,
    actor: str,
    known: Sequence[str] = (),
) -> dict[str, list[dict[str, Any]]]:
    """Queue the Art. 19 notices of each request, once: a resumed saga finds them queued.

    Recipients of the tables where rows were erased or anonymised are told, with the
    identities of the person of the kinds each holds, so that it can find them.
    """
    from skydd.outbox import Notice, items_for_requests, notified_entries, queue_notices

    have = items_for_requests(st, [*known, *(m.request_id for m in members)])
    notices = []
    for m in members:
        s = m.summary
        tables = sorted(t for what in ("erased", "anonymised") for t, n in s[what].items() if n)
        if m.request_id in have or not tables:
            continue
        subject: dict[str, list[str]] = defaultdict(list)
        for kind, value in sorted(m.identities):
            subject[kind].append(value)
        notices.append(Notice(m.request_id, tables, subject))
    queued = queue_notices(st, loaded, notices, event="erasure", actor=actor, batch_id=saga_id)
    for item in queued:
        have.setdefault(item.request_id, []).append(item)
    return {rid: notified_entries(loaded.datamap, items) for rid, items in have.items()}


@contextmanager
def _interrupted(
    job: ErasureJob, saga: sagas.Saga, members: list[Member], loaded: LoadedMap
) -> Iterator[None]:
    """Record an ordinary failure mid-saga as `interrupted`: the saga can be resumed."""
    try:
        yield
    except Exception as exc:
        if job.store is not None:
            m = loaded.datamap
            region = m.policy.default_region or m.controller.country
            secrets = sorted({i for member in members for i in member.identities})
            reason = f"{_reason(exc, secrets, region)}; resume with --resume {saga.saga_id}"
            job.store.audit.append(job.ending(saga, members, reason[:300]), actor=job.actor)
        raise


def _resume(
    map_: LoadedMap | str | Path | None,
    saga_id: str,
    store: str | Store | None,
    actor: str,
    searching: LoadedMap | str | Path | None = None,
) -> list[ErasureResult]:
    loaded = _loaded(map_)
    with _store(store, loaded) as st:
        saga = sagas.load(st.engine, saga_id)
        if saga is None:
            raise SkyddError(
                f"no erasure {saga_id} in the store {st.url}",
                hint="check the id, and that --store points at the store the erasure used",
            )
        steps = describe_steps([s for _, s, _ in saga.steps])
        if saga.status != "running":
            members = [Member.from_json(m) for m in saga.members]
            results = _results(members, saga_id, steps, _notify(st, loaded, [], saga_id, actor,
                               [m.request_id for m in members]))  # fmt: skip
            for r in results:
                r.resumed = True
            return results
        day = date.fromisoformat(saga.options["as_of"])
        with _searching(searching if searching is not None else map_, loaded) as finder:
            job = ErasureJob(
                loaded, finder, st, actor=actor, as_of=day, verify=saga.options["verify"]
            )
            members = job.resume(saga)
            with _interrupted(job, saga, members, loaded):
                job.execute(saga)
                job.verify(members)
                notified = _notify(st, loaded, members, saga_id, actor)
                _block(st, loaded, members, actor)
                job.record(saga, members)
    results = _results(members, saga_id, steps, notified)
    for r in results:
        r.resumed = True
    return results


def render_text(result: ErasureResult) -> list[str]:
    """The result as the CLI prints it without --format json: one line per fact."""
    lines: list[str] = []
    if result.dry_run:
        lines.append("Dry run: the plan below changes nothing until it is run without --dry-run.")
        for step in result.steps:
            for op in step["ops"]:
                cols = ", ".join(f"{c}={m}" for c, m in op["columns"].items())
                lines.append(
                    f"  step {step['step']} {step['system']:<10} {op['action']:<10} "
                    f"{op['table']:<36} {op['rows']:>7}" + (f"  ({cols})" if cols else "")
                )
    for what, counts in (
        ("erased", result.erased),
        ("anonymised", result.anonymised),
        ("unlinked", result.unlinked),
    ):
        for table, n in counts.items():
            lines.append(f"  {what:<11} {table:<40} {n:>7}")
    for k in result.kept:
        until = f"until {k['until']}" if k["until"] else ""
        lines.append(f"  {'kept':<11} {k['table']:<40} {k['rows']:>7}  {until:<17}{k['reason']}")
    lines += [f"warning: {w}" for w in result.warnings]
    if result.ambiguous:
        lines.append(
            f"{result.ambiguous} record(s) may be this person's but could be someone else's: "
            "they were left alone; review them (skydd request access shows which)"
        )
    for x in result.leftovers:
        lines.append(f"LEFT: {x['table']}: {x['rows']} row(s) {x['why']}")
    erased = sum(result.erased.values()) + sum(result.anonymised.values())
    kept = sum(k["rows"] for k in result.kept)
    if result.dry_run:
        state = "planned"
    elif result.verified:
        state = "done, verified"
    else:
        state = "FAILED: verification found the person's data left outside a hold"
    lines.append(f"{result.request_id}: {erased} rows erased or anonymised, {kept} kept; {state}")
    lines += [f"wrote {f}" for f in result.files]
    return lines


def due_blocks(store: Store, as_of: date | None = None) -> list[BlockedRow]:
    """Rows kept under a hold by an erasure whose hold has ended (for retention)."""
    return blocks.due_blocks(store.engine, as_of or date.today())


def release_blocks(
    map_: LoadedMap | str | Path | None,
    *,
    store: str | Store | None = None,
    as_of: date | None = None,
    actor: str = "retention",
) -> dict[str, int]:
    """Erase the rows whose hold has ended. `skydd retention run` calls this after its rules."""
    loaded = _loaded(map_)
    with _store(store, loaded) as st:
        return blocks.release_blocks(loaded, st, as_of or date.today(), actor=actor)

"""The right of access (Art. 15) and portability (Art. 20), end to end.

One call: normalise the identities, find the person in every system, build
the registerutdrag, write it, and record the request in the audit log (kinds
of identity and counts only, never the rows or the values).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skydd.datamap.loader import LoadedMap, load_map
from skydd.datamap.models import LANGS, LegalBasis
from skydd.documents.access_report import build_report, plain
from skydd.errors import SkyddError
from skydd.execution.finder import Finder, Found
from skydd.execution.systems import Systems
from skydd.execution.variants import stored_variants
from skydd.identity import BUILTIN_KINDS, IdentityError, mask, normalise, try_normalise
from skydd.planning.graph import build_graph

if TYPE_CHECKING:
    from skydd.store import Store

IdentityInput = Sequence[tuple[str, str]] | Mapping[str, str | Sequence[str]]


def parse_identity(text: str) -> tuple[str, str]:
    """'email=anna@example.se' -> ('email', 'anna@example.se')."""
    kind, sep, value = text.partition("=")
    if not sep or not kind.strip() or not value.strip():
        raise SkyddError(
            f"--identity expects KIND=VALUE, found '{kind.strip()}{sep}…'",
            hint="for example --identity email=anna@example.se",
        )
    return kind.strip(), value.strip()


def _pairs(identities: IdentityInput) -> list[tuple[str, str]]:
    if isinstance(identities, Mapping):
        pairs: list[tuple[str, str]] = []
        for kind, value in identities.items():
            values = [value] if isinstance(value, str) else list(value)
            pairs += [(kind, v) for v in values]
        return pairs
    return list(identities)


def normalise_identities(loaded: LoadedMap, identities: IdentityInput) -> set[tuple[str, str]]:
    """Canonical (kind, value) pairs; IdentityError or SkyddError for bad input."""
    m = loaded.datamap
    custom = {k: d.normalise for k, d in m.identities.items()}
    known = sorted(set(BUILTIN_KINDS) | set(custom))
    region = m.policy.default_region or m.controller.country
    out = set()
    pairs = _pairs(identities)
    if not pairs:
        raise SkyddError(
            "no identity given", hint="give at least one, e.g. --identity email=anna@example.se"
        )
    for kind, value in pairs:
        if kind not in known:
            raise SkyddError(
                f"unknown identity kind '{kind}'", hint="known kinds: " + ", ".join(known)
            )
        out.add((kind, normalise(kind, value, region=region, custom=custom)))
    return out


@dataclass
class AccessResult:
    """What an access request produced."""

    request_id: str
    found: bool
    counts: dict[str, int]
    out: Path | None
    report: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "found": self.found,
            "counts": self.counts,
            "out": str(self.out) if self.out else None,
            "files": [str(f) for f in self.files],
            "ambiguous": self.ambiguous,
            "shared": {s["key"]: s["count"] for s in self.report.get("shared", [])},
        }


def _loaded(map_: LoadedMap | str | Path | None) -> LoadedMap:
    return map_ if isinstance(map_, LoadedMap) else load_map(map_)


def _finder(loaded: LoadedMap, systems: Systems) -> Finder:
    m = loaded.datamap
    return Finder(
        build_graph(m),
        systems.engine,
        region=m.policy.default_region or m.controller.country,
        custom_kinds={k: d.normalise for k, d in m.identities.items()},
        explain=systems.explain,
        connect=systems.open,
    )


def find_person(
    loaded: LoadedMap, idents: set[tuple[str, str]], systems: Systems, *, thorough: bool = False
) -> Found:
    """Search every declared system for one person."""
    return _finder(loaded, systems).find(idents, thorough=thorough)


# A LoadedMap passed in (as a web service does) keeps its connection pools and what the
# finder learnt of the databases until the map object is dropped; a path is loaded,
# searched and closed per call.
_OPEN: dict[int, tuple[Systems, Finder]] = {}
_OPEN_LOCK = threading.RLock()  # re-entrant: a finalizer may run while it is held


def _forget(key: int) -> None:
    with _OPEN_LOCK:
        entry = _OPEN.pop(key, None)
    if entry is not None:
        entry[0].close()


@contextmanager
def _searching(map_: LoadedMap | str | Path | None, loaded: LoadedMap) -> Iterator[Finder]:
    if not isinstance(map_, LoadedMap):
        with Systems(loaded) as systems:
            yield _finder(loaded, systems)
        return
    key = id(loaded)
    with _OPEN_LOCK:
        entry = _OPEN.get(key)
        if entry is None:
            systems = Systems(loaded)
            entry = (systems, _finder(loaded, systems))
            _OPEN[key] = entry
            weakref.finalize(loaded, _forget, key)
    yield entry[1]


def close_connections(loaded: LoadedMap) -> None:
    """Close the pools kept for a LoadedMap now rather than when it is garbage-collected."""
    _forget(id(loaded))


def _record(store: str | Store | None, loaded: LoadedMap, event: Any, actor: str) -> None:
    if store is not None and not isinstance(store, str):
        store.audit.append(event, actor=actor)
        return
    from skydd.store import open_store

    with open_store(store, default_dir=loaded.directory) as opened:
        opened.audit.append(event, actor=actor)


def _event(
    request_id: str,
    rtype: str,
    kinds: Iterable[str],
    systems: list[str],
    counts: dict[str, int],
    status: str,
    reason: str | None = None,
) -> Any:
    from skydd.store.events import RequestRecorded

    return RequestRecorded(
        request_id=request_id,
        request_type=rtype,
        identity_kinds=sorted(set(kinds)),
        systems_searched=systems,
        counts=counts,
        status=status,
        reason=reason,
    )


_QUOTED = re.compile(r" '[^']*'")
_KIND_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")  # no dots or @: not a value


def _reason(exc: BaseException, pairs: list[tuple[str, str]], region: str) -> str:
    """Why a request failed, fit for the permanent log: no identity value, not even masked."""
    if isinstance(exc, IdentityError):
        # "personnummer '19****13' has …" → "personnummer has …"
        text = _QUOTED.sub("", exc.message)
    elif isinstance(exc, SkyddError):
        text = exc.message
    else:
        text = f"internal error: {type(exc).__name__}"
    secrets: set[str] = set()
    for kind, value in pairs:
        if isinstance(value, str) and value.strip():
            secrets |= {value, value.strip(), mask(value)}
            try:
                norm = try_normalise(kind, value, region=region) or value.strip()
            except IdentityError:  # an unknown kind: nothing to normalise
                norm = value.strip()
            secrets |= {norm, *stored_variants(kind, norm, region)}
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 3:
            text = re.sub(re.escape(secret), "***", text, flags=re.IGNORECASE)
    return text[:300]


@dataclass
class _Request:
    rtype: str
    loaded: LoadedMap
    pairs: list[tuple[str, str]]
    store: str | Store | None
    actor: str
    record: bool
    request_id: str = field(default_factory=lambda: "R-" + uuid.uuid4().hex[:12])

    @property
    def kinds(self) -> list[str]:
        """Kinds as given, fit for the log (whatever looks like a value is left out)."""
        return [k for k, _ in self.pairs if isinstance(k, str) and _KIND_NAME.match(k)]

    @contextmanager
    def failures_recorded(self) -> Iterator[None]:
        """Record the request as failed, with the reason, if anything below raises."""
        try:
            yield
        except Exception as exc:
            if self.record:
                m = self.loaded.datamap
                reason = _reason(exc, self.pairs, m.policy.default_region or m.controller.country)
                self.done("failed", list(m.systems), {}, reason, self.kinds)
            raise

    def done(
        self,
        status: str,
        searched: list[str],
        counts: dict[str, int],
        reason: str | None = None,
        kinds: Iterable[str] = (),
    ) -> None:
        if self.record:
            _record(
                self.store,
                self.loaded,
                _event(self.request_id, self.rtype, kinds, searched, counts, status, reason),
                self.actor,
            )


def _start(
    rtype: str,
    map_: LoadedMap | str | Path | None,
    identities: IdentityInput,
    store: str | Store | None,
    actor: str,
    record: bool,
) -> _Request:
    loaded = _loaded(map_)
    try:
        pairs = _pairs(identities)
    except (TypeError, ValueError, AttributeError):
        pairs = []
    return _Request(rtype, loaded, pairs, store, actor, record)


def _search(
    req: _Request, map_: LoadedMap | str | Path | None, identities: IdentityInput, thorough: bool
) -> tuple[set[tuple[str, str]], Found]:
    idents = normalise_identities(req.loaded, identities)
    with _searching(map_, req.loaded) as finder:
        return idents, finder.find(idents, thorough=thorough)


def _for_report(ambiguous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the person's own report says of withheld rows: how many, never whose keys."""
    grouped: dict[tuple[str, str, str], int] = {}
    for entry in ambiguous:
        key = (entry["table"], entry["identity"], entry["reason"])
        grouped[key] = grouped.get(key, 0) + 1
    return [
        {"table": t, "identity": i, "reason": r, "count": n} for (t, i, r), n in grouped.items()
    ]


def _plain_ambiguous(ambiguous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "key": [plain(v) for v in e["key"]]} for e in ambiguous]


def access(
    map_: LoadedMap | str | Path | None,
    identities: IdentityInput,
    *,
    out: Path | None = None,
    lang: str = "sv",
    as_of: date | None = None,
    store: str | Store | None = None,
    actor: str = "cli",
    thorough: bool = False,
    pdf: bool | None = None,
    record: bool = True,
) -> AccessResult:
    """Answer an access request: find the person everywhere and write the registerutdrag.

    `pdf=None` writes a PDF when the `pdf` extra is installed. `store` is a store URL
    or an open `Store`; pass a `LoadedMap` rather than a path to keep connections open
    between requests.
    """
    started = time.perf_counter()
    req = _start("access", map_, identities, store, actor, record)
    with req.failures_recorded():
        if lang not in LANGS:
            raise SkyddError(f"unknown language '{lang}'", hint="use sv, en or da")
        idents, found = _search(req, map_, identities, thorough)
        report = build_report(
            req.loaded.datamap,
            {k: list(v.values()) for k, v in found.rows.items()},
            {k: list(v.values()) for k, v in found.shared.items()},
            lang=lang,
            request_id=req.request_id,
            as_of=as_of or date.today(),
            identity_kinds=sorted({k for k, _ in idents}),
            ambiguous=_for_report(found.ambiguous),
        )
        files: list[Path] = []
        if out is not None:
            from skydd.documents.writers import write_access

            files = write_access(report, out, pdf=pdf)
    result = AccessResult(
        req.request_id,
        found.found,
        found.counts(),
        out,
        report,
        files,
        _plain_ambiguous(found.ambiguous),
        time.perf_counter() - started,
    )
    req.done("done", list(req.loaded.datamap.systems), result.counts, kinds=(k for k, _ in idents))
    return result


def portable_tables(loaded: LoadedMap) -> set[str]:
    """Tables whose data the person provided and that rest on consent or contract (DSR-11)."""
    m = loaded.datamap
    ok = {LegalBasis.consent, LegalBasis.contract}
    out = set()
    for sname, tname, table in m.tables():
        provided = table.provided_by_subject
        if provided is None:
            provided = table.source is None or table.source.kind == "subject"
        purposes = set(table.purposes)
        for col in table.columns.values():
            purposes |= set(col.purposes or [])
        if provided and any(m.purposes[p].legal_basis in ok for p in purposes if p in m.purposes):
            out.add(f"{sname}.{tname}")
    return out


def export(
    map_: LoadedMap | str | Path | None,
    identities: IdentityInput,
    *,
    out: Path,
    store: str | Store | None = None,
    actor: str = "cli",
    thorough: bool = False,
    record: bool = True,
) -> AccessResult:
    """Art. 20: only data the person provided, processed by automated means under consent
    or contract, as JSON and CSV."""
    req = _start("portability", map_, identities, store, actor, record)
    with req.failures_recorded():
        idents, found = _search(req, map_, identities, thorough)
        allowed = portable_tables(req.loaded)
        rows = {k: list(v.values()) for k, v in found.rows.items() if k in allowed and v}
        report = build_report(
            req.loaded.datamap,
            rows,
            {},
            lang="en",
            request_id=req.request_id,
            as_of=date.today(),
            identity_kinds=sorted({k for k, _ in idents}),
            ambiguous=_for_report(found.ambiguous),
        )
        from skydd.documents.writers import write_portable

        files = write_portable(report, out)
    counts = {k: len(v) for k, v in rows.items()}
    result = AccessResult(
        req.request_id, bool(rows), counts, out, report, files, _plain_ambiguous(found.ambiguous)
    )
    req.done("done", list(req.loaded.datamap.systems), counts, kinds=(k for k, _ in idents))
    return result

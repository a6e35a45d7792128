"""The breach register from a map file and a store URL: what each `skydd breach` command calls.

The map gives the controller's time zone (times without an offset are read in it),
its authority and contact, and the names that categories are checked against.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skydd.breach.drafts import draft_authority, draft_lang, draft_people
from skydd.breach.events import BreachDraftWritten
from skydd.breach.model import (
    TIMES,
    Breach,
    BreachError,
    Clock,
    breach_clock,
    controller_zone,
    parse_time,
)
from skydd.breach.register import (
    close_breach,
    get_breach,
    list_breaches,
    open_breach,
    update_breach,
)
from skydd.datamap.loader import LoadedMap, load_map
from skydd.datamap.validate import taxonomy_for

if TYPE_CHECKING:
    from skydd.store import Store


@dataclass(frozen=True)
class BreachView:
    """A breach with its clock, as the CLI and the dashboard show it."""

    breach: Breach
    clock: Clock

    def as_dict(self) -> dict[str, Any]:
        return {**self.breach.as_dict(), "clock": self.clock.as_dict()}


@contextmanager
def _opened(map_path: str | Path | None, store: str | None) -> Iterator[tuple[LoadedMap, Store]]:
    from skydd.store import open_store

    loaded = load_map(map_path)
    with open_store(store, default_dir=loaded.directory) as st:
        yield loaded, st


def _prepare(loaded: LoadedMap, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Times parsed in the controller's zone, categories checked against the map."""
    m = loaded.datamap
    zone = controller_zone(m)
    values = {k: v for k, v in raw.items() if v is not None}
    for key in TIMES:
        if isinstance(values.get(key), str):
            values[key] = parse_time(values[key], zone, "--" + key.removesuffix("_at"))
    taxonomy = taxonomy_for(m)
    for cat in values.get("data_categories") or ():
        if not taxonomy.is_known(cat):
            near = taxonomy.suggest(cat)
            raise BreachError(
                f"unknown data category '{cat}'",
                hint=("did you mean " + ", ".join(near) + "?") if near else "see docs/taxonomy.md",
            )
    for name in values.get("subject_categories") or ():
        if name not in m.subjects:
            raise BreachError(
                f"the map declares no data subjects '{name}'",
                hint="use one of: " + ", ".join(m.subjects),
            )
    return values


def _view(loaded: LoadedMap, b: Breach, now: datetime | None) -> BreachView:
    zone = controller_zone(loaded.datamap)
    return BreachView(b, breach_clock(b, now or datetime.now(UTC), zone))


def open_from_cli(
    map_path: str | Path | None,
    store: str | None,
    raw: Mapping[str, Any],
    *,
    actor: str = "cli",
    now: datetime | None = None,
) -> BreachView:
    with _opened(map_path, store) as (loaded, st):
        values = _prepare(loaded, raw)
        title = values.pop("title", None)
        aware = values.pop("aware_at", None)
        if not title or aware is None:
            raise BreachError(
                "a breach needs --title and --aware", hint="see skydd breach open --help"
            )
        b = open_breach(st, title=title, aware_at=aware, actor=actor, now=now, **values)
        return _view(loaded, b, now)


def update_from_cli(
    map_path: str | Path | None,
    store: str | None,
    breach_id: str,
    raw: Mapping[str, Any],
    *,
    actor: str = "cli",
    now: datetime | None = None,
) -> BreachView:
    with _opened(map_path, store) as (loaded, st):
        b = update_breach(st, breach_id, _prepare(loaded, raw), actor=actor, now=now)
        return _view(loaded, b, now)


def close_from_cli(
    map_path: str | Path | None,
    store: str | None,
    breach_id: str,
    *,
    actor: str = "cli",
    now: datetime | None = None,
) -> BreachView:
    with _opened(map_path, store) as (loaded, st):
        return _view(loaded, close_breach(st, breach_id, actor=actor, now=now), now)


def show(
    map_path: str | Path | None, store: str | None, breach_id: str, now: datetime | None = None
) -> BreachView:
    with _opened(map_path, store) as (loaded, st):
        return _view(loaded, get_breach(st, breach_id), now)


def listing(
    map_path: str | Path | None, store: str | None, status: str | None, now: datetime | None = None
) -> list[BreachView]:
    if status not in (None, "open", "closed"):
        raise BreachError(f"unknown status '{status}'", hint="use open, closed or all")
    with _opened(map_path, store) as (loaded, st):
        return [_view(loaded, b, now) for b in list_breaches(st, status=status)]


def draft(
    map_path: str | Path | None,
    store: str | None,
    breach_id: str,
    to: str,
    lang: str | None,
    *,
    actor: str = "cli",
    now: datetime | None = None,
) -> str:
    if to not in ("authority", "people"):
        raise BreachError(f"unknown addressee '{to}'", hint="use --to authority or --to people")
    with _opened(map_path, store) as (loaded, st):
        m = loaded.datamap
        b = get_breach(st, breach_id)
        chosen = draft_lang(m, lang)
        if to == "authority":
            text = draft_authority(m, b, lang=chosen, now=now or datetime.now(UTC))
        else:
            text = draft_people(m, b, lang=chosen)
        st.audit.append(BreachDraftWritten(breach_id, to, chosen), actor=actor)
        return text


def register_document(
    map_path: str | Path | None,
    store: str | None,
    status: str | None,
    fmt: str,
    lang: str | None,
    now: datetime | None = None,
) -> bytes:
    """The register of every breach as XLSX, CSV or HTML (Art. 33(5))."""
    from skydd.breach.export import register_book
    from skydd.records import render_book

    if fmt not in ("xlsx", "csv", "html"):
        raise BreachError(f"unknown format '{fmt}'", hint="use text, json, xlsx, csv or html")
    when = now or datetime.now(UTC)
    with _opened(map_path, store) as (loaded, st):
        m = loaded.datamap
        zone = controller_zone(m)
        if status not in (None, "open", "closed"):
            raise BreachError(f"unknown status '{status}'", hint="use open, closed or all")
        rows = [(b, breach_clock(b, when, zone)) for b in list_breaches(st, status=status)]
        book = register_book(m, rows, lang=draft_lang(m, lang), zone=zone, now=when)
    return render_book(book, fmt)

"""Published notice versions: each stored with the hash of its texts and the facts behind it.

The consent ledger and the banner record which notice a person saw by its version id
and hash (`current_notice_version`); a new version (a changed hash) is what asks
people to consent again. Publishing the same text twice stores nothing new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import LANGS
from skydd.errors import SkyddError
from skydd.notice import render
from skydd.notice.content import build
from skydd.notice.diff import describe
from skydd.notice.facts import digest, facts
from skydd.store.audit import format_at
from skydd.store.db import Store
from skydd.store.events import AuditEvent, register_event
from skydd.store.schema import notice_versions

_TRIES = 3


@register_event
@dataclass(frozen=True)
class NoticePublished(AuditEvent):
    """Event kind: ``notice-published``

    A privacy notice version was published.

    :ivar version_id: the version's id (``v3``).
    :ivar sha256: hash of its texts in every language published.
    :ivar map_hash: sha256 of the data map file it was written from.
    :ivar languages: the languages published, e.g. ``sv,en,da``.
    """

    kind: ClassVar[str] = "notice-published"

    version_id: str
    sha256: str
    map_hash: str
    languages: str


@dataclass(frozen=True)
class NoticeVersion:
    """One published notice: its id, when, the hash of its texts, and the facts behind it."""

    version: int
    version_id: str
    published_at: str
    effective: str
    sha256: str
    map_sha256: str
    languages: tuple[str, ...]
    actor: str
    facts: dict[str, Any]
    created: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "version_id": self.version_id,
            "published_at": self.published_at,
            "effective": self.effective,
            "sha256": self.sha256,
            "map_sha256": self.map_sha256,
            "languages": list(self.languages),
            "actor": self.actor,
            "created": self.created,
        }


def texts(loaded: LoadedMap, langs: tuple[str, ...], request: str | None) -> dict[str, str]:
    """The notice in Markdown per language, without a version line: what the hash covers."""
    out = {}
    for lang in langs:
        content = build(loaded.datamap, lang, request_url=request)
        content["version"] = None
        out[lang] = render.markdown(content)
    return out


def texts_hash(loaded: LoadedMap, langs: tuple[str, ...], request: str | None) -> str:
    return digest(texts(loaded, langs, request))


def _row(row: Any, created: bool = False) -> NoticeVersion:
    return NoticeVersion(
        version=row.version,
        version_id=row.version_id,
        published_at=row.published_at,
        effective=row.effective,
        sha256=row.sha256,
        map_sha256=row.map_sha256,
        languages=tuple(row.languages.split(",")),
        actor=row.actor,
        facts=json.loads(row.content),
        created=created,
    )


def list_versions(store: Store) -> list[NoticeVersion]:
    """Every published version, oldest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(notice_versions).order_by(notice_versions.c.version)).all()
    return [_row(r) for r in rows]


def _latest(store: Store) -> NoticeVersion | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(notice_versions).order_by(notice_versions.c.version.desc()).limit(1)
        ).first()
    return _row(row) if row else None


def current_notice_version(store: Store) -> tuple[str, str] | None:
    """(version id, sha256) of the newest published notice, or None before the first."""
    latest = _latest(store)
    return (latest.version_id, latest.sha256) if latest else None


def published(loaded: LoadedMap, store: Store, request: str | None) -> NoticeVersion | None:
    """The newest version, if the map still gives its very texts; else None (not published)."""
    latest = _latest(store)
    if latest and latest.sha256 == texts_hash(loaded, latest.languages, request):
        return latest
    return None


def get_version(store: Store, ref: str) -> NoticeVersion:
    """A version by its id ('v3') or number ('3')."""
    wanted = ref.strip().lower().removeprefix("v")
    for v in list_versions(store):
        if str(v.version) == wanted:
            return v
    raise SkyddError(
        f"no published notice version '{ref}'",
        hint="`skydd notice list` shows the versions; `skydd notice publish` makes one",
    )


def publish(
    loaded: LoadedMap,
    store: Store,
    *,
    langs: tuple[str, ...] = LANGS,
    request: str | None = None,
    actor: str = "cli",
    effective: date | None = None,
) -> NoticeVersion:
    """Store the notice as the next version, unless the newest one has the same texts."""
    for lang in langs:
        if lang not in LANGS:
            raise SkyddError(f"no notice in language '{lang}'", hint="use sv, en or da")
    langs = tuple(dict.fromkeys(langs))
    if not langs:
        raise SkyddError("no language to publish", hint="give --lang sv,en,da or a part of it")
    sha = texts_hash(loaded, langs, request)
    content = facts(loaded.datamap)
    now = datetime.now(UTC)
    for _ in range(_TRIES):
        try:
            with store.engine.begin() as conn:
                # The newest version, read in the same transaction as the insert: a publisher
                # that lost the race sees the winner's row here and returns it.
                top = conn.execute(
                    select(notice_versions).order_by(notice_versions.c.version.desc()).limit(1)
                ).first()
                if top and top.sha256 == sha and tuple(top.languages.split(",")) == langs:
                    return _row(top)
                number = (top.version if top else 0) + 1
                conn.execute(
                    insert(notice_versions).values(
                        version=number,
                        version_id=f"v{number}",
                        published_at=format_at(now),
                        effective=(effective or now.date()).isoformat(),
                        sha256=sha,
                        map_sha256=loaded.sha256,
                        languages=",".join(langs),
                        actor=actor,
                        content=json.dumps(content, ensure_ascii=False, sort_keys=True),
                    )
                )
            break
        except IntegrityError:  # another publisher took the number: look again
            continue
    else:
        raise SkyddError("could not publish: other publications kept taking the number")
    store.audit.append(
        NoticePublished(f"v{number}", sha, loaded.sha256, ",".join(langs)), actor=actor
    )
    return NoticeVersion(
        version=number,
        version_id=f"v{number}",
        published_at=format_at(now),
        effective=(effective or now.date()).isoformat(),
        sha256=sha,
        map_sha256=loaded.sha256,
        languages=langs,
        actor=actor,
        facts=content,
    )


def diff(store: Store, old: str, new: str, *, lang: str = "en") -> list[str]:
    """What changed from version ``old`` to ``new``, one plain sentence per change."""
    a, b = get_version(store, old), get_version(store, new)
    return describe(a.facts, b.facts, lang)


def store_dir(map_path: Path | None) -> Path:
    """Where the default store lives: beside the map."""
    from skydd.datamap.loader import resolve_map_path

    return resolve_map_path(map_path).resolve().parent

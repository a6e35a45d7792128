"""The anchor: the audit log's newest (seq, hash), kept outside the database.

Someone who can edit the database can delete the newest events and fix up
the ``audit_head`` row in the same breath; nothing inside the database can
prove that the log once went further.  So after every append the head is
also written to a small file elsewhere.  It is only as safe as that
location: ``docs/audit.md`` says how to keep it out of an attacker's reach.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import URL

from skydd.errors import SkyddError
from skydd.store.chain import AuditHead

try:  # POSIX; elsewhere concurrent writers fall back to the seq check alone.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

ANCHOR_ENV = "SKYDD_AUDIT_ANCHOR"


def anchor_path_for(url: URL, environ: dict[str, str] | None = None) -> Path | None:
    """Where the anchor of the store at ``url`` lives; None for an in-memory store.

    ``SKYDD_AUDIT_ANCHOR`` wins; a SQLite file keeps it beside itself;
    a server database gets one under ``$XDG_STATE_HOME/skydd``, named by a
    hash of the URL without its password.
    """
    env = os.environ if environ is None else environ
    if env.get(ANCHOR_ENV):
        return Path(env[ANCHOR_ENV]).expanduser()
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
            return None
        return Path(url.database + ".head")
    state = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    plain = url._replace(password=None).render_as_string(hide_password=False)
    digest = hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]
    return Path(state) / "skydd" / f"anchor-{digest}.head"


def read_anchor(path: Path) -> AuditHead | None:
    """The head recorded at ``path``, or None if there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SkyddError(f"cannot read the audit anchor {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text)
        return AuditHead(seq=int(data["seq"]), hash=str(data["hash"]), at=data.get("at"))
    except (ValueError, KeyError, TypeError) as exc:
        raise SkyddError(
            f"the audit anchor {path} is not readable: it should hold JSON with seq and hash",
            hint="restore it from a copy; if the log was deliberately recreated, delete it",
        ) from exc


def write_anchor(path: Path, head: AuditHead, store: str) -> None:
    """Record ``head`` at ``path`` unless it already records a newer event.

    Appends from several processes commit in seq order but may reach this
    point out of order; the lock and the seq check keep the file from going
    backwards.  The temp file + ``os.replace`` means a crash leaves either
    the old or the new anchor, never half of one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        current = _read_quietly(path)
        if current is not None and current.seq >= head.seq:
            return
        body = json.dumps(
            {"seq": head.seq, "hash": head.hash, "at": head.at, "store": store}, indent=2
        )
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(body + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _read_quietly(path: Path) -> AuditHead | None:
    # A damaged anchor is replaced by a good one rather than blocking appends;
    # verify() is where a damaged anchor gets reported.
    try:
        return read_anchor(path)
    except SkyddError:
        return None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

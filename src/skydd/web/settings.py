"""What `skydd serve` needs to know: the map, the store, its own address and its secret.

Everything has a default that is safe on one machine; a deployment sets the
environment variables below. The secret key signs references, links, session
cookies and CSRF tokens and encrypts delivered files, so it is never printed.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

from skydd.errors import SkyddError

if TYPE_CHECKING:
    from skydd.mail import MailSettings

SECRET_ENV = "SKYDD_SECRET_KEY"
BASE_URL_ENV = "SKYDD_BASE_URL"
SECRET_FILE = "web-secret.key"
_MIN_SECRET = 32


@dataclass(frozen=True)
class WebSettings:
    """Settings of the web service. Build with ``WebSettings.load``; tests build them directly."""

    map_path: Path
    secret_key: bytes = field(repr=False)
    state_dir: Path
    store_url: str | None = None
    base_url: str = "http://127.0.0.1:8000"
    mail: MailSettings | None = None
    code_ttl: timedelta = timedelta(minutes=30)
    code_attempts: int = 5
    link_ttl: timedelta = timedelta(hours=24)
    download_ttl: timedelta = timedelta(days=7)
    files_kept: timedelta = timedelta(days=30)
    session_ttl: timedelta = timedelta(hours=8)
    rate_burst: int = 10
    rate_per_minute: float = 10.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def files_dir(self) -> Path:
        """Encrypted delivered files live here, one file each."""
        return self.state_dir / "deliveries"

    @classmethod
    def load(
        cls,
        map_path: Path,
        *,
        store_url: str | None = None,
        base_url: str | None = None,
        environ: dict[str, str] | None = None,
        **overrides: Any,
    ) -> WebSettings:
        """Settings from the arguments, then the environment, then the defaults."""
        env = os.environ if environ is None else environ
        store_url = store_url or env.get("SKYDD_DATABASE_URL") or None
        state = state_dir_for(map_path, store_url)
        return cls(
            map_path=map_path,
            store_url=store_url,
            base_url=(base_url or env.get(BASE_URL_ENV) or cls.base_url).rstrip("/"),
            secret_key=secret_key(state, env),
            state_dir=state,
            mail=_mail_settings(env),
            **overrides,
        )


def state_dir_for(map_path: Path, store_url: str | None) -> Path:
    """The directory of a SQLite store, else ``.skydd`` beside the map; created if missing."""
    directory = map_path.resolve().parent / ".skydd"
    if store_url and ":" in store_url:
        url = make_url(store_url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            directory = Path(url.database).expanduser().resolve().parent
    elif store_url:
        directory = Path(store_url).expanduser().resolve().parent
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def secret_key(state_dir: Path, environ: Mapping[str, str]) -> bytes:
    """``SKYDD_SECRET_KEY``, or a random key kept in the state directory (mode 0600)."""
    value = environ.get(SECRET_ENV)
    if value:
        if len(value) < _MIN_SECRET:
            raise SkyddError(
                f"{SECRET_ENV} is too short ({len(value)} characters)",
                hint="use at least 32 random characters, e.g. from: python -c "
                "'import secrets; print(secrets.token_urlsafe(32))'",
            )
        return value.encode("utf-8")
    path = state_dir / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48))
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    if path.stat().st_mode & 0o077:
        raise SkyddError(
            f"the secret key file {path} can be read by other users",
            hint=f"run: chmod 600 {path}",
        )
    key = path.read_text(encoding="ascii").strip().encode("ascii")
    if len(key) < _MIN_SECRET:
        raise SkyddError(
            f"the secret key file {path} is too short",
            hint="delete it to have a new key made (signed links and sessions stop working)",
        )
    return key


def _mail_settings(environ: Mapping[str, str]) -> MailSettings | None:
    """SMTP from the environment (see skydd.mail); None when no server is set at all.

    A server that is set but mistyped (a port that is not a number) is an error, not a
    silent "no mail": people would wait for codes that never come.
    """
    from skydd.mail import HOST_ENV, MailSettings

    if not environ.get(HOST_ENV, "").strip():
        return None
    return MailSettings.from_env(environ)

"""Delivered files (a registerutdrag, an export, a receipt), encrypted at rest, deleted in time.

Each delivery is a folder named by a random id; each file in it is encrypted with
Fernet (AES-128-CBC with HMAC-SHA-256) under a key derived from the secret key.
The person reaches it through a signed, expiring link; ``purge`` deletes every
delivery older than the configured period, whatever happened to the link.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from skydd.web.signing import Signer

_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
_SUFFIX = ".enc"


class Vault:
    """Encrypted delivery folders under ``root``."""

    def __init__(self, root: Path, signer: Signer, *, keep: timedelta) -> None:
        self.root = root
        self.keep = keep
        self._signer = signer
        self._fernet: Any = None

    def _cipher(self) -> Any:
        if self._fernet is None:
            from cryptography.fernet import Fernet

            self._fernet = Fernet(self._signer.file_key())
        return self._fernet

    def put(self, files: Iterable[Path]) -> str:
        """Encrypt ``files`` into a new delivery; return its id. Plain files are not touched."""
        delivery = secrets.token_urlsafe(18)
        folder = self.root / delivery
        folder.mkdir(parents=True, mode=0o700)
        for file in files:
            name = file.name if _NAME.match(file.name) else f"file-{secrets.token_hex(4)}"
            target = folder / (name + _SUFFIX)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(self._cipher().encrypt(file.read_bytes()))
        return delivery

    def names(self, delivery: str) -> list[str]:
        """The files of a delivery, or an empty list if it is gone (or the id is not ours)."""
        folder = self._folder(delivery)
        if folder is None:
            return []
        return sorted(p.name[: -len(_SUFFIX)] for p in folder.glob("*" + _SUFFIX))

    def read(self, delivery: str, name: str) -> bytes | None:
        """One file decrypted, or None if it does not exist."""
        folder = self._folder(delivery)
        if folder is None or not _NAME.match(name):
            return None
        path = folder / (name + _SUFFIX)
        if not path.is_file():
            return None
        data: bytes = self._cipher().decrypt(path.read_bytes())
        return data

    def purge(self, now: float | None = None) -> int:
        """Delete every delivery older than ``keep``; return how many."""
        if not self.root.is_dir():
            return 0
        limit = (time.time() if now is None else now) - self.keep.total_seconds()
        gone = 0
        for folder in self.root.iterdir():
            if folder.is_dir() and _ID.match(folder.name) and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
                gone += 1
        return gone

    def link_token(self, delivery: str) -> str:
        return self._signer.make("download", delivery)

    def delivery_of(self, token: str, max_age: timedelta) -> str | None:
        value = self._signer.check("download", token, max_age)
        return value if isinstance(value, str) and _ID.match(value) else None

    def _folder(self, delivery: str) -> Path | None:
        if not _ID.match(delivery):
            return None
        folder = self.root / delivery
        return folder if folder.is_dir() else None

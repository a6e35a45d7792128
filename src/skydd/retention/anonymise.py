"""Anonymisation that holds: what each column becomes, and the k-anonymity check.

Defaults where the map names no method: direct identifiers (identity columns,
names, emails, ids that link to a person) become NULL, free text is scrubbed,
quasi-identifiers are kept only if no anonymised row can be singled out by
them (LEGAL.md SEC-3, k >= 5 by default). Primary keys stay: once every link
is gone, a case number says nothing about a person.

Hashed and scrubbed values start with MARK, so a second run can tell an
anonymised row from one still to do.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

from skydd.datamap.models import DataMap
from skydd.datamap.validate import taxonomy_for
from skydd.identity import luhn_ok

MARK = "anon:"
KEY_ENV = "SKYDD_PSEUDONYM_KEY"

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(\.[\w\-]+)+")
_PNR = re.compile(r"\b(\d{2})?\d{6}[-+ ]?\d{4}\b")
_PHONE = re.compile(r"(?<!\w)(\+|00)?\d[\d \-()]{6,}\d(?!\w)")
_IPV4 = re.compile(r"\b(\d{1,3}\.){3}\d{1,3}\b")
_CARD = re.compile(r"\b(?:\d[ \-]?){12,18}\d\b")


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[kort]" if luhn_ok(digits) else match.group(0)


def scrub(text: str) -> str:
    """Remove what identifies a person from free text.

    Fallback until the scanner's detectors land (issue "Scan"): emails, card
    numbers (Luhn), personnummer, phone numbers and IPv4 addresses are replaced;
    names are not recognised, so a map should null free text that names people
    often.
    """
    text = _EMAIL.sub("[e-post]", text)
    text = _CARD.sub(_card, text)
    text = _PNR.sub("[personnummer]", text)
    text = _PHONE.sub("[telefon]", text)
    text = _IPV4.sub("[ip]", text)
    return MARK + text


def pseudonym(value: object, key: bytes) -> str:
    """A stable keyed hash: the same input gives the same pseudonym, without the key
    nobody can go back (it is still personal data under SEC-2, but not identifying)."""
    digest = hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return MARK + digest[:24]


def pseudonym_key(directory: Path) -> bytes:
    """The key from SKYDD_PSEUDONYM_KEY, else a random key kept beside the store."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    path = directory / ".skydd" / "pseudonym.key"
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def column_methods(datamap: DataMap, table_key: str) -> dict[str, str]:
    """Column -> method ('null', 'hash', 'scrub', 'fixed:…') for anonymising this table."""
    system, name = table_key.split(".", 1)
    table = datamap.systems[system].tables[name]
    taxonomy = taxonomy_for(datamap)
    pk = set(table.primary_key)
    links = {col for ref in table.references if not ref.shared for col in ref.columns}
    out: dict[str, str] = {}
    for cname, col in table.columns.items():
        if col.anonymise:
            out[cname] = col.anonymise
            continue
        if cname in pk or col.category == "TODO":
            continue
        category = taxonomy.get(col.category)
        direct = col.identity is not None or (
            category is not None and category.identifier == "direct"
        )
        if col.free_text:
            out[cname] = "scrub"
        elif direct or (cname in links and taxonomy.is_personal(col.category)):
            out[cname] = "null"
    return out


def quasi_identifiers(datamap: DataMap, table_key: str) -> list[str]:
    """Columns that, combined, could single a person out, and that anonymisation keeps."""
    system, name = table_key.split(".", 1)
    table = datamap.systems[system].tables[name]
    taxonomy = taxonomy_for(datamap)
    removed = column_methods(datamap, table_key)
    out = []
    for cname, col in table.columns.items():
        if cname in removed or cname in table.primary_key:
            continue
        flag = col.quasi_identifier
        if flag is None:
            category = taxonomy.get(col.category)
            flag = category is not None and category.identifier == "quasi"
        if flag:
            out.append(cname)
    return out

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

MARK = "anon:"
KEY_ENV = "SKYDD_PSEUDONYM_KEY"

# What scrubbed text says in place of what it lost (Swedish, as the stored marker always was).
LABELS = {
    "email": "[e-post]",
    "phone": "[telefon]",
    "card_number": "[kort]",
    "personnummer": "[personnummer]",
    "samordningsnummer": "[personnummer]",
    "cpr": "[cpr]",
    "ipv4": "[ip]",
    "ipv6": "[ip]",
    "person_name": "[namn]",
    "street_address": "[adress]",
    "postcode": "[postnummer]",
    "iban": "[konto]",
    "bankgiro": "[konto]",
    "plusgiro": "[konto]",
    "mac_address": "[enhet]",
    "imei": "[enhet]",
}
# A personnummer with a real birth date but a wrong check digit is most likely a typo for
# a real one: scrubbing errs towards removing it (the scanner, which must be precise, does not).
_PNR_SHAPE = re.compile(r"(?<![\w+-])(?:19|20)?(\d{2})(\d{2})(\d{2})[-+ ]?\d{4}(?![\w]|-\d)")


def _pnr_shaped(match: re.Match[str]) -> str:
    _, month, day = (int(g) for g in match.groups())
    day = day - 60 if day > 60 else day
    return "[personnummer]" if 1 <= month <= 12 and 1 <= day <= 31 else match.group(0)


def scrub(text: str) -> str:
    """Remove what identifies a person from free text.

    Every personal-data detector of the scanner (skydd.scan) is used: emails, phone
    numbers, personnummer and samordningsnummer, CPR, card numbers, bank accounts, IP
    and MAC addresses, IMEI, postcodes, street addresses and person names (a first
    name with a last name; a lone first name such as "Anna" is kept, since too many
    first names are also words). Organisationsnummer are not about a person and stay.
    """
    from skydd.scan.engine import default_engine

    engine = default_engine()
    personal = {d.name for d in engine.detectors if d.personal}
    out: list[str] = []
    last = 0
    for found in engine.detect(text):
        if found.detector not in personal or found.start < last:
            continue
        out.append(text[last : found.start])
        out.append(LABELS.get(found.detector, f"[{found.detector}]"))
        last = found.end
    out.append(text[last:])
    return MARK + _PNR_SHAPE.sub(_pnr_shaped, "".join(out))


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

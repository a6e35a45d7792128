"""Draft a data map from live databases: the start of `skydd init`.

Reflection gives what is certain (tables, columns, keys, every foreign key as
a reference). Column names (sv/en/da) and a small sample of values give
guesses of category and identity. What only a person can say (the
controller, purposes and legal bases, retention) is left as TODO, so that the
draft loads as a valid map and `skydd check` lists exactly what remains.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd.connectors import Connector, ForeignKeyInfo, TableInfo, connect
from skydd.datamap.taxonomy import is_personal
from skydd.datamap.writer import dump_map
from skydd.errors import SkyddError
from skydd.identity import is_valid_personnummer, try_normalise

TODO = "TODO"
TODO_PURPOSE = "todo"
KEY_CATEGORY = "system.operations"
PERSON_KEY = "user.unique_id"
_NAME = re.compile(r"^[^\W\d][\w\-]*$")
_TIMESTAMPS = frozenset(
    "created created_at created_on updated updated_at updated_on modified modified_at "
    "inserted_at deleted_at changed_at skapad skapad_at andrad uppdaterad oprettet opdateret "
    "version row_version".split()
)
_ON_DELETE = {"CASCADE": "cascade", "SET NULL": "set_null"}
_HEADER = """Review it before relying on it;
`skydd check` lists what is left to do. Fill in what only you know:
- controller: the company's legal name, org_number, contact details and dpo.
  country is set to SE: change it if the company is established elsewhere
  (it picks the supervisory authority and the region of phone numbers).
- purposes.todo: replace it with the real purposes, each with a legal_basis
  (consent, contract, legal_obligation, legitimate_interest …), and point each
  table's 'purposes:' at the ones that apply.
- category: TODO: say what each of these columns holds (see docs/taxonomy.md).
- retention: add rules for how long each table with personal data is kept.
Categories and identities were guessed from column names and sampled values: check
each one. Keys that lead to a person are user.unique_id; other keys and timestamps
are system.operations."""


@dataclass(frozen=True)
class InitResult:
    """What `skydd init` wrote: counts to show, and what it had to leave out."""

    path: Path
    systems: int
    tables: int
    columns: int
    references: int
    identities: int
    guessed: int
    todo: int
    skipped: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A drafted map as plain data, its header comment and what went into it."""

    data: dict[str, Any]
    header: str
    skipped: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tables = [t for s in self.data["systems"].values() for t in s["tables"].values()]
        columns = [c for t in tables for c in t["columns"].values()]
        return {
            "systems": len(self.data["systems"]),
            "tables": len(tables),
            "columns": len(columns),
            "references": sum(len(t.get("references", [])) for t in tables),
            "identities": sum(1 for c in columns if "identity" in c),
            "guessed": sum(1 for c in columns if c["category"] != TODO),
            "todo": sum(1 for c in columns if c["category"] == TODO),
        }


def introspect(urls: list[str], *, sample: int = 50) -> dict[str, Any]:
    """A data map (plain data, ready for `dump_map`) drafted from the databases at `urls`."""
    return draft(urls, sample=sample).data


def init_map(urls: list[str], output: Path, *, sample: int = 50, force: bool = False) -> InitResult:
    """Draft a map from `urls` and write it to `output`; never overwrites without `force`."""
    if not urls:
        raise SkyddError("no database given", hint="pass --db URL, once per database")
    if output.exists() and not force:
        raise SkyddError(f"{output} already exists", hint="use --force to replace it")
    result = draft(urls, sample=sample, relative_to=output.resolve().parent)
    text = dump_map(result.data, header=result.header)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)  # a crash never leaves half a map behind
    return InitResult(output, **result.counts(), skipped=result.skipped, secrets=result.secrets)


def draft(urls: list[str], *, sample: int = 50, relative_to: Path | None = None) -> Draft:
    """Reflect every database and build the map; SkyddError if one cannot be reached."""
    systems: dict[str, Any] = {}
    result = Draft({}, "")
    for url in urls:
        with connect(url) as conn:
            conn.ping()
            name = _unique(_system_name(conn), systems)
            system_url = _map_url(url, name, relative_to, result.secrets)
            builder = _SystemBuilder(conn, name, sample, result.skipped)
            systems[name] = {"url": system_url, "tables": builder.build()}
    result.data = {
        "version": 1,
        "controller": {"name": TODO, "country": "SE"},
        "purposes": {TODO_PURPOSE: {"labels": {"en": TODO}, "legal_basis": TODO}},
        "systems": systems,
    }
    result.header = _header(len(urls), result.skipped, result.secrets)
    return result


class _SystemBuilder:
    """Turns one database's reflected tables into the map's `tables:` section."""

    def __init__(self, conn: Connector, system: str, sample: int, skipped: list[str]) -> None:
        self.conn, self.system, self.sample, self.skipped = conn, system, sample, skipped
        self.infos: dict[str, TableInfo] = {}
        self.guesses: dict[str, dict[str, Guess | None]] = {}

    def build(self) -> dict[str, Any]:
        for info in self.conn.reflect():
            if _NAME.match(info.name):
                self.infos[info.name] = info
            else:
                self.skip(info.name, "its name is not one the data map can hold")
        self.guesses = {name: self.guess_columns(info) for name, info in self.infos.items()}
        personal = _personal_tables(self.infos, self.guesses)
        return {name: self.table(info, personal) for name, info in self.infos.items()}

    def skip(self, where: str, why: str) -> None:
        self.skipped.append(f"{self.system}.{where}: {why}")

    def guess_columns(self, info: TableInfo) -> dict[str, Guess | None]:
        out: dict[str, Guess | None] = {}
        for col in info.columns:
            if not _NAME.match(col.name):
                self.skip(f"{info.name}.{col.name}", "its name is not one the data map can hold")
                continue
            family = type_family(col.type)
            guess = guess_from_name(col.name, family)
            if guess is None and self.sample > 0 and family in ("text", "number", "other"):
                guess = guess_from_values(
                    self.conn.sample(info.name, col.name, self.sample), family
                )
            out[col.name] = guess
        return _believe_weak(info.name, out)

    def table(self, info: TableInfo, personal: set[str]) -> dict[str, Any]:
        own = self.guesses[info.name]
        refs = [r for fk in info.foreign_keys if (r := self.reference(info, fk))]
        person_keys = {c for r, target in refs if target in personal for c in r["columns"]}
        directly = any(g and is_personal(g.category) for g in own.values())
        keys = set(info.primary_key) | {c for fk in info.foreign_keys for c in fk.columns}
        columns: dict[str, Any] = {}
        for cname, guess in own.items():
            if guess is not None:
                columns[cname] = guess.as_column()
            elif cname in person_keys or (directly and cname in info.primary_key):
                columns[cname] = {"category": PERSON_KEY}
            elif cname in keys or normal_name(cname) in _TIMESTAMPS:
                columns[cname] = {"category": KEY_CATEGORY}
            else:
                columns[cname] = {"category": TODO}
            kind = map_type(info.column(cname).type)
            if kind:
                columns[cname] = {"type": kind, **columns[cname]}
        table: dict[str, Any] = {}
        if any(is_personal(c["category"]) for c in columns.values()):
            table["purposes"] = [TODO_PURPOSE]
        pk = [c for c in info.primary_key if c in columns]
        if pk and len(pk) == len(info.primary_key):
            table["primary_key"] = pk[0] if len(pk) == 1 else pk
        table["columns"] = columns
        if refs:
            table["references"] = [r for r, _ in refs]
        return table

    def reference(self, info: TableInfo, fk: ForeignKeyInfo) -> tuple[dict[str, Any], str] | None:
        """The foreign key as a map reference, and the table it points at."""
        where = f"{info.name}({', '.join(fk.columns)})"
        here = (None, info.schema, self.conn.url.database if not info.schema else None)
        target = _find(fk.referred_table, self.infos) if fk.referred_schema in here else None
        if target is None:
            self.skip(where, f"its foreign key points at {fk.referred_table}, not read")
            return None
        own = [_find(c, self.guesses[info.name]) for c in fk.columns]
        theirs = [_find(c, self.guesses[target]) for c in fk.referred_columns]
        if not theirs or None in own or None in theirs:
            self.skip(where, "its foreign key names columns the data map cannot hold")
            return None
        cols = [c for c in theirs if c]
        to = f"{target}.{cols[0]}" if len(cols) == 1 else f"{target}({', '.join(cols)})"
        on_delete = _ON_DELETE.get((fk.ondelete or "").upper(), "restrict")
        return {"columns": own, "to": to, "on_delete": on_delete}, target


def _believe_weak(table: str, guesses: dict[str, Guess | None]) -> dict[str, Guess | None]:
    """Keep guesses from ambiguous names ('name', 'ort') only where the table is about people.

    A company's 'name' is its organisation name; a product's is nobody's.
    """
    normal = normal_name(table)
    company = _COMPANY_TABLE.search(normal)
    people = _PERSON_TABLE.search(normal) or any(
        g and not g.weak and is_personal(g.category) and g.category != _ORGANIZATION
        for g in guesses.values()
    )
    out = dict(guesses)
    for column, guess in guesses.items():
        if guess and guess.weak and company and guess.category == "user.name":
            out[column] = Guess(_ORGANIZATION)
        elif guess and guess.weak and not (people or company):
            out[column] = None
    return out


def _personal_tables(
    infos: dict[str, TableInfo], guesses: dict[str, dict[str, Guess | None]]
) -> set[str]:
    """Tables with personal columns, and every table whose keys lead to one of them.

    An order row names no one, but its customer_id does: it is personal data
    too, so it needs a purpose and a retention rule like the customer row.
    """
    personal = {
        name
        for name, cols in guesses.items()
        if any(g and is_personal(g.category) for g in cols.values())
    }
    changed = True
    while changed:
        changed = False
        for name, info in infos.items():
            if name in personal:
                continue
            targets = {_find(fk.referred_table, infos) for fk in info.foreign_keys}
            if targets & personal:
                personal.add(name)
                changed = True
    return personal


def _find(name: str, known: Iterable[str]) -> str | None:
    """`name` as the map spells it; case-insensitive where the database was (SQLite, MySQL)."""
    names = list(known)
    if name in names:
        return name
    folded = [n for n in names if n.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def _system_name(conn: Connector) -> str:
    db = conn.url.database or ""
    stem = Path(db).stem if conn.url.get_backend_name() == "sqlite" else db
    text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9_\-]+", "_", text).strip("_")[:100] or "db"
    return text if _NAME.match(text) else f"db_{text}"


def _unique(name: str, taken: Iterable[str]) -> str:
    used = set(taken)
    return next(n for n in chain([name], (f"{name}_{i}" for i in count(2))) if n not in used)


def _map_url(url: str, system: str, relative_to: Path | None, secrets: list[str]) -> str:
    """The URL as it goes into the map: no password, SQLite paths relative to the map."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if not db or db == ":memory:" or db.startswith("file:"):
            return url
        path = Path(db).resolve()
        if relative_to is not None and path.is_relative_to(relative_to):
            path = Path(os.path.relpath(path, relative_to))
        return parsed.set(database=str(path)).render_as_string(hide_password=False)
    if parsed.password is None:
        return url
    # Secrets stay out of files that get committed; an empty default keeps the map valid.
    var = re.sub(r"[^A-Z0-9]+", "_", f"SKYDD_{system}_PASSWORD".upper())
    secrets.append(var)
    shown = parsed.render_as_string(hide_password=True)
    return shown.replace(":***@", f":${{{var}:-}}@", 1)


def _header(databases: int, skipped: list[str], secrets: list[str]) -> str:
    lines = [f"Drafted by `skydd init` from {databases} database(s). " + _HEADER]
    if secrets:
        lines.append(f"Passwords were left out of the URLs: export {', '.join(secrets)}.")
    if skipped:
        lines.append("Left out (add them by hand if they hold personal data):")
        lines.extend(f"- {s}" for s in skipped)
    return "\n".join(lines)


# --- guessing what a column holds -------------------------------------------------------

_NATIONAL_ID = "user.government_id.national_identification_number"

# One rule a line, first match wins, so specific names come before the ones they contain.
# category  identity  types (t text, n number, b binary; unknown types always pass)
# then names: whole words of the column's name ('e_post' in 'kund_e_post'); after '=' the
# whole name only, and believed only in a table about people ('name' of a product is not).
_RULE_TABLE = f"""
user.authorization.password  -  tb  password passwd pwd password_hash losenord adgangskode
{_NATIONAL_ID}  personnummer  tn  personnummer personnr pnr ssn personal_number samordningsnummer
{_NATIONAL_ID}  cpr  tn  cpr cpr_nr cpr_nummer cprnr
user.contact.email  email  t  email e_mail e_post epost mail email_address epostadress mailadresse
user.device.ip_address  -  t  ip ip_address ip_adress ip_addr ipaddr ipaddress remote_addr
user.contact.phone_number  phone  tn  phone telephone telefon telefonnummer telefonnr tel tlf
user.contact.phone_number  phone  tn  mobile mobil mobilnummer mobilnr cellphone phone_number
user.name.first  -  t  first_name firstname given_name fornamn fornavn
user.name.last  -  t  last_name lastname surname family_name efternamn efternavn
user.account.username  username  t  username user_name login anvandarnamn brugernavn
user.unique_id  customer_number  tn  customer_no customer_number customer_nr kundnummer kundnr
user.unique_id  customer_number  tn  kundenummer kunde_nr kundenr
user.contact.organization  orgnr  tn  org_nr orgnr org_no org_number organisationsnummer cvr
user.contact.organization  -  t  company company_name foretag foretagsnamn firma virksomhed
user.name  -  t  = name namn navn full_name fullname fullt_namn fulde_navn display_name
user.name  -  t  = contact_name kontaktperson customer_name kundnamn kundenavn
user.contact.address.postal_code  -  tn  postcode postal_code zip zipcode postnummer postnr
user.contact.address.city  -  t  city town postort bynavn
user.contact.address.city  -  t  = ort stad by
user.contact.address.country  -  t  country country_code
user.contact.address.country  -  t  = land
user.contact.address.street  -  t  address adress adresse street gata gatuadress vej vejnavn
user.financial.bank_account  -  tn  iban bank_account bankkonto kontonummer account_number
user.financial.credit_card  -  tn  card_number credit_card creditcard kortnummer cc_number
"""
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss"})
_FAMILIES = {"t": "text", "n": "number", "b": "binary"}
_ORGANIZATION = "user.contact.organization"
_COMPANY_TABLE = re.compile(r"(?:^|_)(?:compan|foretag|firm|organi[sz]ation|virksomhed|supplier)")
_PERSON_TABLE = re.compile(
    r"(?:^|_)(?:customer|kund|user|anvandare|bruger|person|people|contact|kontakt|member|"
    r"medlem|employee|anstalld|medarbejder|patient|student|elev|subscriber|abonnent|guest|"
    r"gast|recipient|mottagare|author|applicant|sokande)"
)


@dataclass(frozen=True)
class Guess:
    """A guessed category (and identity kind) for a column."""

    category: str
    identity: str | None = None
    weak: bool = False

    def as_column(self) -> dict[str, Any]:
        return {"category": self.category, **({"identity": self.identity} if self.identity else {})}


def _rules() -> list[tuple[re.Pattern[str], Guess, frozenset[str]]]:
    rules = []
    for line in _RULE_TABLE.strip().splitlines():
        category, identity, types, *words = line.split()
        exact = words[0] == "="
        alternatives = "|".join(words[1:] if exact else words)
        pattern = rf"^(?:{alternatives})$" if exact else rf"(?:^|_)(?:{alternatives})\d*(?:_|$)"
        families = frozenset(_FAMILIES[t] for t in types) | {"other"}
        guess = Guess(category, None if identity == "-" else identity, weak=exact)
        rules.append((re.compile(pattern), guess, families))
    return rules


_RULES = _rules()


_FAMILY = {
    "boolean": "bool",
    "timestamp": "time",
    "date": "time",
    "integer": "number",
    "numeric": "number",
    "text": "text",
    "blob": "binary",
}


def type_family(type_: sa.types.TypeEngine[Any]) -> str:
    """text, number, time, bool, binary or other: which guesses a column's type allows."""
    if isinstance(type_, sa.Time | sa.Interval):
        return "time"
    return _FAMILY.get(map_type(type_) or "", "other")


def map_type(type_: sa.types.TypeEngine[Any]) -> str | None:
    """The data map's `type` for a reflected SQL type (None when nothing fits)."""
    if isinstance(type_, sa.Boolean):
        return "boolean"
    if isinstance(type_, sa.DateTime):
        return "timestamp"
    if isinstance(type_, sa.Date):
        return "date"
    if isinstance(type_, sa.Integer):
        return "integer"
    if isinstance(type_, sa.Numeric):
        return "numeric"
    if isinstance(type_, sa.String):
        return "text"
    if isinstance(type_, sa.JSON):
        return "json"
    return "blob" if isinstance(type_, sa.LargeBinary) else None


def normal_name(name: str) -> str:
    """'FörNamn', 'förnamn', 'e-post' -> 'for_namn', 'fornamn', 'e_post'."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def guess_from_name(name: str, family: str) -> Guess | None:
    """The category a column's name suggests, in Swedish, English or Danish."""
    normal = normal_name(name)
    return next((g for p, g, fams in _RULES if family in fams and p.search(normal)), None)


def _value_kind(text: str, textual: bool, region: str) -> str | None:
    if 10 <= len(text) <= 13 and is_valid_personnummer(text):
        return "personnummer"
    if not textual:
        return None  # a number column holds no email, and too many numbers pass as phones
    if "@" in text:
        return "email" if try_normalise("email", text) else None
    if text[0] in "+0" and sum(c.isdigit() for c in text) >= 7:
        return "phone" if try_normalise("phone", text, region=region) else None
    if "." in text or ":" in text:
        return "ip" if try_normalise("ip", text) else None
    return None


_VALUE_GUESSES = {
    "personnummer": Guess(_NATIONAL_ID, "personnummer"),
    "email": Guess("user.contact.email", "email"),
    "phone": Guess("user.contact.phone_number", "phone"),
    "ip": Guess("user.device.ip_address"),
}


def guess_from_values(values: list[Any], family: str, *, region: str = "SE") -> Guess | None:
    """The category that at least 80% of the sampled values fit, each checked strictly."""
    texts = [str(v).strip() for v in values if v is not None and not isinstance(v, bytes | bool)]
    kinds = [_value_kind(t, family != "number", region) for t in texts if t]
    for kind, guess in _VALUE_GUESSES.items():
        if kinds and kinds.count(kind) >= 0.8 * len(kinds):
            return guess
    return None

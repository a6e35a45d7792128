"""The data map: a company's declaration of the personal data it processes.

The models describe the shape of `privacy.yaml`. They check types and
required fields; cross-references (a column that names a category, a
reference that names a table) are checked by `skydd.datamap.validate`, which
can place every problem on a line of the file.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

Lang = Literal["sv", "en", "da"]
LANGS: tuple[Lang, ...] = ("sv", "en", "da")
TODO = "TODO"

NAME_PATTERN = r"^[^\W\d][\w\-]*$"
Name = Annotated[str, Field(pattern=NAME_PATTERN, min_length=1, max_length=128)]
"""A key that the map uses to refer to something: a system, a table, a purpose."""


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        coerce_numbers_to_str=True,
        defer_build=True,  # validators built once, on first use, not per class at import
    )


class Text(_Model):
    """A text in Swedish, English and Danish; a plain string stands for all three."""

    sv: str | None = None
    en: str | None = None
    da: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string(cls, value: object) -> object:
        if isinstance(value, str):
            return {"sv": value, "en": value, "da": value}
        return value

    def get(self, lang: str, fallback: bool = True) -> str | None:
        text: str | None = getattr(self, lang, None)
        if text or not fallback:
            return text
        return self.en or self.sv or self.da

    def missing(self) -> list[str]:
        return [lang for lang in LANGS if not getattr(self, lang)]


class LegalBasis(StrEnum):
    """Art. 6(1) GDPR."""

    consent = "consent"  # (a)
    contract = "contract"  # (b)
    legal_obligation = "legal_obligation"  # (c)
    vital_interests = "vital_interests"  # (d)
    public_task = "public_task"  # (e)
    legitimate_interest = "legitimate_interest"  # (f)


ART6_LETTER: dict[LegalBasis, str] = {
    LegalBasis.consent: "6(1)(a)",
    LegalBasis.contract: "6(1)(b)",
    LegalBasis.legal_obligation: "6(1)(c)",
    LegalBasis.vital_interests: "6(1)(d)",
    LegalBasis.public_task: "6(1)(e)",
    LegalBasis.legitimate_interest: "6(1)(f)",
}


class Art9Condition(StrEnum):
    """Art. 9(2) GDPR conditions for special categories of data."""

    explicit_consent = "explicit_consent"  # (a)
    employment = "employment"  # (b)
    vital_interests = "vital_interests"  # (c)
    not_for_profit = "not_for_profit"  # (d)
    made_public = "made_public"  # (e)
    legal_claims = "legal_claims"  # (f)
    public_interest = "public_interest"  # (g)
    health_care = "health_care"  # (h)
    public_health = "public_health"  # (i)
    archiving_research = "archiving_research"  # (j)


class Person(_Model):
    """A named contact: the controller's privacy contact or its DPO."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


class Controller(_Model):
    """Who decides why and how personal data is processed (Art. 4(7))."""

    name: str
    org_number: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    country: str = Field(min_length=2, max_length=2, description="ISO 3166 code: SE, DK, GB …")
    subdivision: str | None = Field(
        default=None,
        max_length=8,
        description="Where public holidays differ by region, the controller's one "
        "(ISO 3166-2 suffix, e.g. SCT for Scotland): moves request deadlines (DSR-1).",
    )
    dpo: Person | None = None
    privacy_contact: Person | None = Field(
        default=None, description="Where people send requests, when not the DPO."
    )
    representative: Person | None = None
    joint_controllers: list[Person] = Field(default_factory=list)
    group_companies: list[str] = Field(default_factory=list)
    security_measures: Text | None = Field(
        default=None, description="Art. 32 description for the Art. 30 records (ROPA-1 (g))."
    )
    timezone: str | None = Field(
        default=None,
        description="IANA time zone for the breach clock and the records, e.g. "
        "Europe/Stockholm; default: the country's.",
    )

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        if value is None:
            return value
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("expected an IANA time zone such as Europe/Stockholm") from None
        return value

    @field_validator("subdivision")
    @classmethod
    def _upper_region(cls, value: str | None) -> str | None:
        return value.strip().upper() if value else None

    @model_validator(mode="after")
    def _subdivision(self) -> Controller:
        if self.subdivision is None:
            return self
        import holidays

        try:
            known = tuple(holidays.country_holidays(self.country).subdivisions)
        except NotImplementedError:
            return self  # no holiday calendar for the country at all: deadlines say so
        if self.subdivision not in known:
            raise ValueError(
                f"subdivision '{self.subdivision}' is not one of {self.country}'s holiday "
                f"regions: {', '.join(known) or 'none'}"
            )
        return self


class SubjectKind(_Model):
    """A kind of data subject: customer contact, supplier contact, visitor …"""

    labels: Text
    description: Text | None = None


class IdentityKindDecl(_Model):
    """An identity kind that the map adds to the built-in ones."""

    labels: Text
    normalise: Literal[
        "email",
        "phone",
        "personnummer",
        "orgnr",
        "cpr",
        "customer_number",
        "username",
        "ip",
        "generic",
    ] = "generic"


class CategoryDecl(_Model):
    """A data category that the map adds to the built-in, fideslang-compatible taxonomy."""

    parent: str
    labels: Text
    special: bool = False


class Purpose(_Model):
    """Why data is processed, and on which legal basis (Art. 6, Art. 9)."""

    labels: Text
    description: Text | None = None
    legal_basis: LegalBasis | Literal["TODO"] | None = None
    legitimate_interest: Text | None = Field(
        default=None, description="The interest relied on where the basis is 6(1)(f)."
    )
    law: str | None = Field(
        default=None, description="The law that imposes a legal obligation (6(1)(c))."
    )
    art9_condition: Art9Condition | None = None
    subjects: list[Name] = Field(default_factory=list)
    requirement: Text | None = Field(
        default=None,
        description="Whether providing the data is a statutory or contractual requirement, "
        "and what happens if it is not given (Art. 13(2)(e)).",
    )
    automated_decision: Text | None = Field(
        default=None, description="Logic, significance and consequences (Art. 13(2)(f))."
    )
    marketing: bool = Field(
        default=False, description="Direct marketing: an objection is absolute (Art. 21(3))."
    )


ColumnType = Literal["text", "integer", "numeric", "boolean", "date", "timestamp", "json", "blob"]


class Column(_Model):
    """A column of a table: what it holds and how it identifies a person."""

    category: str = Field(description="A data category, e.g. user.contact.email.")
    type: ColumnType | None = Field(
        default=None,
        description="The SQL type family, used to validate rectifications "
        "and to build demo databases.",
    )
    identity: Name | None = Field(
        default=None, description="The identity kind this column holds (email, phone, …)."
    )
    labels: Text | None = None
    purposes: list[Name] | None = None
    free_text: bool = False
    quasi_identifier: bool | None = None
    justification: str | None = Field(
        default=None, description="Why a national identity number is needed (SE-5)."
    )
    anonymise: str | None = Field(
        default=None,
        description="How to anonymise: 'null', 'hash' (keyed, a stable pseudonym), "
        "'scrub' (free text), or 'fixed:VALUE'.",
    )

    @field_validator("anonymise")
    @classmethod
    def _anonymise_method(cls, value: str | None) -> str | None:
        if value is None or value in ("null", "hash", "scrub") or value.startswith("fixed:"):
            return value
        raise ValueError("expected 'null', 'hash', 'scrub' or 'fixed:VALUE'")


class OnDelete(StrEnum):
    cascade = "cascade"
    set_null = "set_null"
    restrict = "restrict"


class Reference(_Model):
    """This table's columns point at another table's columns, maybe in another system."""

    columns: list[Name] = Field(min_length=1)
    to: str = Field(
        description="'table.column' in the same system or 'system.table.column'; "
        "for several columns 'table(col1, col2)'."
    )
    on_delete: OnDelete = OnDelete.restrict
    shared: bool = Field(
        default=False,
        description="The target row is shared by many people (a customer company): "
        "shown as shared, never erased with one person.",
    )
    other_person: bool | None = Field(
        default=None,
        description="The target row is another person (a manager, a referrer): never "
        "followed when finding a person's data. Unset: true for a self-reference in a table "
        "with identity columns, false otherwise.",
    )

    @model_validator(mode="before")
    @classmethod
    def _single_column(cls, value: object) -> object:
        if isinstance(value, dict) and "column" in value and "columns" not in value:
            value = dict(value)
            value["columns"] = [value.pop("column")]
        return value

    def target(self, system: str) -> tuple[str, str, list[str]]:
        """Return (system, table, columns) of the referenced key."""
        match = re.fullmatch(r"(?:([\w\-]+)\.)?([\w\-]+)\(([^)]*)\)", self.to)
        if match:
            cols = [c.strip() for c in match.group(3).split(",") if c.strip()]
            return match.group(1) or system, match.group(2), cols
        parts = self.to.split(".")
        if len(parts) == 3:
            return parts[0], parts[1], [parts[2]]
        if len(parts) == 2:
            return system, parts[0], [parts[1]]
        return system, self.to, []


class ErasureAction(StrEnum):
    delete = "delete"
    anonymise = "anonymise"
    hold = "hold"
    keep = "keep"


class Erasure(_Model):
    """What an erasure request does to this table's rows of the person."""

    action: ErasureAction
    hold: Name | None = Field(default=None, description="The legal hold that keeps the rows.")
    flag_column: Name | None = Field(
        default=None, description="A column set to true while rows are blocked (EN-6)."
    )


class Source(_Model):
    """Where data came from when not from the person (Art. 14(2)(f))."""

    kind: Literal["subject", "public_database", "partner", "purchased_list", "employer", "other"]
    description: Text | None = None


class Table(_Model):
    """A table of a system: its columns, keys, references and what the law says about it."""

    labels: Text | None = None
    description: Text | None = None
    subjects: list[Name] = Field(default_factory=list)
    purposes: list[Name] = Field(default_factory=list)
    primary_key: list[Name] = Field(default_factory=list)
    columns: dict[Name, Column] = Field(default_factory=dict)
    references: list[Reference] = Field(default_factory=list)
    source: Source | None = None
    provided_by_subject: bool | None = Field(
        default=None, description="The person provided this data (Art. 20 portability)."
    )
    shared: bool = Field(
        default=False, description="Rows belong to many people, e.g. a customer company."
    )
    erasure: Erasure | None = None
    personal: bool | None = Field(
        default=None, description="Set false for a table that holds no personal data."
    )

    @field_validator("primary_key", mode="before")
    @classmethod
    def _one_key(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class System(_Model):
    """A database the company runs: its connection URL and the tables that matter."""

    labels: Text | None = None
    description: Text | None = None
    url: str = Field(description="SQLAlchemy URL; ${ENV} and ${ENV:-default} are expanded.")
    schema_name: str | None = Field(default=None, alias="schema")
    country: str | None = Field(default=None, description="Where the data is stored.")
    processor: Name | None = Field(default=None, description="The recipient that hosts it.")
    tables: dict[Name, Table] = Field(default_factory=dict)


_PERIOD = re.compile(r"^\s*(\d+)\s*(day|week|month|year)s?\s*$", re.IGNORECASE)


def parse_period(text: str) -> tuple[int, str]:
    """'7 years' -> (7, 'year')."""
    match = _PERIOD.match(text)
    if not match:
        raise ValueError(f"expected a period like '6 months' or '7 years', found {text!r}")
    return int(match.group(1)), match.group(2).lower()


Period = Annotated[str, Field(pattern=_PERIOD.pattern, description="e.g. '6 months', '7 years'")]


class Anchor(_Model):
    """The moment a retention period runs from."""

    column: str | None = Field(default=None, description="A column of the table, or table.column.")
    latest_of: list[str] | None = Field(
        default=None, description="The latest of several columns, also in linked tables."
    )
    expression: str | None = Field(
        default=None, description="Reserved for SQL expressions reviewed by a person."
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_column(cls, value: object) -> object:
        if isinstance(value, str):
            return {"column": value}
        return value

    @model_validator(mode="after")
    def _one_of(self) -> Anchor:
        given = [x for x in (self.column, self.latest_of, self.expression) if x]
        if len(given) != 1:
            raise ValueError("give exactly one of 'column', 'latest_of' or 'expression'")
        return self


class Condition(_Model):
    """A condition on a row's column, e.g. only visitors not linked to a person (AS-6)."""

    column: str
    op: Literal["is_null", "not_null", "eq", "ne", "in", "not_in"] = "eq"
    value: str | int | float | bool | list[str | int | float] | None = None

    @model_validator(mode="after")
    def _value_fits(self) -> Condition:
        needs = self.op in ("eq", "ne", "in", "not_in")
        if needs and self.value is None:
            raise ValueError(f"op '{self.op}' needs a 'value'")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"op '{self.op}' needs a list as 'value'")
        return self


class RetentionRule(_Model):
    """How long data is kept and what happens when the time is up."""

    labels: Text | None = None
    tables: list[str] = Field(min_length=1, description="'system.table' for each table in scope.")
    anchor: Anchor | None = None
    period: Period | None = None
    align: Literal["none", "end_of_month", "end_of_year"] = "none"
    action: Literal["delete", "anonymise", "review"] = "delete"
    criterion: Text | None = Field(
        default=None, description="Retention told in words where no period applies (AS-7)."
    )
    holds: list[Name] = Field(default_factory=list)
    where: list[Condition] = Field(
        default_factory=list, description="Only rows that meet every condition are in scope."
    )
    promise: str | None = Field(default=None, description="The promise id it keeps, e.g. AX-1.")


class Hold(_Model):
    """A legal duty to keep data that wins over erasure and retention (Art. 17(3))."""

    labels: Text
    law: str
    ground: Literal["17(3)(a)", "17(3)(b)", "17(3)(c)", "17(3)(d)", "17(3)(e)"] = "17(3)(b)"
    scope: Literal["tables", "person"] = Field(
        default="tables",
        description="'tables': the listed tables are held; 'person': the DPO places the hold "
        "on one person at a time (a legal claim).",
    )
    tables: list[str] = Field(default_factory=list)
    anchor: Anchor | None = None
    period: Period | None = None
    align: Literal["none", "end_of_month", "end_of_year"] = "none"


class Retention(_Model):
    rules: dict[Name, RetentionRule] = Field(default_factory=dict)
    holds: dict[Name, Hold] = Field(default_factory=dict)


class TransferMechanism(StrEnum):
    """PRC-2 / PRC-3."""

    adequacy = "adequacy"
    dpf = "dpf"
    scc = "scc"
    bcr = "bcr"
    uk_idta = "uk_idta"
    uk_addendum = "uk_addendum"
    uk_data_bridge = "uk_data_bridge"
    derogation = "derogation"
    none = "none"


class Transfer(_Model):
    mechanism: TransferMechanism
    scc_module: Literal[1, 2, 3, 4] | None = None
    certification_checked: date | None = Field(
        default=None, description="When DPF certification was last checked (annual)."
    )
    tia: str | None = Field(default=None, description="Transfer impact assessment reference.")
    copy_available: Text | None = None


class Dpa(_Model):
    """The Art. 28 data processing agreement."""

    reference: str
    signed: date | None = None


class Recipient(_Model):
    """Someone who receives personal data: a processor, another controller, an authority."""

    name: str
    kind: Literal["processor", "sub_processor", "controller", "authority", "group_company"]
    labels: Text | None = None
    service: Text | None = None
    country: str = Field(min_length=2, max_length=2)
    locations: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    purposes: list[Name] = Field(default_factory=list)
    transfer: Transfer | None = None
    dpa: Dpa | None = None
    review_date: date | None = None
    notify: str | None = Field(
        default=None,
        description="Where Art. 19 notices of rectification, erasure and restriction go: "
        "'mailto:ADDRESS' (email) or an https:// webhook URL (signed, see docs/outbox.md).",
    )
    notify_secret: str | None = Field(
        default=None,
        pattern=r"^[A-Z_][A-Z0-9_]*$",
        description="The environment variable holding the webhook's signing key "
        "(HMAC-SHA256); required for a webhook.",
    )

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @field_validator("notify")
    @classmethod
    def _notify_address(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if value.startswith("mailto:") and "@" in value:
            return value
        if re.match(r"^https?://[^\s/]+", value):
            return value
        raise ValueError("expected 'mailto:ADDRESS' or an https:// URL")

    @model_validator(mode="after")
    def _webhook_has_key(self) -> Recipient:
        if self.notify and not self.notify.startswith("mailto:") and not self.notify_secret:
            raise ValueError(
                "a webhook in 'notify' needs 'notify_secret': the environment variable "
                "holding its signing key"
            )
        return self


class CookieCategory(StrEnum):
    necessary = "necessary"
    preferences = "preferences"
    analytics = "analytics"
    marketing = "marketing"


class Cookie(_Model):
    """A cookie or similar tracker (SE-3, AS-6)."""

    name: str
    kind: Literal["cookie", "local_storage", "pixel", "link_tracking", "fingerprint"] = "cookie"
    party: str = Field(default="first", description="'first' or the third party's name.")
    recipient: Name | None = Field(default=None, description="The recipient that sets it.")
    category: CookieCategory
    purpose: Text
    lifetime: str = Field(description="'session', '6 months', '2 years' …")


class Policy(_Model):
    """Choices the company makes where the law leaves room."""

    repeat_request_interval: Period | None = Field(
        default=None, description="Requests within this interval are flagged as repeats (DSR-6)."
    )
    free_copies_per_year: int | None = Field(
        default=None, description="A blanket 'free once a year' rule (flagged, DSR-6)."
    )
    consent_renewal: Period | None = None
    default_region: str | None = None
    k_anonymity: int = Field(
        default=5,
        ge=2,
        description="Anonymised rows must share their quasi-identifiers with "
        "at least k-1 others (SEC-3).",
    )
    never_stored: list[str] = Field(
        default_factory=list,
        description="Data categories the company says it never stores, e.g. "
        "user.financial.credit_card (AS-2); `skydd scan` reports any it finds as critical.",
    )


class NoticeTexts(_Model):
    """Texts written by the company for its privacy notice."""

    intro: Text | None = None
    contact: Text | None = None
    extra: dict[Name, Text] = Field(default_factory=dict)


class ProcessorActivity(_Model):
    """Processing the company carries out as a processor for other controllers (Art. 30(2))."""

    labels: Text
    controllers: Text = Field(
        description="Who the controllers are, e.g. each customer company with a cloud account."
    )
    controller_register: str | None = Field(
        default=None,
        description="'system.table' that lists each controller and its contact details.",
    )
    processing: Text = Field(
        description="The categories of processing carried out for them (ROPA-2 (b))."
    )
    systems: list[Name] = Field(default_factory=list, description="Where the processing runs.")
    categories: list[str] = Field(
        default_factory=list, description="The data categories processed for the controllers."
    )
    sub_processors: list[Name] = Field(
        default_factory=list,
        description="Recipients engaged for it; their transfers are the record's (ROPA-2 (c)).",
    )
    agreement: str | None = Field(
        default=None, description="The terms or DPA under which the controllers instruct us."
    )
    security_measures: Text | None = Field(
        default=None, description="Art. 32 description; default: the controller's."
    )


class DataMap(_Model):
    """The whole declaration: `privacy.yaml`."""

    version: Literal[1] = 1
    controller: Controller
    subjects: dict[Name, SubjectKind] = Field(default_factory=dict)
    identities: dict[Name, IdentityKindDecl] = Field(default_factory=dict)
    categories: dict[str, CategoryDecl] = Field(default_factory=dict)
    purposes: dict[Name, Purpose] = Field(default_factory=dict)
    systems: dict[Name, System] = Field(default_factory=dict)
    retention: Retention = Field(default_factory=Retention)
    recipients: dict[Name, Recipient] = Field(default_factory=dict)
    cookies: list[Cookie] = Field(default_factory=list)
    notice: NoticeTexts = Field(default_factory=NoticeTexts)
    policy: Policy = Field(default_factory=Policy)
    processing_for_others: dict[Name, ProcessorActivity] = Field(
        default_factory=dict,
        description="Processing carried out as a processor, for the Art. 30(2) record.",
    )

    def tables(self) -> list[tuple[str, str, Table]]:
        """Every (system, table, Table) in declaration order."""
        return [
            (sname, tname, table)
            for sname, system in self.systems.items()
            for tname, table in system.tables.items()
        ]

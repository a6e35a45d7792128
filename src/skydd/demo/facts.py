"""What the demo planted, written to ``demo-facts.json`` for tests, the README and people.

A demo is only useful if one knows what is in it: whose email to use for a sample
access request, which two people share a phone number, where the card number hides.
Every planted case is recorded here with where it sits (system, table, column, key).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

FACTS_FILE = "demo-facts.json"
FACTS_VERSION = 1


@dataclass(frozen=True)
class PlantedPerson:
    """A person the demo placed on purpose, and where their rows are."""

    role: str  # showcase, colleague, shared_phone, due_for_deletion, held_invoices, …
    why: str
    first_name: str
    last_name: str
    email: str
    phone: str  # E.164
    company: str
    personnummer: str | None = None
    last_activity: str | None = None  # ISO date
    tables: list[str] = field(default_factory=list)  # "system.table" holding their rows
    phones: dict[str, str] = field(default_factory=dict)  # "system.table.column" → as stored

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def systems(self) -> list[str]:
        return sorted({t.split(".", 1)[0] for t in self.tables})


@dataclass(frozen=True)
class PlantedValue:
    """One stored value the demo placed on purpose (a card number in a chat message)."""

    kind: str  # card_number, national_id_in_note, personal_data_in_note, email_capitals …
    why: str
    system: str
    table: str
    column: str
    key: dict[str, Any]  # primary key of the row
    value: str
    person: str | None = None  # email of the person it belongs to


@dataclass(frozen=True)
class HeldRows:
    """Rows a legal hold keeps: the anchor is on or after `since`."""

    hold: str
    table: str
    anchor: str
    since: str
    rows: int


@dataclass(frozen=True)
class DemoFacts:
    company: str
    controller: str
    country: str
    seed: int
    people: int
    as_of: str
    showcase: PlantedPerson
    colleagues: list[PlantedPerson]
    shared_phone: list[PlantedPerson]  # two different people with one phone number
    due_for_deletion: PlantedPerson
    held_invoices: PlantedPerson
    customer_and_supplier: PlantedPerson | None
    values: list[PlantedValue]
    held: list[HeldRows]
    former_customers: int  # people whose last activity is more than seven years ago
    files: list[str] = field(default_factory=list)  # what the demo wrote, relative to DIR
    targets: dict[str, str] = field(default_factory=dict)  # system → database (no password)
    extra: dict[str, Any] = field(default_factory=dict)  # company-specific notes
    version: int = FACTS_VERSION

    def planted(self, kind: str) -> list[PlantedValue]:
        return [v for v in self.values if v.kind == kind]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False, default=_plain) + "\n"

    def write(self, path: Path) -> None:
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> DemoFacts:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DemoFacts:
        def person(value: dict[str, Any] | None) -> PlantedPerson | None:
            return PlantedPerson(**value) if value else None

        fields = dict(data)
        fields["showcase"] = person(data["showcase"])
        fields["due_for_deletion"] = person(data["due_for_deletion"])
        fields["held_invoices"] = person(data["held_invoices"])
        fields["customer_and_supplier"] = person(data.get("customer_and_supplier"))
        fields["colleagues"] = [PlantedPerson(**p) for p in data["colleagues"]]
        fields["shared_phone"] = [PlantedPerson(**p) for p in data["shared_phone"]]
        fields["values"] = [PlantedValue(**v) for v in data["values"]]
        fields["held"] = [HeldRows(**h) for h in data["held"]]
        return cls(**fields)


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)

"""`skydd init` on real SQLite databases: every key found, the draft valid, TODOs reported."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa

from skydd.checking import run_check
from skydd.datamap import load_map
from skydd.datamap.introspect import (
    _RULES,
    guess_from_name,
    guess_from_values,
    init_map,
    introspect,
    normal_name,
)
from skydd.datamap.taxonomy import Taxonomy
from skydd.errors import SkyddError


def _load_shop() -> ModuleType:
    # Shared with tests/integration, which builds the same schema on PostgreSQL and MariaDB.
    path = Path(__file__).parents[1] / "connectors" / "shop_schema.py"
    spec = importlib.util.spec_from_file_location("shop_schema", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shop = _load_shop()


def build_sqlite(path: Path) -> str:
    engine = sa.create_engine(f"sqlite:///{path}")
    shop.build(engine)
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture
def shop_url(tmp_path: Path) -> str:
    return build_sqlite(tmp_path / "shop.db")


def references(data: dict[str, Any], system: str) -> set[tuple[str, tuple[str, ...], str, str]]:
    return {
        (tname, tuple(ref["columns"]), ref["to"], ref["on_delete"])
        for tname, table in data["systems"][system]["tables"].items()
        for ref in table.get("references", [])
    }


def columns(data: dict[str, Any], system: str, table: str) -> dict[str, dict[str, str]]:
    cols: dict[str, dict[str, str]] = data["systems"][system]["tables"][table]["columns"]
    return cols


def test_every_foreign_key_becomes_a_reference(shop_url: str) -> None:
    data = introspect([shop_url])
    assert references(data, "shop") == shop.REFERENCES
    tables = data["systems"]["shop"]["tables"]
    assert set(tables) == set(shop.metadata.tables)
    assert tables["order_lines"]["primary_key"] == ["order_id", "line_no"]
    assert tables["customers"]["primary_key"] == "id"


def test_written_map_loads_and_check_reports_what_is_left(shop_url: str, tmp_path: Path) -> None:
    out = tmp_path / "privacy.yaml"
    result = init_map([shop_url], out)
    assert (result.systems, result.tables, result.references) == (1, 8, 8)
    assert result.columns == sum(len(t.columns) for t in shop.metadata.tables.values())
    assert result.identities == 8
    assert result.todo > 0 and result.guessed + result.todo == result.columns
    loaded = load_map(out)
    assert loaded.urls["shop"] == f"sqlite:///{tmp_path / 'shop.db'}"
    assert "url: sqlite:///shop.db" in out.read_text()  # relative to the map, so it can move
    report = run_check(out)
    assert report.issues == []
    assert report.exit_code == 1
    codes = {f.code for f in report.findings}
    assert {"SKD001", "SKD101", "SKD105", "SKD107", "SKD108"} <= codes
    assert out.read_text().startswith("# Drafted by `skydd init`")


def test_columns_are_guessed_from_names_and_values(shop_url: str) -> None:
    data = introspect([shop_url])
    customers = columns(data, "shop", "customers")
    email = {"type": "text", "category": "user.contact.email", "identity": "email"}
    assert customers["e_post"] == email
    assert customers["contact"] == email
    assert customers["created_at"]["type"] in ("text", "timestamp")
    pnr = {
        "type": "text",
        "category": "user.government_id.national_identification_number",
        "identity": "personnummer",
    }
    assert customers["personnummer"] == pnr
    assert customers["ident"] == pnr  # from its values: Luhn-valid personnummer
    assert customers["telefon"]["identity"] == "phone"
    assert customers["kundnummer"]["identity"] == "customer_number"
    assert customers["fornamn"]["category"] == "user.name.first"
    assert customers["efternamn"]["category"] == "user.name.last"
    assert customers["notes"]["category"] == "TODO"
    assert customers["created_at"]["category"] == "system.operations"
    assert customers["id"]["category"] == "user.unique_id"
    assert columns(data, "shop", "employees")["namn"]["category"] == "user.name"
    assert columns(data, "shop", "companies")["name"]["category"] == "user.contact.organization"
    assert columns(data, "shop", "products")["name"]["category"] == "TODO"


def test_tables_that_lead_to_a_person_get_the_todo_purpose(shop_url: str) -> None:
    tables = introspect([shop_url])["systems"]["shop"]["tables"]
    orders = tables["orders"]
    assert orders["purposes"] == ["todo"]
    assert orders["columns"]["customer_id"]["category"] == "user.unique_id"
    assert orders["columns"]["id"]["category"] == "system.operations"
    assert tables["shipment_events"]["purposes"] == ["todo"]  # via shipment → order → customer
    assert "purposes" not in tables["products"]


def test_sampling_can_be_turned_off(shop_url: str) -> None:
    customers = columns(introspect([shop_url], sample=0), "shop", "customers")
    assert customers["contact"]["category"] == "TODO"
    assert customers["e_post"]["category"] == "user.contact.email"


def test_refuses_to_overwrite_without_force(shop_url: str, tmp_path: Path) -> None:
    out = tmp_path / "privacy.yaml"
    out.write_text("mine\n")
    with pytest.raises(SkyddError, match="already exists") as info:
        init_map([shop_url], out)
    assert info.value.hint and "--force" in info.value.hint
    assert out.read_text() == "mine\n"
    init_map([shop_url], out, force=True)
    assert load_map(out).datamap.systems["shop"]


def test_systems_are_named_after_databases_and_deduplicated(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    urls = [build_sqlite(tmp_path / "a" / "shop.db"), build_sqlite(tmp_path / "b" / "shop.db")]
    out = tmp_path / "privacy.yaml"
    assert init_map(urls, out).systems == 2
    assert list(load_map(out).datamap.systems) == ["shop", "shop_2"]


def test_names_the_map_cannot_hold_are_left_out_and_listed_swedish_letters_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kunder.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            'CREATE TABLE kund (id INTEGER PRIMARY KEY, "förnamn" TEXT, epost TEXT);'
            'CREATE TABLE "order rader" (id INTEGER PRIMARY KEY,'
            " kund_id INTEGER REFERENCES kund(id));"
            'CREATE TABLE notering (id INTEGER PRIMARY KEY, "förnamn" TEXT,'
            ' kund_id INTEGER REFERENCES kund(id), ref TEXT REFERENCES "order rader"(id));'
        )
    conn.close()
    out = tmp_path / "privacy.yaml"
    result = init_map([f"sqlite:///{path}"], out)
    assert len(result.skipped) == 2
    text = out.read_text()
    assert "# - kunder.order rader:" in text
    assert "# - kunder.notering(ref):" in text
    loaded = load_map(out)
    assert "förnamn" in loaded.datamap.systems["kunder"].tables["kund"].columns
    notering = loaded.datamap.systems["kunder"].tables["notering"]
    assert [r.to for r in notering.references] == ["kund.id"]


def test_missing_sqlite_file_fails_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "privacy.yaml"
    with pytest.raises(SkyddError, match="no SQLite database"):
        init_map([f"sqlite:///{tmp_path / 'nope.db'}"], out)
    assert not out.exists()


def test_every_guessed_category_is_in_the_taxonomy() -> None:
    taxonomy = Taxonomy()
    for _pattern, guess, _families in _RULES:
        assert taxonomy.is_known(guess.category), guess.category


@pytest.mark.parametrize(
    ("name", "category", "identity"),
    [
        ("email", "user.contact.email", "email"),
        ("E-post", "user.contact.email", "email"),
        ("kund_epost", "user.contact.email", "email"),
        ("emailAddress", "user.contact.email", "email"),
        ("mobil", "user.contact.phone_number", "phone"),
        ("tlf", "user.contact.phone_number", "phone"),
        ("pnr", "user.government_id.national_identification_number", "personnummer"),
        ("cpr_nr", "user.government_id.national_identification_number", "cpr"),
        ("förnamn", "user.name.first", None),
        ("Fornavn", "user.name.first", None),
        ("efternavn", "user.name.last", None),
        ("adresse", "user.contact.address.street", None),
        ("postnr", "user.contact.address.postal_code", None),
        ("postort", "user.contact.address.city", None),
        ("ip_address", "user.device.ip_address", None),
        ("lösenord", "user.authorization.password", None),
        ("kundnr", "user.unique_id", "customer_number"),
        ("orgnr", "user.contact.organization", "orgnr"),
    ],
)
def test_names_in_swedish_english_and_danish(
    name: str, category: str, identity: str | None
) -> None:
    guess = guess_from_name(name, "text")
    assert guess is not None
    assert (guess.category, guess.identity) == (category, identity)


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("hotel", "text"),
        ("email_count", "number"),
        ("mail_sent_at", "time"),
        ("created_by", "text"),
        ("product_code", "text"),
        ("description", "text"),
    ],
)
def test_names_that_only_look_personal(name: str, family: str) -> None:
    assert guess_from_name(name, family) is None


def test_normal_name() -> None:
    assert normal_name("FörNamn") == "for_namn"
    assert normal_name("e-post") == "e_post"
    assert normal_name("Ørsted Æble") == "orsted_aeble"


@pytest.mark.parametrize(
    ("values", "family", "expected"),
    [
        (["a@example.se", "B@Example.com", None, "c@x.dk"], "text", "user.contact.email"),
        (shop.PERSONNUMMER, "text", "user.government_id.national_identification_number"),
        (
            [198001011231, 199001011239],
            "number",
            "user.government_id.national_identification_number",
        ),
        (["070-123 45 67", "+46701234568", "08-123 456 78"], "text", "user.contact.phone_number"),
        (["192.0.2.10", "2001:db8::1"], "text", "user.device.ip_address"),
        (["a@example.se", "not one", "nor this"], "text", None),
        ([1, 2, 3], "number", None),
        (["0701234567"], "number", None),
        ([], "text", None),
    ],
)
def test_values(values: list[Any], family: str, expected: str | None) -> None:
    guess = guess_from_values(values, family)
    assert (guess.category if guess else None) == expected

"""`build_demo` for each example company: tables, integrity, identities, planted facts."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from demo_helpers import connect

from skydd.checking import run_check
from skydd.datamap.loader import load_map
from skydd.demo import DemoResult
from skydd.demo.facts import FACTS_FILE, DemoFacts
from skydd.identity import luhn_ok, try_normalise
from skydd.planning.graph import build_graph


def _db(result: DemoResult, system: str) -> Path:
    return result.directory / result.databases[system]


def test_every_declared_table_exists_and_has_rows(built: DemoResult) -> None:
    datamap = load_map(built.map_path).datamap
    for system, table, _ in datamap.tables():
        with connect(_db(built, system)) as conn:
            count = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        assert count > 0, f"{system}.{table} is empty"
        assert built.rows[f"{system}.{table}"] == count


def test_the_written_map_passes_check(built: DemoResult) -> None:
    assert run_check(built.map_path).exit_code == 0


def test_foreign_keys_hold(built: DemoResult) -> None:
    for system in built.databases:
        with connect(_db(built, system)) as conn:
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], system


def test_references_across_systems_hold_valid_values(built: DemoResult) -> None:
    """No constraint can span two databases, so the generator must get them right itself."""
    graph = build_graph(load_map(built.map_path).datamap)
    for edge in graph.edges:
        if not edge.cross_system:
            continue
        (child_col,), (parent_col,) = edge.child_columns, edge.parent_columns
        csys, ctable = edge.child.split(".")
        psys, ptable = edge.parent.split(".")
        with connect(_db(built, psys)) as conn:
            keys = {r[0] for r in conn.execute(f'SELECT "{parent_col}" FROM "{ptable}"')}
        with connect(_db(built, csys)) as conn:
            values = [
                r[0]
                for r in conn.execute(
                    f'SELECT "{child_col}" FROM "{ctable}" WHERE "{child_col}" IS NOT NULL'
                )
            ]
        assert values, f"{edge.child}.{child_col} is never set"
        missing = [v for v in values if v not in keys]
        assert not missing, f"{edge.child}.{child_col} → {edge.parent}: {missing[:5]}"


def test_identity_values_all_normalise(built: DemoResult) -> None:
    """Every stored email, phone and personnummer is a valid one, whatever its layout."""
    loaded = load_map(built.map_path)
    region = loaded.datamap.controller.country
    custom = {k: d.normalise for k, d in loaded.datamap.identities.items()}
    for system, table, decl in loaded.datamap.tables():
        for column, col in decl.columns.items():
            kind = custom.get(col.identity or "", col.identity)
            if kind not in ("email", "phone", "personnummer", "ip"):  # orgnr: SE only
                continue
            with connect(_db(built, system)) as conn:
                values = [
                    r[0]
                    for r in conn.execute(
                        f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
                    )
                ]
            bad = [v for v in values if try_normalise(kind, str(v), region=region) is None]
            assert not bad, f"{system}.{table}.{column} ({kind}): {bad[:3]}"


def test_the_showcase_is_one_person_in_many_systems(built: DemoResult) -> None:
    facts, region = built.facts, built.facts.country
    showcase = facts.showcase
    assert len(showcase.systems) >= 3
    by_system: dict[str, set[str]] = defaultdict(set)
    for where, stored in showcase.phones.items():
        assert try_normalise("phone", stored, region=region) == showcase.phone
        by_system[where.split(".")[0]].add(stored)
    layouts = {value for values in by_system.values() for value in values}
    assert len(by_system) >= 2 and len(layouts) >= 2, showcase.phones
    for colleague in facts.colleagues:
        assert colleague.company == showcase.company and colleague.email != showcase.email


def test_planted_values_sit_where_the_facts_say(built: DemoResult) -> None:
    datamap = load_map(built.map_path).datamap
    kinds = {v.kind for v in built.facts.values}
    assert {"email_capitals", "personal_data_in_note", "national_id_in_note"} <= kinds
    for value in built.facts.values:
        key = " AND ".join(f'"{k}" = ?' for k in value.key)
        with connect(_db(built, value.system)) as conn:
            (stored,) = conn.execute(
                f'SELECT "{value.column}" FROM "{value.table}" WHERE {key}',
                tuple(value.key.values()),
            ).fetchone()
        assert value.value in stored
        column = datamap.systems[value.system].tables[value.table].columns[value.column]
        if value.kind != "email_capitals":
            assert column.free_text, f"{value.kind} is not in a free-text column"


def test_shared_phone_and_former_customers(built: DemoResult) -> None:
    one, other = built.facts.shared_phone
    assert one.phone == other.phone and one.email != other.email
    due, held = built.facts.due_for_deletion, built.facts.held_invoices
    assert due.last_activity and due.last_activity < "2018"  # eight years before AS_OF
    assert held.last_activity and "2022" <= held.last_activity <= "2023"
    assert built.facts.former_customers > 0
    assert any(h.rows > 0 for h in built.facts.held)


def test_the_facts_file_reads_back(built: DemoResult) -> None:
    facts = DemoFacts.read(built.directory / FACTS_FILE)
    assert facts == built.facts
    assert set(facts.files) >= {"privacy.yaml", FACTS_FILE}
    assert all((built.directory / name).is_file() for name in facts.files)


def test_company_plantings(built: DemoResult) -> None:
    facts = built.facts
    if facts.company == "astrak":
        [card] = facts.planted("card_number")
        digits = card.value.replace(" ", "")
        assert len(digits) == 16 and luhn_ok(digits)
        column = load_map(built.map_path).datamap.systems[card.system].tables[card.table]
        assert column.columns[card.column].free_text
    expected = {
        "axsensor": "silent_cloud_account",
        "entrack": "communication_opt_out",
        "acte": "newsletter_objection",
        "advansor": "pep_screening",
        "astrak": "anonymous_visitors",
    }
    assert expected[facts.company] in facts.extra
    has_suppliers = facts.company in ("entrack", "advansor")
    assert (facts.customer_and_supplier is not None) == has_suppliers

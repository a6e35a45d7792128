"""The erasure planner, pure: defaults, holds and their end dates, foreign keys, batches."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from skydd.datamap.loader import load_map
from skydd.datamap.models import DataMap, ErasureAction
from skydd.planning.erasure import ErasurePlan, merge_plans, plan_erasure, table_action
from skydd.planning.graph import build_graph

AS_OF = date(2026, 11, 22)


def _map(tmp_path: Path, on_delete: str = "restrict") -> DataMap:
    def table(columns: dict[str, Any], **extra: Any) -> dict[str, Any]:
        cols = {c: {"category": cat} for c, cat in columns.items()}
        return {"subjects": ["customer"], "purposes": ["orders"], "primary_key": "id",
                "columns": cols, **extra}  # fmt: skip

    raw: dict[str, Any] = {
        "controller": {"name": "Shop AB", "country": "SE"},
        "subjects": {"customer": {"labels": "Kund"}},
        "purposes": {"orders": {"labels": "Order", "legal_basis": "contract"}},
        "systems": {"shop": {"url": "sqlite:///shop.db", "tables": {
            "regions": {**table({"id": "system.operations", "name": "system.operations"}),
                        "shared": True},
            "customers": table(
                {"id": "system.operations", "email": "user.contact.email",
                 "region_id": "system.operations", "referred_by": "system.operations"},
                references=[{"column": "region_id", "to": "regions.id"},
                            {"column": "referred_by", "to": "customers.id",
                             "other_person": False}]),
            "orders": table(
                {"id": "system.operations", "customer_id": "user.unique_id",
                 "placed": "system.operations", "held": "system.operations"},
                references=[{"column": "customer_id", "to": "customers.id",
                             "on_delete": on_delete}],
                erasure={"action": "delete", "flag_column": "held"}),
            "reviews": table(
                {"id": "system.operations", "customer_id": "user.unique_id",
                 "text": "user.content"},
                references=[{"column": "customer_id", "to": "customers.id"}],
                erasure={"action": "anonymise"}),
            "wishlist": table({"id": "system.operations", "customer_id": "user.unique_id"},
                              erasure={"action": "keep"}),
        }}},
        "retention": {"holds": {"books": {
            "labels": "Bokföring", "law": "Bokföringslagen", "ground": "17(3)(b)",
            "tables": ["shop.orders"], "anchor": "placed", "period": "7 years",
            "align": "end_of_year"}}},
    }  # fmt: skip
    tables = raw["systems"]["shop"]["tables"]
    tables["customers"]["columns"]["email"]["identity"] = "email"
    tables["reviews"]["columns"]["text"]["free_text"] = True
    path = tmp_path / "privacy.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_map(path).datamap


@pytest.fixture
def m(tmp_path: Path) -> DataMap:
    return _map(tmp_path)


def _plan(m: DataMap, rows: dict[str, list[dict[str, Any]]], **kw: Any) -> ErasurePlan:
    found = {t: {(r["id"],): r for r in rs} for t, rs in rows.items()}
    return plan_erasure(m, build_graph(m), found, as_of=kw.pop("as_of", AS_OF), **kw)


def test_defaults(m: DataMap) -> None:
    assert table_action(m, "shop.regions").action is ErasureAction.keep
    assert table_action(m, "shop.customers").action is ErasureAction.delete
    # The map says delete, but a hold names the table: the hold wins.
    orders = table_action(m, "shop.orders")
    assert orders.action is ErasureAction.hold and orders.hold == "books"
    assert orders.after_hold is ErasureAction.delete
    assert table_action(m, "shop.reviews").action is ErasureAction.anonymise
    assert table_action(m, "shop.wishlist").action is ErasureAction.keep


def test_a_parent_of_held_rows_is_kept_until_the_last_of_them(m: DataMap) -> None:
    plan = _plan(m, {
        "shop.customers": [{"id": 1, "email": "a@x.se", "region_id": 1, "referred_by": None}],
        "shop.orders": [
            {"id": 10, "customer_id": 1, "placed": "2024-03-01", "held": 0},
            {"id": 11, "customer_id": 1, "placed": "2025-06-30", "held": 0},
            {"id": 12, "customer_id": 1, "placed": "2017-01-01", "held": 0},
        ],
    })  # fmt: skip
    assert plan.erased == {"shop.orders": 1}  # 2017: its hold ended with 2024
    kept = {(k.table, k.reason, k.until, k.keys) for k in plan.kept}
    assert kept == {
        ("shop.orders", "hold", date(2031, 12, 31), ((10,),)),
        ("shop.orders", "hold", date(2032, 12, 31), ((11,),)),
        ("shop.customers", "referenced", date(2032, 12, 31), ((1,),)),
    }
    flags = [op for s in plan.steps for op in s.ops if op.kind == "flag"]
    assert {op.table for op in flags} == {"shop.orders"}


def test_set_null_lets_the_parent_go(tmp_path: Path) -> None:
    """The map says the orders survive their customer: the held order lets go of it."""
    m = _map(tmp_path, on_delete="set_null")
    plan = _plan(m, {
        "shop.customers": [{"id": 1, "email": "a@x.se", "region_id": 1, "referred_by": None}],
        "shop.orders": [{"id": 10, "customer_id": 1, "placed": "2024-03-01", "held": 0}],
    })  # fmt: skip
    assert plan.erased == {"shop.customers": 1}
    assert [k.table for k in plan.kept] == ["shop.orders"]
    ops = [(op.kind, op.table, op.keys, op.columns) for op in plan.steps[0].ops]
    assert ops[0] == ("unlink", "shop.orders", ((10,),), (("customer_id", "null"),))
    assert ("flag", "shop.orders", ((10,),), (("held", "true"),)) in ops


def test_an_undated_held_row_keeps_its_parent_without_end(m: DataMap) -> None:
    plan = _plan(m, {
        "shop.customers": [{"id": 1, "email": "a@x.se", "region_id": 1, "referred_by": None}],
        "shop.orders": [
            {"id": 10, "customer_id": 1, "placed": "2024-03-01", "held": 0},
            {"id": 11, "customer_id": 1, "placed": None, "held": 0},
        ],
    })  # fmt: skip
    parent = [k for k in plan.kept if k.table == "shop.customers"][0]
    assert parent.until is None and parent.via == "shop.orders"


def test_children_first_and_cycles_broken(m: DataMap) -> None:
    plan = _plan(m, {
        "shop.customers": [
            {"id": 1, "email": "a@x.se", "region_id": 1, "referred_by": 2},
            {"id": 2, "email": "a@x.se", "region_id": 1, "referred_by": 1},
        ],
        "shop.reviews": [{"id": 5, "customer_id": 1, "text": "Bra!"}],
    })  # fmt: skip
    (step,) = plan.steps
    kinds = [(op.kind, op.table) for op in step.ops]
    assert kinds == [
        ("unlink", "shop.customers"),
        ("anonymise", "shop.reviews"),
        ("delete", "shop.customers"),
    ]
    anonymise = dict(step.ops[1].columns)
    assert anonymise["customer_id"] == "null" and anonymise["text"] == "scrub"
    assert plan.anonymised == {"shop.reviews": 1}


def test_other_people_are_unlinked_never_erased(m: DataMap) -> None:
    others = {"shop.customers": {(7,): {"id": 7, "referred_by": 1}}}
    plan = _plan(
        m,
        {"shop.customers": [{"id": 1, "email": "a@x.se", "region_id": 1, "referred_by": None}]},
        others=others,
    )
    # customers.referred_by is declared as the same person (other_person: false), so
    # another customer's row pointing there is still someone else's row: unlinked.
    assert plan.unlinked == {"shop.customers": 1} and plan.erased == {"shop.customers": 1}


def test_keep_and_shared(m: DataMap) -> None:
    plan = _plan(
        m,
        {"shop.wishlist": [{"id": 3, "customer_id": 1}]},
        shared={"shop.regions": {(1,): {"id": 1, "name": "Norr"}}},
    )
    assert [(k.table, k.reason, k.blocked) for k in plan.kept] == [
        ("shop.regions", "shared", False), ("shop.wishlist", "keep", False)]  # fmt: skip
    assert plan.steps == []


def test_batch_merge_spares_what_another_person_keeps(m: DataMap) -> None:
    graph = build_graph(m)
    order = {"id": 10, "customer_id": 1, "placed": "2025-01-01", "held": 0}
    first = _plan(m, {"shop.orders": [order]})
    second = plan_erasure(
        m, graph, {"shop.orders": {(10,): order}}, as_of=date(2040, 1, 1)
    )  # for the second person the hold is over: it would delete the row
    steps = merge_plans([first, second], graph)
    assert [(op.kind, op.keys) for s in steps for op in s.ops] == [("flag", ((10,),))]

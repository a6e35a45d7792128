"""Import from and export to fideslang datasets (skydd.datamap.fides)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from skydd.checking import run_check
from skydd.datamap.fides import export_fides, import_fides, write_export, write_import
from skydd.datamap.loader import load_map
from skydd.datamap.writer import dump_map
from skydd.errors import SkyddError

HERE = Path(__file__).parent
SHOP = HERE / "fides" / "shop_datasets.yml"
CRM = HERE / "fides" / "crm_map.yaml"
URL = "postgresql://skydd@localhost/shop"

# What an imported map leaves for a person to decide: the controller, purposes and legal
# bases, retention, and the category of fields that fides left without one.
TODO_RULES = {"SKD001", "SKD101", "SKD107", "SKD108"}

Address = tuple[str, ...]


def _modelled(document: dict[str, Any]) -> tuple[dict[str, Any], set[tuple[Address, Address]]]:
    """What Skydd models of a fideslang document, free of order, and its data flows.

    A reference is compared as the flow it gives Fides (from the field found first to
    the one found next), so `a -> b, direction: to` equals `b -> a, direction: from`.
    """
    datasets: dict[str, Any] = {}
    flows: set[tuple[Address, Address]] = set()
    for dataset in document["dataset"]:
        key = dataset["fides_key"]
        namespace = (dataset.get("fides_meta") or {}).get("namespace") or {}
        collections: dict[str, Any] = {}
        for collection in dataset["collections"]:
            fields: dict[str, Any] = {}
            for fld in collection["fields"]:
                meta = fld.get("fides_meta") or fld.get("fidesops_meta") or {}
                fields[fld["name"]] = {
                    "categories": fld.get("data_categories") or [],
                    "identity": meta.get("identity"),
                    "primary_key": bool(meta.get("primary_key")),
                }
                for ref in meta.get("references") or []:
                    here = (key, collection["name"], fld["name"])
                    there = (ref["dataset"], *ref["field"].split("."))
                    flows.add((here, there) if ref["direction"] == "to" else (there, here))
            collections[collection["name"]] = {
                "description": collection.get("description"),
                "fields": fields,
            }
        datasets[key] = {
            "name": dataset.get("name"),
            "description": dataset.get("description"),
            "schema": namespace.get("schema"),
            "collections": collections,
        }
    return datasets, flows


def _import_to_file(tmp_path: Path, source: Path = SHOP) -> Path:
    result = import_fides(source, URL)
    path = tmp_path / "privacy.yaml"
    path.write_text(dump_map(result.data), encoding="utf-8")
    return path


def _write(tmp_path: Path, text: str, name: str = "dataset.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one(collections: str, extra: str = "") -> str:
    """A dataset file with one dataset, `shop`, holding `collections`."""
    return f"dataset:\n  - fides_key: shop\n{extra}    collections:\n{collections}"


def test_round_trip_keeps_what_skydd_models(tmp_path: Path) -> None:
    original = yaml.safe_load(SHOP.read_text(encoding="utf-8"))
    loaded = load_map(_import_to_file(tmp_path))
    exported = export_fides(loaded)

    before, flows_before = _modelled(original)
    after, flows_after = _modelled(exported.document)
    assert after == before
    # Fides refuses a collection that references itself, so export leaves it out and says so.
    self_reference = (
        ("shop_postgres", "employee", "id"),
        ("shop_postgres", "employee", "manager_id"),
    )
    assert flows_before - flows_after == {self_reference}
    assert flows_after <= flows_before
    assert exported.warnings == [
        "shop_postgres.employee(manager_id): reference within the table left out: Fides does "
        "not allow a collection to reference itself"
    ]


def test_export_is_stable_across_a_second_round_trip(tmp_path: Path) -> None:
    first = export_fides(load_map(_import_to_file(tmp_path))).document
    again = tmp_path / "again"
    again.mkdir()
    source = _write(again, dump_map(first), "dataset.yml")
    second = export_fides(load_map(_import_to_file(again, source))).document
    assert second == first


def test_imported_map_is_valid_and_check_lists_only_todos(tmp_path: Path) -> None:
    report = run_check(_import_to_file(tmp_path))
    assert report.issues == []
    assert report.exit_code == 1
    errors = {f.code for f in report.findings if f.level == "error"}
    assert errors <= TODO_RULES
    assert "SKD101" in errors and "SKD108" in errors


def test_import_maps_datasets_to_systems() -> None:
    result = import_fides(SHOP, URL, controller_country="dk")
    data = result.data
    assert data["controller"] == {"name": "TODO", "country": "DK"}
    assert data["purposes"]["todo"]["legal_basis"] == "TODO"
    shop = data["systems"]["shop_postgres"]
    assert shop["url"] == URL and shop["schema"] == "public" and shop["labels"] == "Web shop"
    assert data["systems"]["support_mysql"]["url"] == URL
    customer = shop["tables"]["customer"]
    assert customer["purposes"] == ["todo"]
    assert customer["primary_key"] == ["id"]
    assert customer["columns"]["phone"] == {
        "category": "user.contact.phone_number",
        "identity": "phone",
    }
    assert customer["columns"]["created"] == {"category": "TODO"}
    assert customer["references"] == [{"columns": ["address_id"], "to": "address.id"}]
    assert shop["tables"]["order_item"]["primary_key"] == ["order_id", "product_id"]
    ticket = data["systems"]["support_mysql"]["tables"]["ticket"]
    assert ticket["references"] == [{"columns": ["customer_id"], "to": "shop_postgres.customer.id"}]
    assert data["identities"] == {"loyalty_id": {"labels": "loyalty_id", "normalise": "generic"}}
    assert "categories" not in data  # every category of the fixture is in the taxonomy
    assert result.counts == {
        "datasets": 2,
        "collections": 10,
        "fields": 46,
        "references": 12,
        "identities": 6,
        "todo": 1,
        "skipped": 0,
    }


def test_import_reports_what_fides_knows_and_skydd_does_not() -> None:
    warnings = import_fides(SHOP, URL).warnings
    assert any(
        w.startswith("namespace.database_name not imported on shop_postgres") for w in warnings
    )
    assert any(
        w.startswith(
            "data_type not imported on shop_postgres.customer.email, shop_postgres.customer.name:"
        )
        for w in warnings
    )
    assert any(w.startswith("after not imported on support_mysql.ticket") for w in warnings)
    assert any("identity 'loyalty_id' is not built into Skydd" in w for w in warnings)


def test_connections_per_dataset() -> None:
    crm = "mysql+pymysql://support@localhost/desk"
    result = import_fides(SHOP, URL, connections={"support_mysql": crm})
    assert result.data["systems"]["support_mysql"]["url"] == crm
    assert result.data["systems"]["shop_postgres"]["url"] == URL
    with pytest.raises(SkyddError, match="not in the file: crm") as info:
        import_fides(SHOP, URL, connections={"crm": crm})
    assert info.value.hint == "datasets in the file: shop_postgres, support_mysql"


def test_several_categories_keep_the_most_specific(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _one(
            "      - name: person\n"
            "        fields:\n"
            "          - name: contact\n"
            "            data_categories: [user.name, user.contact, user.contact.email]\n"
        ),
    )
    result = import_fides(path, URL)
    column = result.data["systems"]["shop"]["tables"]["person"]["columns"]["contact"]
    assert column == {"category": "user.contact.email"}
    # user.contact is implied by user.contact.email; only user.name is lost.
    assert result.warnings == [
        "shop.person.contact: kept category user.contact.email, dropped user.name: a column of "
        "the map has one category"
    ]


def test_unknown_category_is_declared_under_its_nearest_known_parent(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _one(
            "      - name: member\n"
            "        fields:\n"
            "          - name: tier\n"
            "            data_categories: [user.contact.loyalty_tier]\n"
            "          - name: secret\n"
            "            data_categories: [acme.internal]\n"
        ),
    )
    result = import_fides(path, URL)
    assert result.data["categories"] == {
        "user.contact.loyalty_tier": {
            "parent": "user.contact",
            "labels": "user.contact.loyalty_tier",
        }
    }
    columns = result.data["systems"]["shop"]["tables"]["member"]["columns"]
    assert columns == {
        "tier": {"category": "user.contact.loyalty_tier"},
        "secret": {"category": "TODO"},
    }
    assert any("'acme.internal' is unknown and has no known parent" in w for w in result.warnings)


def test_nested_fields_are_skipped_and_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _one(
            "      - name: customer\n"
            "        fields:\n"
            "          - name: _id\n"
            "            fides_meta: {primary_key: true}\n"
            "          - name: profile\n"
            "            fides_meta: {data_type: object}\n"
            "            fields:\n"
            "              - name: email\n"
            "                data_categories: [user.contact.email]\n"
            "                fides_meta: {identity: email}\n"
            "              - name: address\n"
            "                fields:\n"
            "                  - name: city\n"
            "                    data_categories: [user.contact.address.city]\n"
        ),
    )
    result = import_fides(path, URL)
    columns = result.data["systems"]["shop"]["tables"]["customer"]["columns"]
    assert columns == {"_id": {"category": "TODO"}, "profile": {"category": "TODO"}}
    assert result.counts["skipped"] == 3
    assert any(
        w.startswith(
            "shop.customer.profile: nested fields skipped (profile.email, "
            "profile.address, profile.address.city)"
        )
        for w in result.warnings
    )


def test_dataset_and_collection_categories_are_ignored_with_a_warning(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _one(
            "      - name: customer\n"
            "        data_categories: [user]\n"
            "        fields:\n"
            "          - name: email\n"
            "            data_categories: [user.contact.email]\n",
            extra="    data_categories: [user]\n",
        ),
    )
    warnings = import_fides(path, URL).warnings
    assert any(
        w.startswith("dataset-level data_categories not imported on shop:") for w in warnings
    )
    assert any(
        w.startswith("collection-level data_categories not imported on shop.customer:")
        for w in warnings
    )


def test_reference_declared_on_the_key_side_is_turned_round(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _one(
            "      - name: customer\n"
            "        fields:\n"
            "          - name: id\n"
            "            fides_meta:\n"
            "              primary_key: true\n"
            "              references:\n"
            "                - {dataset: shop, field: orders.customer_id, direction: to}\n"
            "          - name: email\n"
            "            fides_meta: {identity: email}\n"
            "      - name: orders\n"
            "        fields:\n"
            "          - name: id\n"
            "            fides_meta: {primary_key: true}\n"
            "          - name: customer_id\n"
            "            fides_meta:\n"
            "              references: [{dataset: shop, field: customer.id, direction: from}]\n"
        ),
    )
    tables = import_fides(path, URL).data["systems"]["shop"]["tables"]
    assert "references" not in tables["customer"]
    # Declared on both sides, it becomes one reference, on the table with the foreign key.
    assert tables["orders"]["references"] == [{"columns": ["customer_id"], "to": "customer.id"}]


def test_references_that_cannot_be_followed_are_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _one(
            "      - name: orders\n"
            "        fields:\n"
            "          - name: customer_id\n"
            "            fides_meta:\n"
            "              references:\n"
            "                - {dataset: elsewhere, field: customer.id, direction: from}\n"
            "                - {dataset: shop, field: customer.profile.id}\n"
            "                - {dataset: shop, field: nowhere.id}\n"
        ),
    )
    result = import_fides(path, URL)
    assert "references" not in result.data["systems"]["shop"]["tables"]["orders"]
    assert [w.split(" skipped: ")[1] for w in result.warnings if " skipped: " in w] == [
        "that dataset is not in the import; import a folder that holds both",
        "a nested field",
        "no such field was imported",
    ]


def test_names_a_map_cannot_hold(tmp_path: Path) -> None:
    text = (
        "dataset:\n"
        "  - fides_key: shop.eu\n"
        "    collections:\n"
        "      - name: customer\n"
        "        fields:\n"
        "          - name: e-mail ok\n"
        "          - name: id\n"
        "      - name: order lines\n"
        "        fields: [{name: id}]\n"
    )
    result = import_fides(_write(tmp_path, text), URL)
    system = result.data["systems"]["shop_eu"]
    assert list(system["tables"]) == ["customer"]
    assert list(system["tables"]["customer"]["columns"]) == ["id"]
    assert result.counts["skipped"] == 2
    assert "dataset 'shop.eu' became system 'shop_eu'" in result.warnings[0]


def test_legacy_fidesops_meta_and_a_single_dataset_document(tmp_path: Path) -> None:
    text = (
        "fides_key: desk\n"
        "collections:\n"
        "  - name: ticket\n"
        "    fields:\n"
        "      - name: phone\n"
        "        data_categories: [user.contact.phone_number]\n"
        "        fidesops_meta: {identity: phone_number, primary_key: true}\n"
    )
    table = import_fides(_write(tmp_path, text, "desk.json"), URL).data["systems"]["desk"]
    assert table["tables"]["ticket"]["primary_key"] == ["phone"]
    assert table["tables"]["ticket"]["columns"]["phone"]["identity"] == "phone"


def test_a_folder_of_dataset_files(tmp_path: Path) -> None:
    shop = yaml.safe_load(SHOP.read_text(encoding="utf-8"))
    _write(tmp_path, yaml.safe_dump({"dataset": shop["dataset"][:1]}), "a_shop.yml")
    _write(tmp_path, yaml.safe_dump({"dataset": shop["dataset"][1:]}), "b_support.yaml")
    _write(tmp_path, "system:\n  - fides_key: web\n", "c_system.yml")
    _write(tmp_path, '{"fides_key": "desk", "collections": []}', "d_desk.json")
    result = import_fides(tmp_path, URL)
    assert list(result.data["systems"]) == ["shop_postgres", "support_mysql", "desk"]
    assert result.counts["references"] == 12
    assert "c_system.yml: holds no fideslang datasets; skipped" in result.warnings


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dataset: [\n  - oops", "broken YAML"),
        ("", "not a fideslang dataset file"),
        ("controller: {name: Acme}\n", "not a fideslang dataset file: expected a top-level"),
        ("dataset: 3\n", "dataset: expected datasets as a list, found 3"),
        ("dataset:\n  - name: x\n", r"dataset\[0\]: 'fides_key' is missing"),
        (
            "dataset:\n  - fides_key: a\n",
            r"dataset\[0\] \(a\): expected 'collections:' as a list",
        ),
        (
            _one(
                "      - name: c\n        fields:\n          - name: f\n"
                "            data_categories: user.name\n"
            ),
            r"fields\[0\] \(f\)\.data_categories: expected a list of keys",
        ),
        (
            _one(
                "      - name: c\n        fields:\n          - name: f\n"
                "            fides_meta: {references: [{dataset: a, field: c.f, direction: up}]}\n"
            ),
            r"references\[0\]\.direction: expected 'from' or 'to', found 'up'",
        ),
        (
            _one(
                "      - name: c\n        fields: [{name: f, fides_meta: {primary_key: maybe}}]\n"
            ),
            r"\(f\)\.fides_meta\.primary_key: expected true or false, found 'maybe'",
        ),
        (
            _one("      - name: c\n        fields: [{name: f}, {name: f}]\n"),
            r"field 'f' is given twice",
        ),
        (
            "dataset:\n  - {fides_key: a, collections: []}\n  - {fides_key: a, collections: []}\n",
            "dataset 'a' is given twice",
        ),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SkyddError, match=message) as info:
        import_fides(path, URL)
    assert str(path) in info.value.message


def test_missing_file_and_bad_country(tmp_path: Path) -> None:
    with pytest.raises(SkyddError, match="file not found"):
        import_fides(tmp_path / "nope.yml", URL)
    with pytest.raises(SkyddError, match="'Sweden' is not a country code"):
        import_fides(SHOP, URL, controller_country="Sweden")


def test_write_import_never_overwrites_without_force(tmp_path: Path) -> None:
    out = tmp_path / "privacy.yaml"
    result = write_import(SHOP, URL, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported from the fideslang dataset shop_datasets.yml")
    assert "# - data_type not imported on" in text
    assert load_map(out).datamap.systems["shop_postgres"].url == URL
    assert result.counts["datasets"] == 2
    out.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(SkyddError, match="already exists") as info:
        write_import(SHOP, URL, out)
    assert info.value.hint and "--force" in info.value.hint
    assert out.read_text(encoding="utf-8") == "keep me\n"
    write_import(SHOP, URL, out, force=True)
    assert load_map(out).datamap.systems


def _fields(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in collection["fields"]}


def test_export_of_a_written_map() -> None:
    result = export_fides(load_map(CRM))
    crm, erp = result.document["dataset"]
    assert (crm["fides_key"], crm["name"]) == ("crm", "Customer register")
    assert crm["fides_meta"] == {"namespace": {"schema": "sales"}}
    companies, contacts = crm["collections"]
    assert contacts["description"] == "Contact people"
    fields = _fields(contacts)
    assert fields["phone"] == {
        "name": "phone",
        "data_categories": ["user.contact.phone_number"],
        "fides_meta": {"identity": "phone_number"},
    }
    assert fields["id"]["fides_meta"] == {"identity": "customer_number", "primary_key": True}
    assert fields["note"] == {"name": "note"}  # category TODO
    assert fields["company_id"]["fides_meta"] == {
        "references": [{"dataset": "crm", "field": "companies.id", "direction": "to"}]
    }
    assert "fides_meta" not in fields["manager_id"]  # a reference within the table
    lines = _fields(erp["collections"][2])
    assert [lines[c]["fides_meta"]["references"] for c in ("invoice_id", "line")] == [
        [{"dataset": "erp", "field": "invoice_lines.invoice_id", "direction": "to"}],
        [{"dataset": "erp", "field": "invoice_lines.line", "direction": "to"}],
    ]
    assert result.warnings == [
        "crm.contacts(manager_id): reference within the table left out: Fides does not allow a "
        "collection to reference itself",
        "erp.line_notes(invoice_id, line): a reference over 2 columns became one reference per "
        "column: fideslang has no composite keys",
        "category 'user.contact.loyalty_tier' is declared in the map, not in fideslang: add it "
        "to Fides as a custom data category",
    ]
    assert result.counts == {"datasets": 2, "collections": 5, "fields": 18, "references": 4}


def test_export_protects_what_an_erasure_must_keep() -> None:
    crm, erp = export_fides(load_map(CRM)).document["dataset"]
    companies, contacts = crm["collections"]
    invoices = _fields(erp["collections"][0])
    # Companies are shared and invoices under a legal hold: a Fides erasure must not mask them.
    assert all(f["fides_meta"]["read_only"] for f in companies["fields"])
    assert all(f["fides_meta"]["read_only"] for f in invoices.values())
    assert not any((f.get("fides_meta") or {}).get("read_only") for f in contacts["fields"])
    assert invoices["contact_id"]["fides_meta"] == {
        "references": [{"dataset": "crm", "field": "contacts.id", "direction": "from"}],
        "read_only": True,
    }


def test_write_export(tmp_path: Path) -> None:
    out = tmp_path / "dataset.yml"
    result = write_export(CRM, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# fideslang datasets written by `skydd export fides` from crm_map.yaml")
    assert yaml.safe_load(text) == result.document


def test_export_of_an_invalid_map_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SkyddError, match="not a valid data map") as info:
        write_export(tmp_path / "privacy.yaml", tmp_path / "dataset.yml")
    assert "file not found" in info.value.render()
    assert not (tmp_path / "dataset.yml").exists()

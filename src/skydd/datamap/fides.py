"""Conversion between fideslang datasets and Skydd data maps.

A fideslang dataset describes one database: its collections (tables), their fields
(columns), each field's data categories and, under `fides_meta`, identities, primary
keys and references. Import makes each dataset a system of a new `privacy.yaml`;
export makes each system of a map a dataset.

What does not carry over, and why:

* A fideslang field may list several data categories; a Skydd column has one.
  Import keeps the most specific and reports the others.
* Nested fields (MongoDB documents, JSON columns) have no column name in the map:
  the parent becomes a column, its sub-fields are reported and skipped.
* A fideslang reference has a direction (the order in which Fides walks the graph);
  a Skydd reference says only which column points at which key. Export derives the
  direction from where the identities are (see `_directions`).
* Fides refuses a collection that references itself, so export leaves such
  references out and reports them.
* Fides-only settings (`data_type`, `length`, `after`, masking overrides …) are
  reported, not imported.

Import never guesses a purpose or a legal basis: every table gets the purpose `todo`,
whose legal basis is TODO, so `skydd check` lists what is left to decide.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from skydd.datamap.loader import LoadedMap, SourceMap, load_map
from skydd.datamap.models import TODO, DataMap, ErasureAction, Table
from skydd.datamap.taxonomy import Taxonomy
from skydd.datamap.validate import cross_check
from skydd.datamap.writer import dump_map
from skydd.errors import SkyddError
from skydd.identity import BUILTIN_KINDS

TODO_PURPOSE = "todo"
FIDES_TO_SKYDD_IDENTITY: dict[str, str] = {"email": "email", "phone_number": "phone"}
SKYDD_TO_FIDES_IDENTITY: dict[str, str] = {v: k for k, v in FIDES_TO_SKYDD_IDENTITY.items()}

# The pattern of `Name` in models.py: what a system, table, column or identity may be called.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,127}")
_NAME_RULE = "a name in the map uses letters, digits, '_' and '-'"
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SUFFIXES = (".yml", ".yaml", ".json")
_SHOWN = 5

# Settings Fides uses that Skydd does not model, and what to do instead.
_NOT_IMPORTED: dict[str, str] = {
    "data_type": "Skydd reads column types from the database",
    "length": "Skydd reads column types from the database",
    "read_only": "mark tables whose rows must survive an erasure with 'erasure:' or 'shared:'",
    "return_all_elements": "Skydd does not model arrays",
    "custom_request_field": "Skydd does not model custom request fields",
    "masking_strategy_override": "set 'anonymise:' on the column or 'erasure:' on the table",
    "redact": "Skydd does not redact names",
    "after": "Skydd orders its queries from the references",
    "erase_after": "Skydd orders its queries from the references",
    "skip_processing": "set 'personal: false' on the table, or leave the table out",
    "partitioning": "Skydd does not model partitions",
    "data_uses": "give each table its purposes under 'purposes:'",
    "data_subjects": "give each table its data subjects under 'subjects:'",
    "description": "Skydd has no column descriptions",
    "tags": "Skydd does not model tags",
    "meta": "Skydd does not model free-form metadata",
    "namespace.database_name": "put the database in the connection URL",
    "dataset-level data_categories": "give each column its own category",
    "collection-level data_categories": "give each column its own category",
}


@dataclass(frozen=True)
class ImportResult:
    """A new data map as plain data (for `dump_map`), and what did not carry over."""

    data: dict[str, Any]
    warnings: list[str]
    counts: dict[str, int]


@dataclass(frozen=True)
class ExportResult:
    """A fideslang document `{"dataset": [...]}`, and what did not carry over."""

    document: dict[str, Any]
    warnings: list[str]
    counts: dict[str, int]


# --- reading fideslang -------------------------------------------------------------------


@dataclass(frozen=True)
class _Ref:
    dataset: str
    field: str
    direction: str | None


@dataclass
class _Field:
    name: str
    categories: list[str]
    identity: str | None = None
    primary_key: bool = False
    references: list[_Ref] = field(default_factory=list)
    subfields: list[str] = field(default_factory=list)


@dataclass
class _Collection:
    name: str
    description: str | None
    fields: list[_Field]


@dataclass
class _Dataset:
    key: str
    name: str | None
    description: str | None
    schema: str | None
    collections: list[_Collection]


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = str(value).lower() if isinstance(value, bool) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_fideslang(document: Any) -> bool:
    """A `dataset:` list, or one dataset on its own as the Fides API sends it."""
    if not isinstance(document, dict):
        return False
    return "dataset" in document or {"fides_key", "collections"} <= document.keys()


def _unique(names: Iterable[str], error: Callable[[str], Exception]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise error(name)
        seen.add(name)


class _Reader:
    """Checks the shape of one fideslang file and notes what Skydd does not model."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.unused: dict[str, list[str]] = {}

    def fail(self, where: str, message: str) -> SkyddError:
        return SkyddError(f"{self.file}: {where}: {message}")

    def mapping(self, value: Any, where: str, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected {what} (a mapping), found {_kind(value)}")
        return {str(k): v for k, v in value.items()}

    def items(self, value: Any, where: str, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected {what} as a list, found {_kind(value)}")
        return value

    def text(self, raw: dict[str, Any], key: str, where: str, required: bool = False) -> str | None:
        value = raw.get(key)
        if value is None and required:
            raise self.fail(where, f"'{key}' is missing")
        if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
            return None if value is None else str(value)
        raise self.fail(f"{where}.{key}", f"expected text, found {_kind(value)}")

    def keys(self, raw: dict[str, Any], key: str, where: str) -> list[str]:
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{key}", f"expected a list of keys, found {_kind(value)}")
        return list(dict.fromkeys(value))

    def note(self, setting: str, place: str, value: Any) -> None:
        if value not in (None, False, [], {}, ""):
            self.unused.setdefault(setting, []).append(place)

    def meta(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        value = raw.get("fides_meta") or raw.get("fidesops_meta") or {}
        return self.mapping(value, f"{where}.fides_meta", "fides_meta")

    def datasets(self, document: Any) -> list[_Dataset]:
        if _is_fideslang(document) and "dataset" not in document:
            return [self.dataset(document, "dataset[0]")]  # one dataset, as the Fides API sends it
        if not _is_fideslang(document):
            raise SkyddError(
                f"{self.file}: not a fideslang dataset file: expected a top-level 'dataset:' "
                f"list, found {_kind(document)}",
                hint="export the datasets from Fides, or write "
                "'dataset: [{fides_key: …, collections: […]}]'",
            )
        items = document["dataset"]
        items = [items] if isinstance(items, dict) else self.items(items, "dataset", "datasets")
        return [self.dataset(item, f"dataset[{i}]") for i, item in enumerate(items)]

    def dataset(self, value: Any, where: str) -> _Dataset:
        raw = self.mapping(value, where, "a dataset")
        key = self.text(raw, "fides_key", where, required=True) or ""
        where = f"{where} ({key})"
        meta = self.meta(raw, where)
        namespace = self.mapping(
            meta.pop("namespace", None) or {}, f"{where}.namespace", "a namespace"
        )
        for setting in ("data_categories", "data_uses", "data_subjects", "tags", "meta"):
            level = "dataset-level " if setting == "data_categories" else ""
            self.note(level + setting, key, raw.get(setting))
        for setting, item in meta.items():
            self.note(setting, key, item)
        for setting, item in namespace.items():
            if setting not in ("schema", "connection_type"):
                self.note(f"namespace.{setting}", key, item)
        collections = self.items(raw.get("collections"), where, "'collections:'")
        parsed = [
            self.collection(c, f"{where}.collections[{i}]", key) for i, c in enumerate(collections)
        ]
        _unique(
            [c.name for c in parsed], lambda n: self.fail(where, f"collection '{n}' is given twice")
        )
        schema = self.text(namespace, "schema", f"{where}.namespace")
        label, description = self.text(raw, "name", where), self.text(raw, "description", where)
        return _Dataset(key, label, description, schema, parsed)

    def collection(self, value: Any, where: str, dataset: str) -> _Collection:
        raw = self.mapping(value, where, "a collection")
        name = self.text(raw, "name", where, required=True) or ""
        where, place = f"{where} ({name})", f"{dataset}.{name}"
        for setting in ("data_categories", "data_uses", "data_subjects"):
            level = "collection-level " if setting == "data_categories" else ""
            self.note(level + setting, place, raw.get(setting))
        for setting, item in self.meta(raw, where).items():
            self.note(setting, place, item)
        fields = self.items(raw.get("fields"), where, "'fields:'")
        parsed = [self.field(f, f"{where}.fields[{i}]", place) for i, f in enumerate(fields)]
        _unique([f.name for f in parsed], lambda n: self.fail(where, f"field '{n}' is given twice"))
        return _Collection(name, self.text(raw, "description", where), parsed)

    def field(self, value: Any, where: str, collection: str) -> _Field:
        raw = self.mapping(value, where, "a field")
        name = self.text(raw, "name", where, required=True) or ""
        where, place = f"{where} ({name})", f"{collection}.{name}"
        for setting in ("description", "data_uses", "data_subjects"):
            self.note(setting, place, raw.get(setting))
        meta = self.meta(raw, where)
        identity = self.text(meta, "identity", f"{where}.fides_meta")
        primary_key = meta.get("primary_key") or False
        if not isinstance(primary_key, bool):
            at, found = f"{where}.fides_meta.primary_key", _kind(primary_key)
            raise self.fail(at, f"expected true or false, found {found}")
        for setting, item in meta.items():
            if setting not in ("identity", "primary_key", "references"):
                self.note(setting, place, item)
        nested = []
        subfields = self.items(raw.get("fields") or [], f"{where}.fields", "sub-fields")
        for i, item in enumerate(subfields):
            sub = self.field(item, f"{where}.fields[{i}]", place)
            nested += [f"{name}.{path}" for path in (sub.name, *sub.subfields)]
        refs = self.references(meta.get("references"), f"{where}.fides_meta.references")
        categories = self.keys(raw, "data_categories", where)
        return _Field(name, categories, identity, primary_key, refs, nested)

    def references(self, value: Any, where: str) -> list[_Ref]:
        refs = []
        for i, item in enumerate(self.items(value or [], where, "references")):
            raw = self.mapping(item, f"{where}[{i}]", "a reference")
            dataset = self.text(raw, "dataset", f"{where}[{i}]", required=True) or ""
            target = self.text(raw, "field", f"{where}[{i}]", required=True) or ""
            direction = raw.get("direction")
            if direction not in (None, "from", "to"):
                raise self.fail(
                    f"{where}[{i}].direction", f"expected 'from' or 'to', found {direction!r}"
                )
            refs.append(_Ref(dataset, target, direction))
        return refs


def _read_yaml(file: Path) -> Any:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        hint = "give the path of a fideslang dataset file, e.g. dataset.yml"
        raise SkyddError(f"{file}: file not found", hint=hint) from None
    except UnicodeDecodeError as exc:
        msg = f"{file}: the file is not UTF-8 (byte {exc.start})"
        raise SkyddError(msg, hint="save it as UTF-8") from None
    except OSError as exc:
        raise SkyddError(f"{file}: cannot read the file: {exc.strerror}") from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        hint = "check indentation, colons and quotes on this line and the one above"
        raise SkyddError(f"{file}{at}: broken YAML: {exc.problem or exc}", hint=hint) from None
    except yaml.YAMLError as exc:
        raise SkyddError(f"{file}: broken YAML: {exc}") from None


def _load(path: Path) -> tuple[list[_Dataset], list[str]]:
    """The datasets in a file, or in every YAML/JSON file of a folder, and what was skipped."""
    folder = path.is_dir()
    files = sorted(p for p in path.iterdir() if p.suffix in _SUFFIXES) if folder else [path]
    datasets: list[_Dataset] = []
    warnings: list[str] = []
    unused: dict[str, list[str]] = {}
    for file in files:
        document = _read_yaml(file)
        if folder and not _is_fideslang(document):
            warnings.append(f"{file.name}: holds no fideslang datasets; skipped")
            continue
        reader = _Reader(file)
        datasets += reader.datasets(document)
        for setting, places in reader.unused.items():
            unused.setdefault(setting, []).extend(places)
    if not datasets:
        hint = "a dataset file starts with 'dataset:' and lists 'fides_key:' and 'collections:'"
        raise SkyddError(f"{path}: no fideslang datasets found", hint=hint)
    _unique(
        [d.key for d in datasets],
        lambda k: SkyddError(f"{path}: dataset '{k}' is given twice", hint="rename one of them"),
    )
    for setting, places in unused.items():
        reason = _NOT_IMPORTED.get(setting, "Skydd does not model it")
        warnings.append(f"{setting} not imported on {_shown(places)}: {reason}")
    return datasets, warnings


def _shown(places: list[str]) -> str:
    more = len(places) - _SHOWN
    return ", ".join(places[:_SHOWN]) + (f" and {more} more" if more > 0 else "")


# --- import ------------------------------------------------------------------------------

Node = tuple[str, str]
"""(system, table)"""
Address = tuple[str, str, str]
"""(system, table, column)"""


class _Importer:
    def __init__(self, url: str, connections: Mapping[str, str], country: str) -> None:
        self.url = url
        self.connections = connections
        self.country = country
        self.taxonomy = Taxonomy()
        self.warnings: list[str] = []
        self.identities: dict[str, dict[str, str]] = {}
        self.categories: dict[str, dict[str, str]] = {}
        self.systems: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}
        self.counts = dict.fromkeys(
            ("datasets", "collections", "fields", "references", "identities", "todo", "skipped"), 0
        )

    def run(self, datasets: list[_Dataset]) -> dict[str, Any]:
        unknown = sorted(set(self.connections) - {d.key for d in datasets})
        if unknown:
            raise SkyddError(
                f"connections given for datasets that are not in the file: {', '.join(unknown)}",
                hint="datasets in the file: " + ", ".join(d.key for d in datasets),
            )
        for dataset in datasets:
            self.system(dataset)
        for dataset in datasets:
            for collection in dataset.collections:
                for fld in collection.fields:
                    for ref in fld.references:
                        self.reference((self.keys[dataset.key], collection.name, fld.name), ref)
        data: dict[str, Any] = {"version": 1, "controller": {"name": TODO, "country": self.country}}
        if self.identities:
            data["identities"] = self.identities
        if self.categories:
            data["categories"] = self.categories
        description = (
            "Imported from fides: replace this purpose with the real ones (what the data is "
            "used for, on which legal basis) and list them on each table."
        )
        data["purposes"] = {
            TODO_PURPOSE: {"labels": TODO, "description": description, "legal_basis": TODO}
        }
        data["systems"] = self.systems
        return data

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def system_name(self, key: str) -> str:
        name = key
        if not _NAME.fullmatch(key):
            name = re.sub(r"[^A-Za-z0-9_\-]", "_", key)
            name = (name if re.match(r"[A-Za-z_]", name) else "_" + name)[:128]
            self.warn(f"dataset '{key}' became system '{name}': {_NAME_RULE}")
        if name in self.systems:
            hint = "rename one of the fides_keys"
            raise SkyddError(f"dataset '{key}' and another both become system '{name}'", hint=hint)
        return name

    def system(self, dataset: _Dataset) -> None:
        name = self.keys[dataset.key] = self.system_name(dataset.key)
        self.counts["datasets"] += 1
        system: dict[str, Any] = {}
        if dataset.name:
            system["labels"] = dataset.name
        if dataset.description:
            system["description"] = dataset.description
        system["url"] = self.connections.get(dataset.key, self.url)
        if dataset.schema:
            system["schema"] = dataset.schema
        tables: dict[str, Any] = {}
        system["tables"] = tables
        for collection in dataset.collections:
            place = f"{dataset.key}.{collection.name}"
            if _NAME.fullmatch(collection.name):
                tables[collection.name] = self.table(collection, place)
            else:
                self.counts["skipped"] += len(collection.fields)
                self.warn(f"{place}: collection skipped: {_NAME_RULE}")
        self.systems[name] = system

    def table(self, collection: _Collection, place: str) -> dict[str, Any]:
        self.counts["collections"] += 1
        table: dict[str, Any] = {}
        if collection.description:
            table["description"] = collection.description
        table["purposes"] = [TODO_PURPOSE]
        fields = []
        for fld in collection.fields:
            if _NAME.fullmatch(fld.name):
                fields.append(fld)
            else:
                self.counts["skipped"] += 1 + len(fld.subfields)
                self.warn(f"{place}.{fld.name}: field skipped: {_NAME_RULE}")
        keys = [f.name for f in fields if f.primary_key]
        if keys:
            table["primary_key"] = keys
        table["columns"] = {f.name: self.column(f, f"{place}.{f.name}") for f in fields}
        return table

    def column(self, fld: _Field, place: str) -> dict[str, Any]:
        self.counts["fields"] += 1
        column: dict[str, Any] = {"category": self.category(fld.categories, place)}
        kind = self.identity(fld.identity, place) if fld.identity else None
        if kind:
            column["identity"] = kind
        if fld.subfields:
            self.counts["skipped"] += len(fld.subfields)
            self.warn(
                f"{place}: nested fields skipped ({_shown(fld.subfields)}): a column of the map "
                f"is flat, so '{fld.name}' is one column and their categories, identities and "
                "references are not imported"
            )
        return column

    def category(self, categories: list[str], place: str) -> str:
        if not categories:
            self.counts["todo"] += 1
            return TODO
        best = max(categories, key=lambda c: c.count("."))  # the first of the most specific
        lost = [c for c in categories if c != best and not best.startswith(c + ".")]
        if lost:
            self.warn(
                f"{place}: kept category {best}, dropped {', '.join(lost)}: a column of the map "
                "has one category"
            )
        if self.taxonomy.is_known(best) or best in self.categories:
            return best
        parts = best.split(".")
        parents = (".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1))
        parent = next((p for p in parents if self.taxonomy.is_known(p)), None)
        if parent is None:
            self.counts["todo"] += 1
            self.warn(f"{place}: category '{best}' is unknown and has no known parent; set to TODO")
            return TODO
        self.categories[best] = {"parent": parent, "labels": best}
        self.warn(
            f"category '{best}' is not in Skydd's taxonomy: declared under 'categories:' with "
            f"parent '{parent}'; check it"
        )
        return best

    def identity(self, raw: str, place: str) -> str | None:
        kind = FIDES_TO_SKYDD_IDENTITY.get(raw, raw)
        if not _NAME.fullmatch(kind):
            self.warn(f"{place}: identity '{raw}' skipped: {_NAME_RULE}")
            return None
        self.counts["identities"] += 1
        if kind not in BUILTIN_KINDS and kind not in self.identities:
            self.identities[kind] = {"labels": raw, "normalise": "generic"}
            self.warn(
                f"identity '{raw}' is not built into Skydd: declared under 'identities:' with "
                "'normalise: generic' (values only trimmed)"
            )
        return kind

    def reference(self, holder: Address, ref: _Ref) -> None:
        if not self.imported(holder):
            return  # the field itself was skipped, with a warning
        pointed = self.target(ref, ".".join(holder))
        if pointed is None:
            return
        # The side that declares a reference is normally the foreign key; a primary key that
        # declares one towards a plain column is the other way round.
        if self.is_key(holder) and not self.is_key(pointed):
            holder, pointed = pointed, holder
        (hs, ht, hc), (ps, pt, pc) = holder, pointed
        entry = {"columns": [hc], "to": f"{pt}.{pc}" if ps == hs else f"{ps}.{pt}.{pc}"}
        references = self.systems[hs]["tables"][ht].setdefault("references", [])
        if entry not in references:  # declared on both sides
            references.append(entry)
            self.counts["references"] += 1

    def target(self, ref: _Ref, place: str) -> Address | None:
        system = self.keys.get(ref.dataset)
        parts = ref.field.split(".")
        why = None
        if system is None:
            why = "that dataset is not in the import; import a folder that holds both"
        elif len(parts) != 2:
            why = "a nested field" if len(parts) > 2 else "not 'collection.field'"
        elif not self.imported((system, parts[0], parts[1])):
            why = "no such field was imported"
        if why or system is None:
            self.warn(f"{place}: reference to {ref.dataset}.{ref.field} skipped: {why}")
            return None
        return system, parts[0], parts[1]

    def imported(self, address: Address) -> bool:
        system, table, column = address
        tables = self.systems[system]["tables"]
        return table in tables and column in tables[table]["columns"]

    def is_key(self, address: Address) -> bool:
        system, table, column = address
        return column in self.systems[system]["tables"][table].get("primary_key", [])


def import_fides(
    dataset_path: Path,
    connection_url: str,
    *,
    controller_country: str = "SE",
    connections: Mapping[str, str] | None = None,
) -> ImportResult:
    """A new data map from fideslang datasets: one system per dataset, TODO where Fides is silent.

    `dataset_path` is a dataset file or a folder of them. `connection_url` is the URL of
    every system unless `connections` gives one for a dataset's fides_key.
    """
    country = controller_country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        hint = "give an ISO 3166 code such as SE, DK or GB"
        raise SkyddError(f"'{controller_country}' is not a country code", hint=hint)
    datasets, warnings = _load(Path(dataset_path))
    importer = _Importer(connection_url, connections or {}, country)
    data = importer.run(datasets)
    try:
        datamap = DataMap.model_validate(data)
    except ValidationError as exc:  # a bug in this module, not in the input
        hint = "this is a bug in Skydd's fides import; please report it"
        raise SkyddError(f"the imported map is not valid: {exc}", hint=hint) from None
    issues = cross_check(datamap, SourceMap("the imported map"))
    if issues:
        raise SkyddError("the imported map is not valid:\n" + "\n".join(i.render() for i in issues))
    return ImportResult(data, warnings + importer.warnings, importer.counts)


def write_import(
    dataset_path: Path,
    connection_url: str,
    output: Path,
    force: bool = False,
    *,
    controller_country: str = "SE",
    connections: Mapping[str, str] | None = None,
) -> ImportResult:
    """Import fideslang datasets and write the map; never overwrite a file unless `force`."""
    if output.exists() and not force:
        hint = "choose another file with -o, or overwrite it with --force"
        raise SkyddError(f"{output} already exists", hint=hint)
    result = import_fides(
        dataset_path, connection_url, controller_country=controller_country, connections=connections
    )
    header = [
        f"Imported from the fideslang dataset {Path(dataset_path).name} by `skydd import fides`.",
        "Decide every TODO (the controller, each table's purposes and legal basis, each",
        "column's category), add retention rules, then run `skydd check`.",
    ]
    if result.warnings:
        header += ["", "Not carried over from fides:"] + [f"- {w}" for w in result.warnings]
    _write(output, dump_map(result.data, header="\n".join(header)))
    return result


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SkyddError(f"{path}: cannot write the file: {exc.strerror}") from None


# --- export ------------------------------------------------------------------------------


def _has_identity(table: Table) -> bool:
    return any(c.identity for c in table.columns.values())


def _edges(m: DataMap) -> Iterator[tuple[Node, Node]]:
    """(table that points, table pointed at) for every reference between two tables."""
    for sname, tname, table in m.tables():
        for ref in table.references:
            tsys, ttable, _ = ref.target(sname)
            if (tsys, ttable) != (sname, tname):
                yield (sname, tname), (tsys, ttable)


def _directions(m: DataMap) -> dict[tuple[Node, Node], str]:
    """The fideslang direction of each reference, derived from where the identities are.

    Fides starts a request at the collections that hold an identity and follows the
    references in their direction, so each reference points away from the nearer of
    its two tables ('to': the pointing table is found first; 'from': the table it
    points at is). Between tables equally near, a plain lookup table (no identity, no
    references of its own, like an address) is reached from the table that points at
    it; any other table is the one reached first.
    """
    neighbours: dict[Node, set[Node]] = {}
    for a, b in _edges(m):
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    tables = {(s, t): table for s, t, table in m.tables()}
    depth = {node: 0 for node, table in tables.items() if _has_identity(table)}
    queue = deque(depth)
    while queue:
        node = queue.popleft()
        for other in neighbours.get(node, ()):
            if other not in depth:
                depth[other] = depth[node] + 1
                queue.append(other)
    far = len(tables) + 1
    pointing = {a for a, _ in _edges(m)}
    directions = {}
    for a, b in _edges(m):
        da, db = depth.get(a, far), depth.get(b, far)
        if da != db:
            directions[(a, b)] = "to" if da < db else "from"
        else:
            lookup = not _has_identity(tables[b]) and b not in pointing
            directions[(a, b)] = "to" if lookup else "from"
    return directions


def _kept(m: DataMap) -> set[Node]:
    """Tables whose rows an erasure must not touch: shared, held or kept."""
    kept = {
        (s, t)
        for s, t, table in m.tables()
        if table.shared
        or (table.erasure and table.erasure.action in (ErasureAction.hold, ErasureAction.keep))
    }
    for sname, _, table in m.tables():
        for ref in table.references:
            if ref.shared:
                kept.add(ref.target(sname)[:2])
    return kept


class _Exporter:
    def __init__(self, m: DataMap) -> None:
        self.m = m
        self.directions = _directions(m)
        self.kept = _kept(m)
        self.warnings: list[str] = []
        self.counts = dict.fromkeys(("datasets", "collections", "fields", "references"), 0)
        self.custom: set[str] = set()

    def run(self) -> dict[str, Any]:
        datasets = []
        for sname, system in self.m.systems.items():
            dataset: dict[str, Any] = {"fides_key": sname}
            if system.labels and system.labels.get("en"):
                dataset["name"] = system.labels.get("en")
            if system.description and system.description.get("en"):
                dataset["description"] = system.description.get("en")
            if system.schema_name:
                dataset["fides_meta"] = {"namespace": {"schema": system.schema_name}}
            tables = system.tables.items()
            dataset["collections"] = [self.collection(sname, t, table) for t, table in tables]
            datasets.append(dataset)
            self.counts["datasets"] += 1
        for key in sorted(self.custom):
            self.warnings.append(
                f"category '{key}' is declared in the map, not in fideslang: add it to Fides as "
                "a custom data category"
            )
        return {"dataset": datasets}

    def collection(self, sname: str, tname: str, table: Table) -> dict[str, Any]:
        self.counts["collections"] += 1
        fields: dict[str, dict[str, Any]] = {}
        metas: dict[str, dict[str, Any]] = {}
        for cname, column in table.columns.items():
            fields[cname] = {"name": cname}
            if column.category != TODO:
                fields[cname]["data_categories"] = [column.category]
                if column.category in self.m.categories:
                    self.custom.add(column.category)
            if column.identity:
                identity = SKYDD_TO_FIDES_IDENTITY.get(column.identity, column.identity)
                metas.setdefault(cname, {})["identity"] = identity
        for key in table.primary_key:
            metas.setdefault(key, {})["primary_key"] = True
        for ref in table.references:
            self.reference((sname, tname), ref.columns, ref.target(sname), metas)
        if (sname, tname) in self.kept:
            for cname in fields:
                metas.setdefault(cname, {})["read_only"] = True
        collection: dict[str, Any] = {"name": tname}
        if table.description and table.description.get("en"):
            collection["description"] = table.description.get("en")
        for cname, meta in metas.items():
            fields.setdefault(cname, {"name": cname})["fides_meta"] = meta
        collection["fields"] = list(fields.values())
        self.counts["fields"] += len(fields)
        return collection

    def reference(
        self,
        node: Node,
        columns: list[str],
        target: tuple[str, str, list[str]],
        metas: dict[str, dict[str, Any]],
    ) -> None:
        tsys, ttable, tcols = target
        place = f"{node[0]}.{node[1]}({', '.join(columns)})"
        if (tsys, ttable) == node:
            self.warnings.append(
                f"{place}: reference within the table left out: Fides does not allow a "
                "collection to reference itself"
            )
            return
        if len(columns) > 1:
            self.warnings.append(
                f"{place}: a reference over {len(columns)} columns became one reference per "
                "column: fideslang has no composite keys"
            )
        direction = self.directions[(node, (tsys, ttable))]
        for own, other in zip(columns, tcols, strict=False):
            metas.setdefault(own, {}).setdefault("references", []).append(
                {"dataset": tsys, "field": f"{ttable}.{other}", "direction": direction}
            )
            self.counts["references"] += 1


def export_fides(loaded: LoadedMap) -> ExportResult:
    """A fideslang document with one dataset per system of the map."""
    exporter = _Exporter(loaded.datamap)
    document = exporter.run()
    return ExportResult(document, exporter.warnings, exporter.counts)


def write_export(map_path: str | Path | None, output: Path) -> ExportResult:
    """Export the map at `map_path` (or the default map) to a fideslang YAML file."""
    loaded = load_map(map_path)
    result = export_fides(loaded)
    header = (
        f"fideslang datasets written by `skydd export fides` from {loaded.path.name}.\n"
        "The directions of references follow from where the identities are."
    )
    _write(output, dump_map(result.document, header=header))
    return result

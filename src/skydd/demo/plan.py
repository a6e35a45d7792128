"""How each table of a map is filled: its role, what drives its rows, how many.

The generator knows no company. It reads the map's graph and decides, per table:

- ``child``: rows belong to rows of a parent table (orders of a contact, lines of an
  order), k per parent; the person and company are inherited, so a support case
  carries the same email as the CRM contact it points at.
- ``company``: a shared table (customer companies): one row per company.
- ``company_child``: rows belong to a company (machines, bank accounts, sensors).
- ``person``: a table of people with no parent (newsletter subscribers, web forms):
  one row for a share of the population.
- ``event``: logs keyed by device, cookie or IP (web server logs, analytics).
- ``pool``: tables without personal data (products): a fixed set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from skydd.datamap.models import DataMap, Table
from skydd.demo.population import CUSTOMER, PARTNER, SUPPLIER
from skydd.identity import BUILTIN_KINDS
from skydd.planning.graph import DataGraph, Edge, build_graph

PERSON_KINDS = frozenset({"email", "phone", "personnummer", "cpr", "username", "customer_number"})
PERSON_CATEGORIES = ("user.contact.email", "user.contact.phone_number")

# (keyword in the table's name, mean rows per parent, most rows per parent); first match wins.
CHILD_SIZES: tuple[tuple[str, float, int], ...] = (
    ("lines", 2.5, 10),
    ("messages", 3.0, 12),
    ("traffic", 5.0, 20),
    ("sightings", 4.0, 15),
    ("usage", 4.0, 15),
    ("events", 4.0, 15),
    ("sends", 4.0, 12),
    ("sessions", 2.5, 10),
    ("activities", 3.0, 12),
    ("hits", 0.3, 3),
    ("returns", 0.05, 1),
    ("payments", 0.9, 1),
    ("screenings", 0.6, 1),
    ("credit", 0.5, 2),
    ("kyc", 0.4, 2),
    ("preferences", 1.0, 3),
    ("consents", 0.8, 2),
    ("quotes", 0.8, 4),
    ("cases", 0.5, 4),
    ("tickets", 0.5, 4),
    ("orders", 1.5, 8),
    ("devices", 1.3, 4),
    ("uploads", 0.4, 3),
    ("attachments", 0.4, 3),
    ("feedback", 0.3, 2),
    ("media", 0.2, 3),
    ("registrations", 0.5, 3),
    ("leads", 0.1, 1),
    ("interests", 1.2, 4),
    ("visitors", 2.0, 6),
    ("survey", 0.3, 2),
    ("agreements", 0.3, 2),
    ("subscribers", 0.45, 1),
    ("users", 0.5, 1),
    ("bank", 1.0, 2),
    ("accounts", 0.35, 1),
    ("people", 0.6, 1),
    ("sensors", 4.0, 15),
    ("machines", 2.0, 6),
    ("extracts", 1.5, 4),
    ("invoices", 1.5, 8),
)
PERSON_SHARE: tuple[tuple[str, float], ...] = (
    ("contacts", 0.9),
    ("customers", 0.9),
    ("users", 0.5),
    ("subscribers", 0.4),
    ("people", 0.6),
    ("requests", 0.08),
    ("submissions", 0.15),
    ("chat", 0.12),
    ("leads", 0.1),
)
EVENT_RATE: tuple[tuple[str, float], ...] = (("security", 0.5), ("access", 3.0))
COMPANY_SHARE: tuple[tuple[str, float], ...] = (("accounts", 0.6),)


def _lookup(table: str, pairs: tuple[tuple[str, float], ...], default: float) -> float:
    return next((value for word, value in pairs if word in table), default)


@dataclass
class TablePlan:
    key: str
    system: str
    name: str
    model: Table
    role: str
    driver: Edge | None = None
    refs: list[Edge] = field(default_factory=list)  # every outgoing edge but the driver
    mean: float = 1.0
    cap: int = 4
    share: float = 1.0  # of eligible people or companies
    companies: int = 0  # company roles eligible (0: all)
    depth: int = 0
    tracked: bool = False  # another table points at it
    seq_pk: str | None = None  # single integer key filled with 1, 2, 3 …


def person_kind(kind: str | None, custom: Mapping[str, str]) -> str | None:
    """The built-in kind behind a column's identity kind."""
    if kind is None:
        return None
    if kind in BUILTIN_KINDS:
        return kind
    return custom.get(kind)


def holds_people(table: Table, custom: Mapping[str, str]) -> bool:
    """Rows name a person by email, phone, national id, username or customer number."""
    return any(
        person_kind(col.identity, custom) in PERSON_KINDS
        or col.category.startswith(PERSON_CATEGORIES)
        for col in table.columns.values()
    )


def _is_personal(table: Table) -> bool:
    if table.personal is False:
        return False
    return any(col.category.startswith("user.") for col in table.columns.values())


def _names_company(table: Table) -> bool:
    return any(
        c.category.startswith(
            ("user.professional_information.workplace", "user.contact.organization")
        )
        or name == "name"
        for name, c in table.columns.items()
    )


def _seq_pk(table: Table, ref_columns: set[str]) -> str | None:
    if len(table.primary_key) != 1:
        return None
    key = table.primary_key[0]
    column = table.columns.get(key)
    if column is None or key in ref_columns:
        return None
    untyped_id = column.type is None and (key == "id" or key.endswith("_id"))
    return key if column.type == "integer" or untyped_id else None


def _company_roles(name: str, datamap: DataMap) -> int:
    if "supplier" in name:
        return SUPPLIER
    if "partner" in name:
        return PARTNER
    has_suppliers = any("supplier" in t for _, t, _ in datamap.tables())
    return CUSTOMER if has_suppliers else 0


def plan_tables(datamap: DataMap, graph: DataGraph | None = None) -> list[TablePlan]:
    """Every table of the map, parents before children, with its role."""
    graph = graph or build_graph(datamap)
    custom = {name: decl.normalise for name, decl in datamap.identities.items()}
    plans: dict[str, TablePlan] = {}
    for key in reversed(graph.children_first()):
        node = graph.nodes[key]
        table = datamap.systems[node.system].tables[node.table]
        edges = graph.outgoing.get(key, [])
        ready = [e for e in edges if e.parent in plans and e.parent != key]
        drivers = [e for e in ready if not e.shared and not e.other_person]
        shared = [e for e in ready if e.shared and not e.other_person]
        plan = TablePlan(key, node.system, node.table, table, role="pool")
        ref_columns = {c for e in edges for c in e.child_columns}
        plan.seq_pk = _seq_pk(table, ref_columns)
        if drivers:
            plan.driver = max(
                drivers,
                key=lambda e: (plans[e.parent].depth, e.parent.split(".", 1)[0] == node.system),
            )
            plan.role, plan.depth = "child", plans[plan.driver.parent].depth + 1
            plan.mean, plan.cap = _child_size(node.table, plan.driver.parent)
            if set(table.primary_key) and set(table.primary_key) <= set(plan.driver.child_columns):
                plan.cap = 1  # the key is the parent's key: one row per parent at most
        elif node.shared and (not shared or _names_company(table)):
            plan.role = "company"
            plan.driver = shared[0] if shared else None  # only its companies are eligible
            plan.share = _lookup(node.table, COMPANY_SHARE, 1.0)
            plan.companies = _company_roles(node.table, datamap)
        elif holds_people(table, custom):
            plan.role = "person"
            plan.driver = shared[0] if shared else None
            plan.share = _lookup(node.table, PERSON_SHARE, 0.5)
        elif shared:
            plan.role, plan.driver = "company_child", shared[0]
            plan.mean, plan.cap = _child_size(node.table, shared[0].parent)
        elif _is_personal(table):
            plan.role = "event"
            plan.mean = _lookup(node.table, EVENT_RATE, 2.0)
        # A person's or company's eligibility edge is filled like any reference.
        keep = plan.role in ("child", "company_child")
        plan.refs = [e for e in edges if not keep or e is not plan.driver]
        plans[key] = plan
    for plan in plans.values():
        for edge in plan.refs + ([plan.driver] if plan.driver else []):
            plans[edge.parent].tracked = True
    return list(plans.values())


def _child_size(table: str, parent: str) -> tuple[float, int]:
    parent_table = parent.rsplit(".", 1)[-1]
    if "order" in parent_table and any(w in table for w in ("invoice", "payment")):
        return 0.95, 1
    if "invoice" in parent_table and "payment" in table:
        return 0.9, 1
    return next(((mean, cap) for word, mean, cap in CHILD_SIZES if word in table), (1.0, 4))

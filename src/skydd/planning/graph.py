"""The data map as a graph: tables are nodes, references are edges.

Pure: built from a DataMap alone, no database. Requests walk it to find a
person's rows; erasure orders it children-first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from skydd.datamap.models import DataMap, OnDelete


@dataclass(frozen=True)
class Node:
    """A table, with what matters for finding people in it."""

    key: str  # "system.table"
    system: str
    table: str
    schema: str | None
    primary_key: tuple[str, ...]
    identity_columns: tuple[tuple[str, str], ...]  # (column, identity kind)
    shared: bool
    columns: tuple[str, ...]

    @property
    def holds_people(self) -> bool:
        """A table with identity columns is a record of people, not only of their things."""
        return bool(self.identity_columns)


@dataclass(frozen=True)
class Edge:
    """child.columns → parent.columns (a foreign key, maybe across systems)."""

    child: str
    child_columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    shared: bool
    other_person: bool
    on_delete: OnDelete

    @property
    def cross_system(self) -> bool:
        return self.child.split(".", 1)[0] != self.parent.split(".", 1)[0]


@dataclass
class DataGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    outgoing: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))

    def identity_tables(self, kind: str) -> list[tuple[Node, str]]:
        """Every (table, column) that holds an identity of this kind."""
        return [
            (node, col)
            for node in self.nodes.values()
            for col, k in node.identity_columns
            if k == kind
        ]

    def children_first(self) -> list[str]:
        """Tables ordered so that a table comes before every table it references.

        Cycles (a self-reference, two tables pointing at each other) are broken
        at the edge that closes them; the executor nulls such columns first.
        """
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(key: str) -> None:
            state[key] = 1
            for edge in self.incoming.get(key, []):
                if state.get(edge.child, 0) == 0:
                    visit(edge.child)
            state[key] = 2
            order.append(key)

        for key in self.nodes:
            if state.get(key, 0) == 0:
                visit(key)
        return order


def build_graph(datamap: DataMap) -> DataGraph:
    """The graph of a validated map (cross-references already checked)."""
    graph = DataGraph()
    for sname, system in datamap.systems.items():
        for tname, table in system.tables.items():
            key = f"{sname}.{tname}"
            graph.nodes[key] = Node(
                key=key,
                system=sname,
                table=tname,
                schema=system.schema_name,
                primary_key=tuple(table.primary_key),
                identity_columns=tuple(
                    (c, col.identity) for c, col in table.columns.items() if col.identity
                ),
                shared=table.shared,
                columns=tuple(table.columns),
            )
    for sname, system in datamap.systems.items():
        for tname, table in system.tables.items():
            for ref in table.references:
                tsys, ttable, tcols = ref.target(sname)
                parent = f"{tsys}.{ttable}"
                child = f"{sname}.{tname}"
                other = ref.other_person
                if other is None:
                    other = parent == child and graph.nodes[child].holds_people
                edge = Edge(
                    child=child,
                    child_columns=tuple(ref.columns),
                    parent=parent,
                    parent_columns=tuple(tcols),
                    shared=ref.shared or graph.nodes[parent].shared,
                    other_person=other,
                    on_delete=ref.on_delete,
                )
                graph.edges.append(edge)
                graph.outgoing[edge.child].append(edge)
                graph.incoming[edge.parent].append(edge)
    return graph

"""A record as sheets of cells, each filled from the map or marked as missing.

The Art. 30 records and the registers are built as `Book`s; `skydd.records.output`
writes a book as XLSX, CSV, HTML or JSON. A cell the map cannot fill is never left
blank: it says what is missing, and the book lists every such cell with what to
add to the map, so a gap is seen rather than overlooked.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One value; ``missing`` says why the map could not fill it (the text then says so too)."""

    text: str
    missing: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 30


@dataclass
class Sheet:
    """One table: a record (30(1), 30(2)) or a register."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)

    def add(self, cells: dict[str, Cell]) -> None:
        self.rows.append([cells[c.key] for c in self.columns])

    def missing(self) -> list[tuple[str, Column, Cell]]:
        """(row label, column, cell) for every cell the map could not fill."""
        return [
            (row[0].text, col, cell)
            for row in self.rows
            for col, cell in zip(self.columns, row, strict=True)
            if cell.missing
        ]


@dataclass
class Book:
    """A document of one or more sheets, in one language, as of one day."""

    title: str
    lang: str
    as_of: str
    lines: list[str] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    list_missing: bool = True
    """Add the sheet of what the map could not fill (not for a register of events)."""

    def missing(self) -> list[tuple[Sheet, str, Column, Cell]]:
        return [(s, row, col, cell) for s in self.sheets for row, col, cell in s.missing()]

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    def as_dict(self) -> dict[str, object]:
        """The book as JSON-ready data: one object per row, keyed by column."""
        return {
            "title": self.title,
            "lang": self.lang,
            "as_of": self.as_of,
            "sheets": [
                {
                    "name": s.name,
                    "title": s.title,
                    "columns": [{"key": c.key, "header": c.header} for c in s.columns],
                    "rows": [
                        {c.key: cell.text for c, cell in zip(s.columns, row, strict=True)}
                        for row in s.rows
                    ],
                }
                for s in self.sheets
            ],
            "missing": [
                {
                    "sheet": s.name,
                    "row": row,
                    "column": col.key,
                    "why": cell.missing,
                    "hint": cell.hint,
                }
                for s, row, col, cell in self.missing()
            ],
        }

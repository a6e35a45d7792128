"""Cross-references in a data map: every name it uses must be declared.

These are errors (the map cannot be used), unlike lint findings, which are
gaps in what the law asks of the declaration.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from skydd.datamap.loader import PathT, SourceMap
from skydd.datamap.models import Anchor, DataMap, Table
from skydd.datamap.taxonomy import Category, Taxonomy
from skydd.errors import MapIssue, SkyddError


def taxonomy_for(datamap: DataMap) -> Taxonomy:
    """The built-in taxonomy plus the categories the map declares."""
    extra = [
        Category(
            key=key,
            labels={lang: decl.labels.get(lang) or key for lang in ("sv", "en", "da")},
            parent=decl.parent,
            personal=decl.parent.split(".")[0] == "user",
            special=decl.special,
        )
        for key, decl in datamap.categories.items()
    ]
    return Taxonomy(extra)


def _unknown(what: str, name: str, known: Iterable[str], where: str = "") -> tuple[str, str]:
    options = sorted(known)
    close = difflib.get_close_matches(name, options, n=1)
    hint: str | None
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif options:
        shown = ", ".join(options[:12]) + (" …" if len(options) > 12 else "")
        hint = f"declared: {shown}"
    else:
        hint = f"declare it first under '{what}s:'" if what != "category" else None
    return f"unknown {what} '{name}'{where}", hint or "see docs/datamap.md"


class _Checker:
    def __init__(self, datamap: DataMap, source: SourceMap) -> None:
        self.m = datamap
        self.source = source
        self.issues: list[MapIssue] = []
        self.taxonomy: Taxonomy = taxonomy_for(datamap)

    def add(self, path: PathT, message: str, hint: str | None = None) -> None:
        self.issues.append(self.source.issue(path, message, hint))

    def name_in(self, path: PathT, what: str, name: str, known: Iterable[str]) -> bool:
        known = list(known)
        if name in known:
            return True
        self.add(path, *_unknown(what, name, known))
        return False

    def run(self) -> list[MapIssue]:
        self.controller()
        self.categories()
        self.purposes()
        for sname, system in self.m.systems.items():
            if system.processor:
                self.name_in(
                    ("systems", sname, "processor"),
                    "recipient",
                    system.processor,
                    self.m.recipients,
                )
            for tname, table in system.tables.items():
                self.table(sname, tname, table)
        self.retention()
        self.recipients()
        return self.issues

    def controller(self) -> None:
        from skydd.datamap.authorities import for_country

        try:
            for_country(self.m.controller.country)
        except SkyddError as exc:
            self.add(
                ("controller", "country"),
                f"unknown country '{self.m.controller.country}'",
                exc.hint or "use an ISO 3166 code such as SE, DK or GB",
            )

    def categories(self) -> None:
        for key, decl in self.m.categories.items():
            if not self.taxonomy.is_known(decl.parent):
                self.add(
                    ("categories", key, "parent"),
                    *_unknown("category", decl.parent, self.taxonomy.suggest(decl.parent)),
                )

    def category(self, path: PathT, key: str) -> None:
        if key == "TODO":
            return
        if not self.taxonomy.is_known(key):
            close = self.taxonomy.suggest(key)
            hint = f"did you mean '{close[0]}'?" if close else "see docs/taxonomy.md"
            self.add(
                path, f"unknown data category '{key}'", hint + " Or declare it under 'categories:'."
            )

    def purposes(self) -> None:
        for pname, purpose in self.m.purposes.items():
            for i, subject in enumerate(purpose.subjects):
                self.name_in(
                    ("purposes", pname, "subjects", i), "subject", subject, self.m.subjects
                )

    def table(self, sname: str, tname: str, table: Table) -> None:
        base: PathT = ("systems", sname, "tables", tname)
        for i, subject in enumerate(table.subjects):
            self.name_in(base + ("subjects", i), "subject", subject, self.m.subjects)
        for i, purpose in enumerate(table.purposes):
            self.name_in(base + ("purposes", i), "purpose", purpose, self.m.purposes)
        from skydd.identity import BUILTIN_KINDS

        kinds = set(BUILTIN_KINDS) | set(self.m.identities)
        for cname, column in table.columns.items():
            cpath = base + ("columns", cname)
            self.category(cpath + ("category",), column.category)
            if column.identity:
                self.name_in(cpath + ("identity",), "identity kind", column.identity, kinds)
            for i, purpose in enumerate(column.purposes or []):
                self.name_in(cpath + ("purposes", i), "purpose", purpose, self.m.purposes)
        columns = set(table.columns)
        if columns:
            for i, key in enumerate(table.primary_key):
                self.name_in(base + ("primary_key", i), "column", key, columns)
        for i, ref in enumerate(table.references):
            self.reference(base + ("references", i), sname, columns, ref.columns, ref.target(sname))
        self.erasure(base, table, columns)

    def erasure(self, base: PathT, table: Table, columns: set[str]) -> None:
        if table.erasure:
            if table.erasure.hold:
                self.name_in(
                    base + ("erasure", "hold"), "hold", table.erasure.hold, self.m.retention.holds
                )
            if table.erasure.flag_column and columns:
                self.name_in(
                    base + ("erasure", "flag_column"), "column", table.erasure.flag_column, columns
                )
            if table.erasure.action == "hold" and not table.erasure.hold:
                self.add(
                    base + ("erasure",),
                    "action 'hold' needs the hold that applies",
                    "add 'hold: <name of a hold under retention.holds>'",
                )

    def reference(
        self,
        path: PathT,
        sname: str,
        columns: set[str],
        own: list[str],
        target: tuple[str, str, list[str]],
    ) -> None:
        for i, col in enumerate(own):
            if columns:
                self.name_in(path + ("columns", i), "column", col, columns)
        tsys, ttable, tcols = target
        if tsys not in self.m.systems:
            self.add(path + ("to",), *_unknown("system", tsys, self.m.systems))
            return
        tables = self.m.systems[tsys].tables
        if ttable not in tables:
            self.add(path + ("to",), *_unknown("table", ttable, tables, f" in system '{tsys}'"))
            return
        tcolumns = tables[ttable].columns
        if not tcols:
            self.add(
                path + ("to",),
                "the reference names no column",
                "write 'table.column' or 'system.table.column'",
            )
        for col in tcols:
            if tcolumns and col not in tcolumns:
                self.add(path + ("to",), *_unknown("column", col, tcolumns, f" in {tsys}.{ttable}"))
        if tcols and len(tcols) != len(own):
            self.add(
                path,
                f"{len(own)} column(s) point at {len(tcols)} column(s)",
                "give as many columns on both sides",
            )

    def table_ref(self, path: PathT, ref: str) -> tuple[str, str] | None:
        parts = ref.split(".")
        if len(parts) != 2:
            self.add(path, f"'{ref}' does not name a table", "write 'system.table'")
            return None
        sname, tname = parts
        if sname not in self.m.systems:
            self.add(path, *_unknown("system", sname, self.m.systems))
            return None
        if tname not in self.m.systems[sname].tables:
            tables = self.m.systems[sname].tables
            self.add(path, *_unknown("table", tname, tables, f" in system '{sname}'"))
            return None
        return sname, tname

    def anchor(self, path: PathT, anchor: Anchor | None, scope: list[tuple[str, str]]) -> None:
        if anchor is None:
            return
        refs = [anchor.column] if anchor.column else list(anchor.latest_of or [])
        for i, ref in enumerate(refs):
            if ref is None:
                continue
            p = path + (("column",) if anchor.column else ("latest_of", i))
            self.anchor_column(p, ref, scope)

    def anchor_column(self, path: PathT, ref: str, scope: list[tuple[str, str]]) -> None:
        parts = ref.split(".")
        if len(parts) == 1:
            for sname, tname in scope:
                cols = self.m.systems[sname].tables[tname].columns
                if cols and ref not in cols:
                    self.add(path, *_unknown("column", ref, cols, f" in {sname}.{tname}"))
            return
        if len(parts) == 2 and scope:
            sname, tname, col = scope[0][0], parts[0], parts[1]
        elif len(parts) == 3:
            sname, tname, col = parts
        else:
            self.add(path, f"'{ref}' does not name a column", "write 'column' or 'table.column'")
            return
        found = self.table_ref(path, f"{sname}.{tname}")
        if found:
            cols = self.m.systems[sname].tables[tname].columns
            if cols and col not in cols:
                self.add(path, *_unknown("column", col, cols, f" in {sname}.{tname}"))

    def retention(self) -> None:
        holds = self.m.retention.holds
        for rname, rule in self.m.retention.rules.items():
            base: PathT = ("retention", "rules", rname)
            scope = [
                t
                for i, ref in enumerate(rule.tables)
                if (t := self.table_ref(base + ("tables", i), ref))
            ]
            for i, hold in enumerate(rule.holds):
                self.name_in(base + ("holds", i), "hold", hold, holds)
            self.anchor(base + ("anchor",), rule.anchor, scope)
            for i, cond in enumerate(rule.where):
                self.anchor_column(base + ("where", i, "column"), cond.column, scope)
            if rule.action != "review" and (rule.period is None or rule.anchor is None):
                if rule.criterion is None:
                    self.add(
                        base,
                        "a rule needs 'anchor' and 'period', or a 'criterion' in words",
                        "e.g. anchor: last_contact, period: 7 years",
                    )
        for hname, hold_decl in holds.items():
            hbase: PathT = ("retention", "holds", hname)
            hscope = [
                t
                for i, ref in enumerate(hold_decl.tables)
                if (t := self.table_ref(hbase + ("tables", i), ref))
            ]
            self.anchor(hbase + ("anchor",), hold_decl.anchor, hscope)

    def recipients(self) -> None:
        for i, cookie in enumerate(self.m.cookies):
            if cookie.recipient:
                self.name_in(
                    ("cookies", i, "recipient"), "recipient", cookie.recipient, self.m.recipients
                )
        for rname, rec in self.m.recipients.items():
            base: PathT = ("recipients", rname)
            for i, cat in enumerate(rec.categories):
                self.category(base + ("categories", i), cat)
            for i, purpose in enumerate(rec.purposes):
                self.name_in(base + ("purposes", i), "purpose", purpose, self.m.purposes)


def cross_check(datamap: DataMap, source: SourceMap) -> list[MapIssue]:
    """Every problem with names the map uses but does not declare."""
    return _Checker(datamap, source).run()


def iter_personal_columns(datamap: DataMap) -> Iterator[tuple[str, str, str]]:
    """(system, table, column) for each column whose category is personal data."""
    taxonomy = taxonomy_for(datamap)
    for sname, tname, table in datamap.tables():
        for cname, column in table.columns.items():
            if taxonomy.is_personal(column.category):
                yield sname, tname, cname

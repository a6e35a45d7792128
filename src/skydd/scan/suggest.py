"""`skydd scan --suggest`: a YAML patch for the data map from a scan's findings.

Undeclared columns get the category their values showed; mismatched columns get the
category found, with what was declared in a comment. Forbidden data gets no
suggestion: it is to be removed from the database, not declared.
"""

from __future__ import annotations

from typing import Any

import yaml

from skydd.scan.compare import Finding

_SUGGESTED = ("undeclared", "mismatch", "name_hint")


def patch(findings: list[Finding]) -> str:
    """YAML to merge into privacy.yaml, with comments for what needs a person's decision."""
    systems: dict[str, Any] = {}
    notes: list[str] = []
    for f in findings:
        if f.kind == "forbidden":
            notes.append(
                f"# {f.table}.{f.column}: {f.detector} is never to be stored "
                f"({f.matches} of {f.sampled} values): remove it from the database"
            )
            continue
        if f.kind not in _SUGGESTED or f.severity == "info":
            continue
        system, table = f.table.split(".", 1)
        columns = systems.setdefault(system, {"tables": {}})["tables"].setdefault(
            table, {"columns": {}}
        )["columns"]
        if f.column in columns:
            continue
        columns[f.column] = {"category": f.category}
        if f.kind == "mismatch":
            notes.append(
                f"# {f.table}.{f.column}: declared {f.declared}, but {f.matches} of "
                f"{f.sampled} values are {f.detector}"
            )
    head = ["# Suggested by `skydd scan --suggest`: check each entry before merging."]
    body = yaml.safe_dump({"systems": systems}, sort_keys=False, allow_unicode=True)
    if not systems:
        body = "# nothing to add: every column the scan read holds what the map declares\n"
    return "\n".join([*head, *notes, body]).rstrip("\n") + "\n"

"""`skydd retention`: what is due under the retention rules, and carrying it out."""

from __future__ import annotations

from skydd.cli.common import (
    AsOfOpt,
    FormatOpt,
    MapOpt,
    RuleOpt,
    StoreOpt,
    check_format,
    friendly,
    out,
    parse_date,
    print_json,
    progress_bar,
    retention_app,
)


@retention_app.command("plan")
@friendly
def retention_plan(
    map_path: MapOpt = None,
    as_of: AsOfOpt = None,
    rule: RuleOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Show, per rule and table, how many rows are due and how many are held, and by what.

    Changes nothing. JSON: {"as_of", "rules": [{"rule", "table", "action", "due", "held"}]}.
    """
    from skydd import retention

    check_format(fmt)
    report = retention.plan(
        map_path, as_of=parse_date(as_of, "--as-of") if as_of else None, rule=rule
    )
    if fmt == "json":
        print_json(report.as_dict())
        return
    from rich.table import Table

    table = Table(title=f"Retention as of {report.as_of}", title_justify="left")
    for name in ("rule", "table", "action", "due", "held", "held by"):
        table.add_column(name, justify="right" if name in ("due", "held") else "left")
    for r in report.rules:
        held_by = ", ".join(f"{k}: {v}" for k, v in r.held_by.items())
        table.add_row(r.rule, r.table, r.action, str(r.due), str(r.held), held_by)
    out.print(table)
    for r in report.rules:
        if r.problem:
            out.print(f"[yellow]{r.rule}:{r.table}[/] ", end="")
            out.print(r.problem, markup=False)
    due = sum(r.due for r in report.rules)
    out.print(f"{due} rows due; run `skydd retention run` to carry it out.")


@retention_app.command("run")
@friendly
def retention_run(
    map_path: MapOpt = None,
    as_of: AsOfOpt = None,
    rule: RuleOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Delete or anonymise what is due, in batches, children before parents.

    Every batch is audited; a lock keeps two runs apart; a run that died is finished by
    the next one, and a second run does nothing. Safe from cron.
    """
    from skydd import retention

    check_format(fmt)
    day = parse_date(as_of, "--as-of") if as_of else None
    with progress_bar(disable=fmt == "json") as progress:
        report = retention.run(map_path, as_of=day, rule=rule, store=store, progress=progress)
    if fmt == "json":
        print_json(report.as_dict())
        return
    for label, n in report.done.items():
        out.print(f"  {label:<50} {n:>8}")
    for s in report.skipped:
        out.print(f"[yellow]not carried out[/] {s['rule']}:{s['table']}: ", end="")
        out.print(s["reason"], markup=False)
    total = sum(report.done.values())
    out.print(f"{report.run_id}: {total} rows in {report.batches} batches")

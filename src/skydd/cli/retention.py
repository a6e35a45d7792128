"""`skydd retention`: what is due, carrying it out, the review list; `skydd hold`: legal claims."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from skydd.cli.common import (
    AsOfOpt,
    FormatOpt,
    IdentityOpt,
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
from skydd.cli.common import app as root_app

hold_app = typer.Typer(
    help="Legal holds the DPO places on one person (a legal claim): kept from retention "
    "and erasure until released.",
    no_args_is_help=True,
)
root_app.add_typer(hold_app, name="hold")

ByOpt = Annotated[str, typer.Option("--by", help="Who does it (recorded in the audit log).")]


@retention_app.command("plan")
@friendly
def retention_plan(
    map_path: MapOpt = None,
    as_of: AsOfOpt = None,
    rule: RuleOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Show, per rule and table, how many rows are due and how many are held, and by what.

    Changes nothing. JSON: {"as_of", "rules": [{"rule", "table", "action", "due", "held"}]}.
    """
    from skydd import retention

    check_format(fmt)
    day = parse_date(as_of, "--as-of") if as_of else None
    report = retention.plan(map_path, as_of=day, rule=rule, store=store)
    if fmt == "json":
        print_json(report.as_dict())
        return
    from rich.table import Table

    table = Table(title=f"Retention as of {report.as_of}", title_justify="left")
    for name in ("rule", "table", "action", "due", "held", "held by"):
        table.add_column(name, justify="right" if name in ("due", "held") else "left")
    for r in report.rules:
        held_by = ", ".join(f"{k}: {v}" for k, v in r.held_by.items())
        table.add_row(r.rule, r.table, r.action, str(r.due), str(r.held), escape(held_by))
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


@retention_app.command("review")
@friendly
def retention_review(
    map_path: MapOpt = None,
    as_of: AsOfOpt = None,
    rule: RuleOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """List the rows of review rules past their review date and not reviewed since (AS-7).

    Shows the table, the primary key and the day the review fell due; nothing else of the
    row. JSON: {"as_of", "items": [{"rule", "table", "key", "due_since", "last_reviewed"}]}.
    """
    from skydd.retention.review import review_list

    check_format(fmt)
    day = parse_date(as_of, "--as-of") if as_of else None
    found = review_list(map_path, as_of=day, rule=rule, store=store)
    if fmt == "json":
        print_json(found.as_dict())
        return
    from rich.table import Table

    table = Table(title=f"To review as of {found.as_of}", title_justify="left")
    for name in ("rule", "table", "key", "due since", "last reviewed"):
        table.add_column(name)
    for i in found.items:
        key = ",".join(str(v) for v in i.key)
        table.add_row(i.rule, i.table, escape(key), i.due_since or "", i.last_reviewed or "")
    out.print(table)
    out.print(
        f"{len(found.items)} rows to review; mark them with "
        "`skydd retention reviewed --rule R --key K --by NAME`."
    )


@retention_app.command("reviewed")
@friendly
def retention_reviewed(
    rule: Annotated[str, typer.Option("--rule", help="The review rule.")],
    key: Annotated[
        list[str],
        typer.Option("--key", help="A row's primary key as the review list shows it; repeat."),
    ],
    by: ByOpt,
    note: Annotated[str | None, typer.Option("--note", help="What was checked or changed.")] = None,
    table: Annotated[
        str | None, typer.Option("--table", help="The table, where the rule has several.")
    ] = None,
    map_path: MapOpt = None,
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Mark rows reviewed: they leave the review list until their next review date. Audited."""
    from skydd.retention.review import mark_reviewed

    check_format(fmt)
    day = parse_date(as_of, "--as-of") if as_of else None
    done = mark_reviewed(map_path, rule, key, by=by, note=note, as_of=day, store=store, table=table)
    if fmt == "json":
        print_json({"rule": rule, "reviewed": done})
        return
    for name, n in done.items():
        out.print(f"{name}: {n} row(s) marked reviewed under '{rule}'")


@hold_app.command("add")
@friendly
def hold_add(
    identity: IdentityOpt,
    reason: Annotated[str, typer.Option("--reason", help="The claim, e.g. its case number.")],
    by: ByOpt,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Last day it holds (YYYY-MM-DD); default: until released."),
    ] = None,
    hold: Annotated[
        str | None, typer.Option("--hold", help="The map's hold of scope 'person' it falls under.")
    ] = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Place a legal hold on one person: their rows are kept from retention and erasure.

    The rows found now are held until the hold is released or its --until date has passed;
    the person's identities are kept only as keyed hashes, so an erasure request by any
    of them finds the hold."""
    from skydd.requests.access import parse_identity
    from skydd.retention.holds import add_hold

    check_format(fmt)
    day = parse_date(until, "--until") if until else None
    placed = add_hold(
        map_path,
        [parse_identity(i) for i in identity],
        reason=reason,
        by=by,
        until=day,
        hold=hold,
        store=store,
    )
    if fmt == "json":
        print_json(placed.as_dict())
        return
    rows = sum(placed.rows.values())
    out.print(f"{placed.hold_id}: {rows} row(s) in {len(placed.rows)} table(s) held", end="")
    out.print(f" until {placed.until}" if placed.until else " until released")
    for name, n in placed.rows.items():
        out.print(f"  {name:<40} {n:>6}")


@hold_app.command("list")
@friendly
def hold_list(
    map_path: MapOpt = None,
    store: StoreOpt = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Also holds released or past their date.")
    ] = False,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """The legal holds on people in force (with --all, also those that ended)."""
    from skydd.retention.holds import list_holds

    check_format(fmt)
    day = parse_date(as_of, "--as-of") if as_of else None
    holds = list_holds(map_path, store=store, everything=everything, as_of=day)
    if fmt == "json":
        print_json({"holds": [h.as_dict() for h in holds]})
        return
    from rich.table import Table

    table = Table(title="Legal holds on people", title_justify="left")
    for name in ("id", "reason", "until", "rows", "placed", "released"):
        table.add_column(name)
    for h in holds:
        table.add_row(
            h.hold_id,
            escape(h.reason),
            h.until.isoformat() if h.until else "",
            str(sum(h.rows.values())),
            f"{h.placed_at[:10]} {h.placed_by}",
            f"{h.released_at[:10]} {h.released_by}" if h.released_at else "",
        )
    out.print(table)


@hold_app.command("release")
@friendly
def hold_release(
    hold_id: Annotated[str, typer.Argument(help="The hold's id (LH-…).")],
    by: ByOpt,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Release a legal hold: from now on retention and erasure treat the rows as any other."""
    from skydd.retention.holds import release_hold

    check_format(fmt)
    released = release_hold(map_path, hold_id, by=by, store=store)
    if fmt == "json":
        print_json(released.as_dict())
        return
    out.print(f"{released.hold_id} released by {released.released_by}")

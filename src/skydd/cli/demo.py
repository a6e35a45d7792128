"""`skydd demo`: build a demo company, its databases and a first request."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skydd.cli.common import (
    app,
    friendly,
    out,
    plural,
    progress_bar,
)
from skydd.errors import MissingExtraError


@app.command()
@friendly
def demo(
    company: Annotated[
        str, typer.Argument(help="astrak, acte, entrack, advansor or axsensor.")
    ] = "axsensor",
    directory: Annotated[
        Path, typer.Option("--dir", file_okay=False, help="Where to build it.")
    ] = Path("skydd-demo"),
    people: Annotated[int, typer.Option("--people", min=10, help="How many people.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data.")] = 7,
    postgres: Annotated[
        str | None,
        typer.Option("--postgres", help="Load into this PostgreSQL database instead of SQLite."),
    ] = None,
    mysql: Annotated[
        str | None,
        typer.Option("--mysql", help="Load into this MySQL/MariaDB database instead of SQLite."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild over an earlier demo in --dir.")
    ] = False,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve",
            help="Afterwards, serve the request form, the cookie banner demo and the DPO "
            "dashboard on 127.0.0.1:8000, signed in with a new DPO token.",
        ),
    ] = False,
) -> None:
    """Build a demo company from its example data map, then show Skydd working on it.

    Writes DIR/privacy.yaml and one SQLite database per system (or loads a server),
    checks the map, answers a sample access request for the demo's showcase person and
    shows the retention plan. Same seed, same data.
    """
    from skydd import retention
    from skydd.checking import run_check
    from skydd.datamap.authorities import for_country
    from skydd.demo import build_demo
    from skydd.requests.access import access

    with progress_bar() as progress:
        result = build_demo(
            company,
            directory,
            people=people,
            seed=seed,
            postgres=postgres,
            mysql=mysql,
            force=force,
            progress=progress,
        )
    facts = result.facts
    out.print(
        f"[green]✓[/] built {facts.controller} in {result.directory}: "
        f"{sum(result.rows.values()):,} rows in {len(result.rows)} tables, "
        f"{facts.people:,} people ({result.seconds:.1f} s)"
    )
    report = run_check(result.map_path)
    s = report.summary()
    out.print(
        f"[green]✓[/] skydd check: {plural(s['error'], 'error')}, "
        f"{plural(s['warning'], 'warning')}, "
        f"{plural(s['info'], 'note')}"
    )
    for f in report.findings:
        if f.level == "warning":
            out.print(f"    {f.code} ", end="")
            out.print(f.message, markup=False)
    person = facts.showcase
    found = access(
        result.map_path,
        {"email": person.email},
        out=result.directory / "access",
        lang=for_country(facts.country).reader_lang,
        pdf=False,
    )
    rows = sum(found.counts.values())
    out.print(
        f"[green]✓[/] access request for {person.email}: {rows} rows in "
        f"{len(found.counts)} tables across {len({k.split('.')[0] for k in found.counts})} "
        f"systems, in {found.seconds * 1000:.0f} ms"
    )
    out.print(f"    registerutdrag: {result.directory / 'access' / 'registerutdrag.html'}")
    plan = retention.plan(result.map_path)
    due = sum(r.due for r in plan.rules)
    held = sum(r.held for r in plan.rules)
    out.print(f"[green]✓[/] retention plan today: {due:,} rows due, {held:,} held by legal holds")
    m = f"--map {result.map_path}"
    out.print("\nTry next:")
    out.print(
        f"  skydd request access {m} --identity phone={person.phone} --out /tmp/p --lang en",
        markup=False,
    )
    out.print(f"  skydd retention plan {m}", markup=False)
    out.print(f"  skydd retention run {m}", markup=False)
    out.print(
        "  skydd audit verify --store " + str(result.directory / ".skydd" / "store.db"),
        markup=False,
    )
    if not serve:
        out.print(f"  skydd demo {company} --dir {result.directory} --serve   "
                  "# the web pages and the DPO dashboard", markup=False)  # fmt: skip
        return
    _serve_demo(result.map_path)


def _serve_demo(map_path: Path) -> None:
    """Serve the demo: a DPO token to sign in with, and where to look."""
    from skydd import workflow
    from skydd.store import open_store

    with open_store(default_dir=map_path.parent) as store:
        name = f"demo-dpo-{len(workflow.list_staff(store)) + 1}"
        _, token = workflow.add_staff(store, name, "dpo", actor="demo")
    base = "http://127.0.0.1:8000"
    out.print(f"\nServing {base} (Ctrl-C stops):", markup=False)
    out.print(f"  {base}/                the request form (sv/en/da)", markup=False)
    out.print(f"  {base}/consent/demo    the cookie banner", markup=False)
    out.print(f"  {base}/staff/login     the DPO dashboard; sign in with {token}", markup=False)
    try:
        from skydd.web.server import serve as run_server
    except ImportError as exc:
        raise MissingExtraError(str(exc.name), "web", "skydd demo --serve") from None
    run_server(map_path)

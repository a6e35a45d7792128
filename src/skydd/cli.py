"""The `skydd` command: parse, make one engine call, render. Nothing else lives here."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer
from rich.console import Console

from skydd import __version__
from skydd.errors import SkyddError

app = typer.Typer(
    name="skydd",
    help="Skydd makes a company's privacy policy true, from one data map (privacy.yaml).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
audit_app = typer.Typer(
    help="Skydd's audit log: an append-only, hash-chained record.", no_args_is_help=True
)
import_app = typer.Typer(help="Bring a data map in from another tool.", no_args_is_help=True)
export_app = typer.Typer(help="Write the data map out for another tool.", no_args_is_help=True)
request_app = typer.Typer(help="Answer a data subject request.", no_args_is_help=True)
app.add_typer(request_app, name="request")
retention_app = typer.Typer(
    help="Retention: what is due, and carrying it out.", no_args_is_help=True
)
app.add_typer(retention_app, name="retention")
app.add_typer(audit_app, name="audit")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

MapOpt = Annotated[
    Path | None,
    typer.Option(
        "--map",
        "-m",
        envvar="SKYDD_MAP",
        show_default="./privacy.yaml",
        help="The data map. Also SKYDD_MAP.",
        dir_okay=False,
    ),
]
Format = Literal["text", "json"]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text or json.")]

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> typer.Exit:
    err.print(message, markup=False)
    return typer.Exit(code)


def friendly(func: F) -> F:
    """Turn every error into a clear message and an exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except SkyddError as exc:
            raise _fail(f"error: {exc.render()}", exc.exit_code) from None
        except KeyboardInterrupt:
            raise _fail("interrupted", 130) from None
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            if os.environ.get("SKYDD_DEBUG"):
                raise
            raise _fail(
                f"internal error: {type(exc).__name__}. This is a bug in Skydd; run again with "
                "SKYDD_DEBUG=1 to see where, and report it.",
                70,
            ) from None

    return wrapper  # type: ignore[return-value]


def _check_format(fmt: str, allowed: tuple[str, ...] = ("text", "json")) -> str:
    if fmt not in allowed:
        raise SkyddError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(allowed))
    return fmt


def _json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        out.print(f"skydd {__version__}")
        raise typer.Exit(0)


@app.command()
@friendly
def check(
    map_path: MapOpt = None,
    fmt: FormatOpt = "text",
    today: Annotated[
        str | None, typer.Option("--as-of", help="Judge dates as of this day (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Validate the data map and lint it against GDPR.

    Exit 0 when clean (warnings allowed), 1 with findings at error level,
    2 when the map cannot be read or is invalid.
    """
    from skydd.checking import run_check

    _check_format(fmt)
    as_of = _parse_date(today, "--as-of") if today else None
    report = run_check(map_path, today=as_of)
    if fmt == "json":
        _json(report.as_dict())
    else:
        _render_check(report)
    raise typer.Exit(report.exit_code)


def _render_check(report: Any) -> None:
    if report.issues:
        err.print(
            f"[bold red]✗[/] {report.file} is not a valid data map "
            f"({len(report.issues)} problem{'s' if len(report.issues) != 1 else ''}):"
        )
        for issue in report.issues:
            err.print(issue.render(), markup=False)
        return
    colours = {"error": "red", "warning": "yellow", "info": "blue"}
    for f in report.findings:
        where = f"{report.file}:{f.line}" if f.line else str(report.file)
        out.print(
            f"{where}: [{colours[f.level]}]{f.level}[/] {f.code} "
            f"[dim]({', '.join(f.rule.legal)})[/] ",
            end="",
        )
        out.print(f.message, markup=False)
        if f.hint:
            out.print(f"  hint: {f.hint}", markup=False, style="dim")
    s = report.summary()
    mark = "[green]✓[/]" if report.exit_code == 0 else "[red]✗[/]"
    out.print(
        f"{mark} {report.file}: {s['systems']} systems, {s['tables']} tables, "
        f"{s['columns']} columns, {s['purposes']} purposes; "
        f"{_n(s['error'], 'error')}, {_n(s['warning'], 'warning')}, {_n(s['info'], 'note')}"
    )


@contextmanager
def _progress_bar(disable: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar on stderr, one task per label, as a `(label, done, total)` callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=disable,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        yield progress


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SkyddError(f"{option}: '{text}' is not a date", hint="write YYYY-MM-DD") from None


@app.command()
@friendly
def init(
    db: Annotated[
        list[str],
        typer.Option(
            "--db",
            help="A database to read, as a URL: sqlite:///shop.db, "
            "postgresql://user@host/db, mysql://user@host/db. Repeat for each.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", dir_okay=False, help="The data map to write.")
    ] = Path("privacy.yaml"),
    sample: Annotated[
        int,
        typer.Option(
            "--sample", min=0, help="Values read per column to guess what it holds; 0 reads none."
        ),
    ] = 50,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Draft a data map from your databases: tables, keys, references, guessed categories.

    What only you know (controller, purposes, legal bases, retention) is left as TODO
    for `skydd check` to list. Exit 0 when written, 2 when a database cannot be read
    or the file already exists.
    """
    from skydd.datamap.introspect import init_map

    r = init_map(db, output, sample=sample, force=force)
    for item in r.skipped:
        err.print(f"left out: {item}", markup=False, style="yellow")
    out.print(
        f"[green]✓[/] wrote {r.path}: {r.systems} systems, {r.tables} tables, "
        f"{r.columns} columns ({r.guessed} guessed, {r.todo} TODO), "
        f"{r.references} references, {r.identities} identity columns"
    )
    if r.secrets:
        out.print(
            f"passwords were left out of the URLs: export {', '.join(r.secrets)}", markup=False
        )
    out.print(f"next: fill in the TODOs, then run: skydd check --map {r.path}", markup=False)


@app.command()
@friendly
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Print the JSON Schema of privacy.yaml, for editors that validate and complete it."""
    from skydd.datamap.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


@audit_app.command("verify")
@friendly
def audit_verify(
    store: Annotated[
        str | None, typer.Option("--store", envvar="SKYDD_DATABASE_URL", help="Skydd's store URL.")
    ] = None,
    fmt: FormatOpt = "text",
) -> None:
    """Check that no audit event was changed, removed, inserted, reordered or cut off.

    Exit 0 when the chain is intact, 1 when it was tampered with.
    """
    from skydd.store import open_store

    _check_format(fmt)
    with open_store(store) as st:
        result = st.audit.verify()
    if fmt == "json":
        _json(result.as_dict())
    else:
        for p in result.problems:
            where = (
                f"event {p.seq}: "
                if p.seq is not None and not p.message.startswith("event ")
                else ""
            )
            err.print(f"[red]✗[/] {p.kind}: {where}", end="")
            err.print(p.message, markup=False)
        if result.ok:
            out.print(f"[green]✓[/] audit chain intact: {result.checked} events")
    raise typer.Exit(0 if result.ok else 1)


@import_app.command("fides")
@friendly
def import_fides(
    dataset: Annotated[
        Path, typer.Argument(help="A fideslang dataset file (dataset.yml), or a folder of them.")
    ],
    connection: Annotated[
        str,
        typer.Option(
            "--connection",
            "-c",
            help="SQLAlchemy URL of the database the datasets describe, for every system. "
            "Quote ${ENV} references ('${SHOP_URL}') to keep them in the map.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The data map to write.", dir_okay=False)
    ] = Path("privacy.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file.")] = False,
    country: Annotated[
        str, typer.Option("--country", help="The controller's country (ISO 3166 code).")
    ] = "SE",
) -> None:
    """Write a new data map from fideslang datasets (Fides by Ethyca).

    Every dataset becomes a system, every collection a table, every field a column.
    What Fides does not say (purposes, legal bases, retention) is left as TODO, so
    `skydd check` lists it. What Skydd cannot hold is printed as warnings.
    """
    from skydd.datamap.fides import write_import

    result = write_import(dataset, connection, output, force, controller_country=country)
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    c = result.counts
    out.print("[green]✓[/] ", end="")
    out.print(
        f"wrote {output}: {c['datasets']} systems, {c['collections']} tables, {c['fields']} "
        f"columns ({c['todo']} without a category), {c['references']} references. "
        f"Decide the TODOs, then run: skydd check --map {output}",
        markup=False,
    )


@export_app.command("fides")
@friendly
def export_fides(
    map_path: MapOpt = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The fideslang file to write.", dir_okay=False)
    ] = Path("dataset.yml"),
) -> None:
    """Write the data map as fideslang datasets, one per system, for Fides.

    References get the direction Fides needs from where the identities are; shared
    and legally held tables are marked read-only so a Fides erasure leaves them.
    """
    from skydd.datamap.fides import write_export

    result = write_export(map_path, output)
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    c = result.counts
    out.print("[green]✓[/] ", end="")
    out.print(
        f"wrote {output}: {c['datasets']} datasets, {c['collections']} collections, "
        f"{c['fields']} fields, {c['references']} references",
        markup=False,
    )


VerifyOpt = Annotated[
    str,
    typer.Option(
        "--verify",
        help="How to search again afterwards: thorough (read and normalise whole identity "
        "columns, catches any format) or indexed (the request's own search, faster).",
    ),
]


@request_app.command("erase")
@friendly
def request_erase(
    identity: Annotated[
        list[str] | None,
        typer.Option(
            "--identity",
            "-i",
            help="KIND=VALUE, e.g. email=anna@example.se; repeat for "
            "more (phone=…, personnummer=…, or a kind the map declares).",
        ),
    ] = None,
    map_path: MapOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; change and record nothing.")
    ] = False,
    resume: Annotated[
        str | None,
        typer.Option(
            "--resume",
            metavar="REQUEST_ID",
            help="Take up an interrupted erasure; rerunning with the same identities does too.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Folder for the receipt (JSON, HTML, PDF).", file_okay=False
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the receipt: sv, en or da.")
    ] = "sv",
    fmt: FormatOpt = "text",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Judge legal holds as of this day (YYYY-MM-DD); default today."
        ),
    ] = None,
    hold: Annotated[
        list[str] | None,
        typer.Option(
            "--hold",
            help="A hold of scope 'person' the DPO placed on this person; repeat for more.",
        ),
    ] = None,
    verify: VerifyOpt = "thorough",
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf",
            help="Write the PDF receipt (default: when the pdf extra is installed).",
        ),
    ] = None,
    thorough: ThoroughOpt = False,
    store: StoreOpt = None,
) -> None:
    """Right to erasure: delete, anonymise or keep under a legal hold, as the map says; verify.

    Answers Art. 17 GDPR. Rows a law requires to keep are blocked (recorded, and flagged
    where the map names a flag column) until their hold ends. Afterwards the person is
    searched again; anything left outside a declared hold or keep fails the request:
    exit 1 and "verified": false. JSON: {"request_id", "erased": {"system.table": n},
    "anonymised": {…}, "kept": [{"table", "rows", "reason", "until"}], "verified"}.
    """
    from skydd.requests.access import parse_identity
    from skydd.requests.erasure import erase, render_text

    _check_format(fmt)
    result = erase(
        map_path,
        [parse_identity(i) for i in identity] if identity else None,
        dry_run=dry_run,
        resume=resume,
        out=out_dir,
        lang=lang,
        pdf=pdf,
        as_of=_parse_date(as_of, "--as-of") if as_of else None,
        store=store,
        thorough=thorough,
        verify=verify,
        holds=hold or [],
    )
    if fmt == "json":
        _json(result.as_json())
    else:
        for line in render_text(result):
            out.print(line, markup=False)
    if not result.dry_run and not result.verified:
        raise typer.Exit(1)


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
        typer.Option("--serve/--no-serve", help="Start the dashboard afterwards (not built yet)."),
    ] = True,
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

    with _progress_bar() as progress:
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
        f"[green]✓[/] skydd check: {_n(s['error'], 'error')}, {_n(s['warning'], 'warning')}, "
        f"{_n(s['info'], 'note')}"
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
    if serve:
        out.print("(the dashboard, `skydd serve`, is not built yet; --no-serve silences this)")


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Judge the rules as of this day (YYYY-MM-DD); default today."),
]
RuleOpt = Annotated[str | None, typer.Option("--rule", help="Only this rule.")]


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

    _check_format(fmt)
    report = retention.plan(
        map_path, as_of=_parse_date(as_of, "--as-of") if as_of else None, rule=rule
    )
    if fmt == "json":
        _json(report.as_dict())
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

    _check_format(fmt)
    day = _parse_date(as_of, "--as-of") if as_of else None
    with _progress_bar(disable=fmt == "json") as progress:
        report = retention.run(map_path, as_of=day, rule=rule, store=store, progress=progress)
    if fmt == "json":
        _json(report.as_dict())
        return
    for label, n in report.done.items():
        out.print(f"  {label:<50} {n:>8}")
    for s in report.skipped:
        out.print(f"[yellow]not carried out[/] {s['rule']}:{s['table']}: ", end="")
        out.print(s["reason"], markup=False)
    total = sum(report.done.values())
    out.print(f"{report.run_id}: {total} rows in {report.batches} batches")


def click_command() -> typer._click.Command:
    """A fresh click command tree of `skydd`, for the generated CLI reference (docsgen).

    Typer 0.29 vendors click as `typer._click`, so this is the type it returns.
    """
    return typer.main.get_command(app)


IdentityOpt = Annotated[
    list[str],
    typer.Option(
        "--identity",
        "-i",
        help="KIND=VALUE, e.g. email=anna@example.se; repeat for "
        "more (phone=…, personnummer=…, or a kind the map declares).",
    ),
]
StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="SKYDD_DATABASE_URL",
        help="Skydd's own store (default: .skydd/store.db beside the map).",
    ),
]
ThoroughOpt = Annotated[
    bool,
    typer.Option(
        "--thorough",
        help="Read and normalise whole identity columns, to match "
        "values stored in any format (slower on big tables).",
    ),
]


@request_app.command("access")
@friendly
def request_access(
    identity: IdentityOpt,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the registerutdrag.", file_okay=False)
    ],
    map_path: MapOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="sv, en or da.")] = "sv",
    fmt: FormatOpt = "text",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of the report (YYYY-MM-DD).")
    ] = None,
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf", help="Write the PDF (default: when the pdf extra is installed)."
        ),
    ] = None,
    thorough: ThoroughOpt = False,
    store: StoreOpt = None,
) -> None:
    """Right of access: find the person in every system and write the registerutdrag.

    Answers Art. 15 GDPR.

    Writes data.json, one CSV per table, registerutdrag.html and (with the pdf
    extra) registerutdrag.pdf into --out.
    """
    from skydd.requests.access import access, parse_identity

    _check_format(fmt)
    result = access(
        map_path,
        [parse_identity(i) for i in identity],
        out=out_dir,
        lang=lang,
        as_of=_parse_date(as_of, "--as-of") if as_of else None,
        store=store,
        thorough=thorough,
        pdf=pdf,
    )
    if fmt == "json":
        _json(result.as_json())
        return
    _render_counts(result, "access")


def _render_counts(result: Any, what: str) -> None:
    if not result.found:
        out.print(f"{result.request_id}: no personal data found for these identities.")
    else:
        total = sum(result.counts.values())
        out.print(f"{result.request_id}: {total} rows in {len(result.counts)} tables")
        for key, n in sorted(result.counts.items()):
            out.print(f"  {key:<40} {n:>6}")
    if result.ambiguous:
        out.print(
            f"[yellow]{len(result.ambiguous)} record(s) may belong to someone else; "
            "review them before releasing the report.[/]"
        )
    if result.out:
        out.print(f"wrote {what} files to {result.out}")


@request_app.command("export")
@friendly
def request_export(
    identity: IdentityOpt,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the export.", file_okay=False)
    ],
    map_path: MapOpt = None,
    fmt: FormatOpt = "text",
    thorough: ThoroughOpt = False,
    store: StoreOpt = None,
) -> None:
    """Data portability: the data the person provided, under consent or contract, as JSON and CSV.

    Answers Art. 20 GDPR: only tables the person provided, processed under consent or a
    contract.
    """
    from skydd.requests.access import export, parse_identity

    _check_format(fmt)
    result = export(
        map_path, [parse_identity(i) for i in identity], out=out_dir, store=store, thorough=thorough
    )
    if fmt == "json":
        _json(result.as_json())
        return
    _render_counts(result, "portability")


def main() -> None:
    """Entry point of the `skydd` script.

    Leaves through os._exit once output is flushed: tearing down a large data map's
    hundreds of thousands of objects at interpreter exit costs a tenth of a second and
    achieves nothing. Databases and the store are closed by then (context managers).
    """
    code = 0
    try:
        app(standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()

"""What every `skydd` command module shares: the app, its groups, options and error handling."""

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


def fail(message: str, code: int) -> typer.Exit:
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
            raise fail(f"error: {exc.render()}", exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            if os.environ.get("SKYDD_DEBUG"):
                raise
            raise fail(
                f"internal error: {type(exc).__name__}. This is a bug in Skydd; run again with "
                "SKYDD_DEBUG=1 to see where, and report it.",
                70,
            ) from None

    return wrapper  # type: ignore[return-value]


def check_format(fmt: str, allowed: tuple[str, ...] = ("text", "json")) -> str:
    if fmt not in allowed:
        raise SkyddError(f"unknown format '{fmt}'", hint="use one of: " + ", ".join(allowed))
    return fmt


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        out.print(f"skydd {__version__}")
        raise typer.Exit(0)


@contextmanager
def progress_bar(disable: bool = False) -> Iterator[Callable[[str, int, int], None]]:
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


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SkyddError(f"{option}: '{text}' is not a date", hint="write YYYY-MM-DD") from None


VerifyOpt = Annotated[
    str,
    typer.Option(
        "--verify",
        help="How to search again afterwards: thorough (read and normalise whole identity "
        "columns, catches any format) or indexed (the request's own search, faster).",
    ),
]


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Judge the rules as of this day (YYYY-MM-DD); default today."),
]
RuleOpt = Annotated[str | None, typer.Option("--rule", help="Only this rule.")]


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

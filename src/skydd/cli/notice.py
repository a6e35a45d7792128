"""`skydd notice`: the privacy notice from the data map; publish, list and compare versions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from skydd.cli.common import (
    MapOpt,
    StoreOpt,
    app,
    check_format,
    err,
    fail,
    friendly,
    out,
    print_json,
)

notice_app = typer.Typer()
app.add_typer(notice_app, name="notice")

LangOpt = Annotated[
    str | None,
    typer.Option("--lang", "-l", help="sv, en or da (default: the controller's country's)."),
]
RequestUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--request-url",
        help="The request form's address for the rights section (default: SKYDD_REQUEST_URL, "
        "else SKYDD_BASE_URL/request; without either, people are told to write).",
    ),
]


def _print_gaps(gaps: list[object], *, stream_err: bool) -> None:
    console = err if stream_err else out
    for gap in gaps:
        console.print(f"  missing: {gap.render()}", markup=False)  # type: ignore[attr-defined]


def _stamp(loaded: Any, store: str | None, url: str | None) -> dict[str, str] | None:
    """The published version these texts are, looked up only where a store already exists."""
    from skydd import notice as engine
    from skydd.store import open_store

    if store is None and not (loaded.directory / ".skydd" / "store.db").is_file():
        return None
    with open_store(store, default_dir=loaded.directory) as st:
        version = engine.published(loaded, st, url)
    return {"id": version.version_id, "date": version.effective} if version else None


@notice_app.callback(invoke_without_command=True)
@friendly
def notice(
    ctx: typer.Context,
    map_path: MapOpt = None,
    lang: LangOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html, md, pdf or json.")] = "html",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Only list the Art. 13/14 items the map cannot fill; exit 1 if there are any.",
        ),
    ] = False,
    request_url: RequestUrlOpt = None,
    store: StoreOpt = None,
) -> None:
    """The privacy notice (Art. 13 and 14) from the data map; publish and compare versions.

    Without a command, writes the notice: every Art. 13 and 14 item, in sv, en or da.
    Items the map cannot fill yet are listed on stderr (the notice is written all the
    same, exit 0). With --check only that list is printed, and the exit code is 1 when
    any item is missing. A PDF needs -o FILE. When the store holds a published version
    with these very texts, the notice shows its id and date.
    """
    if ctx.invoked_subcommand is not None:
        return
    from skydd import notice as engine

    loaded = engine.loaded(map_path)
    url = engine.request_url(request_url)
    langs = (lang,) if lang else ("sv", "en", "da")
    gaps = engine.check(loaded, langs, request=url)
    if check:
        if not gaps:
            out.print("The map fills every Art. 13 and 14 item.")
            return
        out.print(f"{len(gaps)} notice items the map cannot fill yet:")
        _print_gaps(list(gaps), stream_err=False)
        raise typer.Exit(1)
    check_format(fmt, ("html", "md", "pdf", "json"))
    if fmt == "pdf" and output is None:
        raise fail("error: a PDF goes to a file: add -o notice.pdf", 2)
    text = engine.write(loaded, lang=lang, fmt=fmt, request=url, version=_stamp(loaded, store, url))
    if output is not None:
        if isinstance(text, bytes):
            output.write_bytes(text)
        else:
            output.write_text(text, encoding="utf-8")
    elif isinstance(text, str):
        sys.stdout.write(text)
    if gaps:
        err.print(f"notice: {len(gaps)} items the map cannot fill yet:", markup=False)
        _print_gaps(list(gaps), stream_err=True)


@notice_app.command("publish")
@friendly
def notice_publish(
    map_path: MapOpt = None,
    langs: Annotated[
        str, typer.Option("--lang", "-l", help="Languages published, comma-separated.")
    ] = "sv,en,da",
    request_url: RequestUrlOpt = None,
    store: StoreOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Store the notice as a new version (id, hash of its texts, the map's hash, date).

    Publishing texts identical to the newest version stores nothing and prints that
    version. The consent ledger and the banner refer to the newest version.
    """
    from skydd import notice as engine
    from skydd.store import open_store

    check_format(fmt)
    loaded = engine.loaded(map_path)
    chosen = tuple(x.strip() for x in langs.split(",") if x.strip())
    with open_store(store, default_dir=loaded.directory) as st:
        version = engine.publish(loaded, st, langs=chosen, request=engine.request_url(request_url))
    if fmt == "json":
        print_json(version.as_dict())
        return
    what = "published" if version.created else "unchanged; still"
    out.print(
        f"{what} {version.version_id} ({', '.join(version.languages)}), sha256 {version.sha256}",
        markup=False,
    )


@notice_app.command("list")
@friendly
def notice_list(
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List the published notice versions, oldest first."""
    from skydd import notice as engine
    from skydd.notice.versions import store_dir
    from skydd.store import open_store

    check_format(fmt)
    with open_store(store, default_dir=store_dir(map_path)) as st:
        versions = engine.list_versions(st)
    if fmt == "json":
        print_json([v.as_dict() for v in versions])
        return
    if not versions:
        out.print("No notice published yet: run `skydd notice publish`.")
        return
    for v in versions:
        out.print(
            f"{v.version_id:<5} {v.effective}  {','.join(v.languages):<9} {v.sha256[:16]}  "
            f"map {v.map_sha256[:12]}",
            markup=False,
        )


@notice_app.command("diff")
@friendly
def notice_diff(
    old: Annotated[str, typer.Argument(help="The earlier version: v1 or 1.")],
    new: Annotated[str, typer.Argument(help="The later version.")],
    map_path: MapOpt = None,
    lang: Annotated[str, typer.Option("--lang", "-l", help="sv, en or da.")] = "en",
    store: StoreOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Say in plain words what changed between two published versions.

    Computed from what each version declared (purposes, legal bases, retention, recipients,
    transfers, cookies, categories), not from a text diff.
    """
    from skydd import notice as engine
    from skydd.notice.versions import store_dir
    from skydd.store import open_store

    check_format(fmt)
    engine.check_lang(lang)
    with open_store(store, default_dir=store_dir(map_path)) as st:
        changes = engine.diff(st, old, new, lang=lang)
    if fmt == "json":
        print_json({"from": old, "to": new, "changes": changes})
        return
    for line in changes:
        out.print(f"- {line}", markup=False)

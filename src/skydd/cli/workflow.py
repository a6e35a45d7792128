"""`skydd deadline`, `skydd requests` (the queue) and `skydd staff` (people and roles)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skydd.cli.common import (
    FormatOpt,
    IdentityOpt,
    MapOpt,
    StoreOpt,
    app,
    check_format,
    friendly,
    out,
    parse_date,
    print_json,
)
from skydd.errors import SkyddError

if TYPE_CHECKING:
    from skydd.store import Store
    from skydd.workflow import Request

requests_app = typer.Typer(
    help="The request queue: every data subject request, its state and its deadline.",
    no_args_is_help=True,
)
app.add_typer(requests_app, name="requests")
staff_app = typer.Typer(
    help="Staff who work with Skydd, their roles and their tokens.", no_args_is_help=True
)
app.add_typer(staff_app, name="staff")

ActorOpt = Annotated[
    str,
    typer.Option("--actor", envvar="SKYDD_ACTOR", help="Who does this, for the record."),
]
IdArg = Annotated[str, typer.Argument(help="The request's id, e.g. RQ-1a2b3c4d5e6f.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why, in a sentence (recorded).")]
_WITHIN = re.compile(r"^\s*(\d+)\s*([dw]?)\s*$")


@contextmanager
def _open(map_path: Path | None, store: str | None) -> Iterator[Store]:
    """The store given, else the one beside the map (./.skydd/store.db)."""
    from skydd.datamap.loader import resolve_map_path
    from skydd.store import open_store

    folder = resolve_map_path(map_path).expanduser().resolve().parent
    with open_store(store, default_dir=folder) as opened:
        yield opened


def _days(text: str) -> int:
    match = _WITHIN.match(text)
    if not match:
        raise SkyddError(f"--due-within: '{text}' is not a number of days", hint="e.g. 7d or 2w")
    return int(match.group(1)) * (7 if match.group(2) == "w" else 1)


def _show(req: Request, fmt: str) -> None:
    if fmt == "json":
        print_json(req.as_json())
        return
    from datetime import date

    flag = f"  (repeat of {req.repeat_of})" if req.repeat_of else ""
    left = req.days_left(date.today())
    when = "" if not req.is_open else f" ({left} days left)" if left >= 0 else " (OVERDUE)"
    out.print(
        f"{req.id}: {req.kind.value}, {req.state.value}, due {req.due}{when}{flag}", markup=False
    )


@app.command("deadline")
@friendly
def deadline_cmd(
    received: Annotated[str, typer.Option("--received", help="Day of receipt (YYYY-MM-DD).")],
    country: Annotated[
        str, typer.Option("--country", help="The controller's country (ISO 3166): SE, DK, GB …")
    ],
    subdivision: Annotated[
        str | None,
        typer.Option("--subdivision", help="Where holidays differ by region, e.g. SCT, ENG."),
    ] = None,
    months: Annotated[
        int, typer.Option("--months", help="1, or 3 for an extended request (DSR-2).")
    ] = 1,
    fmt: FormatOpt = "text",
) -> None:
    """When a data subject request must be answered (Art. 12(3); LEGAL.md DSR-1).

    One month after the day of receipt by Reg. 1182/71 (31 January → end of February),
    moved to the next working day of the country's public holiday calendar. Text: the ISO
    date on the first line, the rule on the next. JSON: {"date", "rule"}.
    """
    from skydd.workflow import deadline

    check_format(fmt)
    result = deadline(
        parse_date(received, "--received"), country, months=months, subdivision=subdivision
    )
    if fmt == "json":
        print_json(result.as_json())
        return
    out.print(result.date.isoformat(), markup=False)
    out.print(result.rule, markup=False)


@requests_app.command("list")
@friendly
def requests_list(
    due_within: Annotated[
        str | None,
        typer.Option("--due-within", help="Open requests due within this many days: 7d, 2w."),
    ] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only this state.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many (1-1000).")] = 100,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """The queue, soonest deadline first. JSON: {"requests": [{"id", "kind", "state", "due", …}]}.

    Shows no identity values; `skydd requests show ID --reveal` does, and is recorded.
    """
    from skydd.workflow import list_requests

    check_format(fmt)
    with _open(map_path, store) as opened:
        found = list_requests(
            opened,
            state=state,
            kind=kind,
            due_within=_days(due_within) if due_within else None,
            limit=limit,
            offset=offset,
        )
    if fmt == "json":
        print_json({"requests": [r.as_json() for r in found]})
        return
    if not found:
        out.print("no requests")
    for req in found:
        _show(req, "text")


@requests_app.command("show")
@friendly
def requests_show(
    request_id: IdArg,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Also print the identities (recorded as a read).")
    ] = False,
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """One request and its history. JSON: the request and {"events": […]}."""
    from skydd.store import StaffAction
    from skydd.workflow import events, get

    check_format(fmt)
    with _open(map_path, store) as opened:
        req = get(opened, request_id, reveal=reveal)
        history = events(opened, request_id)
        if reveal:
            target = f"request:{req.id}"
            opened.audit.append(StaffAction(actor=actor, action="read", target=target), actor)
    if fmt == "json":
        data = req.as_json() | {"events": [e.as_json() for e in history]}
        if reveal:
            data["identities"] = [list(p) for p in req.identities or ()]
        print_json(data)
        return
    _show(req, "text")
    for key in ("channel", "lang", "received_at", "original_due", "reason", "result_ref"):
        value = req.as_json()[key]
        if value:
            out.print(f"  {key:<13} {value}", markup=False)
    if reveal:
        shown = ", ".join(f"{k}={v}" for k, v in req.identities or ()) or "(cleared)"
        out.print(f"  identities    {shown}", markup=False)
    for e in history:
        why = f": {e.reason}" if e.reason else ""
        out.print(f"  {e.at:%Y-%m-%d %H:%M} {e.actor} {e.action} → {e.to_state}{why}", markup=False)


@requests_app.command("submit")
@friendly
def requests_submit(
    kind: Annotated[
        str, typer.Argument(help="access, export, erase, rectify, restrict, object, withdraw.")
    ],
    identity: IdentityOpt,
    channel: Annotated[
        str, typer.Option("--channel", help="How it came: email, phone, post, in-person …")
    ] = "email",
    lang: Annotated[str, typer.Option("--lang", help="The person's language: sv, en, da.")] = "sv",
    received: Annotated[
        str | None, typer.Option("--received", help="Day of receipt (default: now).")
    ] = None,
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Put a request that came by mail, phone or in person into the queue (state received)."""
    from skydd.datamap.loader import load_map
    from skydd.requests.access import parse_identity
    from skydd.workflow import submit

    check_format(fmt)
    loaded = load_map(map_path)
    when = None
    if received:
        day = parse_date(received, "--received")
        when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    with _open(loaded.path, store) as opened:
        req = submit(
            opened,
            loaded,
            kind=kind,
            identities=[parse_identity(i) for i in identity],
            channel=channel,
            lang=lang,
            received_at=when,
            actor=actor,
        )
    _show(req, fmt)


@requests_app.command("verify")
@friendly
def requests_verify(
    request_id: IdArg,
    method: Annotated[
        str, typer.Option("--method", help="How: account, email-code, in-person, phone-callback.")
    ],
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Record that the person's identity was checked (DSR-7: proportionate, no ID copies)."""
    from skydd.workflow import verify

    check_format(fmt)
    with _open(map_path, store) as opened:
        _show(verify(opened, request_id, actor=actor, method=method), fmt)


@requests_app.command("start")
@friendly
def requests_start(
    request_id: IdArg,
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Begin work on a verified request."""
    from skydd.workflow import start

    check_format(fmt)
    with _open(map_path, store) as opened:
        _show(start(opened, request_id, actor=actor), fmt)


@requests_app.command("complete")
@friendly
def requests_complete(
    request_id: IdArg,
    result_ref: Annotated[
        str, typer.Option("--result", help="What answered it: an engine request id, a ticket.")
    ],
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Mark a request done that was answered outside `skydd requests run`."""
    from skydd.workflow import complete

    check_format(fmt)
    with _open(map_path, store) as opened:
        _show(complete(opened, request_id, actor=actor, result_ref=result_ref), fmt)


@requests_app.command("extend")
@friendly
def requests_extend(
    request_id: IdArg,
    reason: ReasonOpt,
    told: Annotated[
        str, typer.Option("--told", help="The day the person was told, with the reasons.")
    ],
    months: Annotated[int, typer.Option("--months", help="1 or 2 more months.")] = 2,
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Extend the deadline by up to two months (DSR-2): within the first month, with a reason,
    the person told."""
    from skydd.workflow import extend

    check_format(fmt)
    with _open(map_path, store) as opened:
        req = extend(
            opened,
            request_id,
            actor=actor,
            reason=reason,
            told_at=parse_date(told, "--told"),
            months=months,
        )
    _show(req, fmt)


@requests_app.command("refuse")
@friendly
def requests_refuse(
    request_id: IdArg,
    reason: ReasonOpt,
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Refuse a request with reasons (DSR-3); the person's message names the complaint route."""
    from skydd.workflow import refuse

    check_format(fmt)
    with _open(map_path, store) as opened:
        _show(refuse(opened, request_id, actor=actor, reason=reason), fmt)


@requests_app.command("fee")
@friendly
def requests_fee(
    request_id: IdArg,
    amount: Annotated[str, typer.Option("--amount", help="The fee, e.g. '150 SEK'.")],
    reason: ReasonOpt,
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Record a reasonable fee for a further copy or an excessive request (DSR-6)."""
    from skydd.workflow import charge_fee

    check_format(fmt)
    with _open(map_path, store) as opened:
        _show(charge_fee(opened, request_id, actor=actor, amount=amount, reason=reason), fmt)


@requests_app.command("run")
@friendly
def requests_run(
    request_id: IdArg,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for the report or receipt.", file_okay=False),
    ] = None,
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Carry out a verified access, export or erase request and mark it done.

    JSON: the request and {"engine_request_id", "files", "summary"}.
    """
    from skydd.datamap.loader import load_map
    from skydd.workflow import run

    check_format(fmt)
    loaded = load_map(map_path)
    with _open(loaded.path, store) as opened:
        result = run(opened, loaded, request_id, actor=actor, out_dir=out_dir)
    if fmt == "json":
        print_json(result.as_json())
        return
    _show(result.request, fmt)
    out.print(f"  answered by {result.engine_request_id}", markup=False)
    for f in result.files:
        out.print(f"  wrote {f}", markup=False)


@requests_app.command("remind")
@friendly
def requests_remind(
    days: Annotated[
        list[int] | None, typer.Option("--days", help="Days before the deadline; repeat.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the reminders; send nothing.")
    ] = False,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Mail the DPO the requests near their deadline (7 and 2 days before by default), once
    each; run it daily. Mail settings: SKYDD_SMTP_HOST and friends."""
    from datetime import date

    from skydd.datamap.loader import load_map
    from skydd.workflow import due_reminders, send_reminders

    check_format(fmt)
    loaded = load_map(map_path)
    thresholds = tuple(days or (7, 2))
    with _open(loaded.path, store) as opened:
        if dry_run:
            found = due_reminders(opened, date.today(), thresholds)
        else:
            found = send_reminders(opened, loaded, date.today(), days_before=thresholds)
    if fmt == "json":
        print_json({"sent": not dry_run, "reminders": [r.as_json() for r in found]})
        return
    verb = "would remind of" if dry_run else "reminded the DPO of"
    out.print(f"{verb} {len(found)} request(s)")
    for r in found:
        out.print(f"  {r.request_id} {r.kind} due {r.due} ({r.days_left} days)", markup=False)


@staff_app.command("add")
@friendly
def staff_add(
    name: Annotated[str, typer.Argument(help="Login name, e.g. anna.dpo.")],
    role: Annotated[str, typer.Option("--role", help="dpo, support, marketing or auditor.")],
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Add a staff member with a role; prints their token once, as the last word.

    Only its SHA-256 is stored: keep the token safe, or revoke it and add a new one.
    JSON: {"name", "role", "token"}.
    """
    from skydd.workflow import add_staff

    check_format(fmt)
    with _open(map_path, store) as opened:
        staff, token = add_staff(opened, name, role, actor=actor)
    if fmt == "json":
        print_json({"name": staff.name, "role": staff.role.value, "token": token})
        return
    out.print(f"added {staff.name} ({staff.role.value}); the token, shown only now:", markup=False)
    out.print(token, markup=False)


@staff_app.command("list")
@friendly
def staff_list(
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Every staff member, their role and whether their token is revoked (never the token)."""
    from skydd.workflow import list_staff

    check_format(fmt)
    with _open(map_path, store) as opened:
        people = list_staff(opened)
    if fmt == "json":
        print_json({"staff": [s.as_json() for s in people]})
        return
    if not people:
        out.print("no staff yet; add one with: skydd staff add NAME --role dpo")
    for s in people:
        state = f"revoked {s.revoked_at:%Y-%m-%d}" if s.revoked_at else "active"
        out.print(f"{s.name:<24} {s.role.value:<10} {state}", markup=False)


@staff_app.command("revoke")
@friendly
def staff_revoke(
    name: Annotated[str, typer.Argument(help="The staff member's name.")],
    actor: ActorOpt = "cli",
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Revoke a staff member's token at once (the name stays in the record)."""
    from skydd.workflow import revoke_staff

    check_format(fmt)
    with _open(map_path, store) as opened:
        staff = revoke_staff(opened, name, actor=actor)
    if fmt == "json":
        print_json(staff.as_json())
        return
    out.print(f"revoked {staff.name} ({staff.role.value})", markup=False)

"""`skydd consent`, `skydd marketing` and the requests `restrict`, `unrestrict`, `object`,
`withdraw`: the consent ledger, the person's standing and what marketing may use."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

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
    request_app,
)
from skydd.errors import SkyddError

consent_app = typer.Typer(
    help="The consent ledger: consents with their proof, channel preferences, register checks.",
    no_args_is_help=True,
)
app.add_typer(consent_app, name="consent")
marketing_app = typer.Typer(help="What marketing tools may receive.", no_args_is_help=True)
app.add_typer(marketing_app, name="marketing")

ByOpt = Annotated[
    str | None, typer.Option("--by", help="The staff member recording it (login name).")
]
SearchOpt = Annotated[
    bool,
    typer.Option(
        "--search/--no-search",
        help="Find the person's other identities in the company's databases first (default), "
        "so the record covers every one of them.",
    ),
]


def _pairs(identity: list[str]) -> list[tuple[str, str]]:
    from skydd.requests.access import parse_identity

    return [parse_identity(i) for i in identity]


def _at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise SkyddError(f"--at: '{text}' is not a time", hint="write 2026-11-22T14:05") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _render(result: Any, fmt: str) -> None:
    if fmt == "json":
        print_json(result.as_json())
    else:
        out.print(f"{result.request_id}: {result.request_type} {result.status}", markup=False)
        out.print(f"  {result.detail}", markup=False)


@consent_app.command("record")
@friendly
def consent_record(
    identity: IdentityOpt,
    purpose: Annotated[list[str], typer.Option("--purpose", "-p", help="A purpose; repeat.")],
    granted: Annotated[
        bool, typer.Option("--granted/--refused", help="Consent given, or refused.")
    ],
    how: Annotated[
        str, typer.Option("--how", help="How it was given: phone, form, email, post, …")
    ],
    by: ByOpt = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="web, phone, email, post, sms, in_person.")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="When it was given (ISO time; default now).")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language: sv, en, da.")] = None,
    notice_version: Annotated[
        str | None, typer.Option("--notice-version", help="The notice version shown or read.")
    ] = None,
    notice_hash: Annotated[
        str | None, typer.Option("--notice-hash", help="sha256 of that notice's text.")
    ] = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help="A call or case reference.")
    ] = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Record a consent (or a refusal) with its proof: who, when, how, by whom (CON-3, AS-3)."""
    from skydd.consent import Choice, Proof, open_book
    from skydd.consent.rights import HOW_CHANNEL

    check_format(fmt)
    proof = Proof(
        method=how,
        channel=channel or HOW_CHANNEL.get(how, "phone"),
        language=lang,
        notice_version=notice_version,
        notice_hash=notice_hash,
        recorded_by=by,
        at=_at(at),
        evidence={"reference": reference} if reference else {},
    )
    choice = Choice(proof, granted=purpose if granted else (), refused=() if granted else purpose)
    with open_book(map_path, store) as book:
        event_id = book.record(_pairs(identity), choice)
    if fmt == "json":
        print_json({"event_id": event_id, "purposes": purpose, "granted": granted})
    else:
        out.print(
            f"recorded {event_id}: {'granted' if granted else 'refused'} {', '.join(purpose)}"
        )


@consent_app.command("import")
@friendly
def consent_import(
    file: Annotated[Path, typer.Argument(help="CSV file of consent records.", dir_okay=False)],
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Bring existing consent records (a CRM's or a form tool's) into the ledger.

    One row per decision: identity columns named by kind (email, phone, …), purpose,
    decision (granted, refused, withdrawn), at, method, channel, and optionally
    recorded_by, language, notice_version, notice_hash, reference. Every row is checked
    before anything is written.
    """
    from skydd.consent import open_book
    from skydd.consent.importing import import_csv

    check_format(fmt)
    with open_book(map_path, store) as book:
        result = import_csv(book, file)
    if fmt == "json":
        print_json(result.as_json())
    else:
        out.print(f"imported {result.rows} records ({result.identities} identities)", markup=False)


@consent_app.command("show")
@friendly
def consent_show(
    identity: IdentityOpt, map_path: MapOpt = None, store: StoreOpt = None, fmt: FormatOpt = "text"
) -> None:
    """What the ledger holds on a person: consents, channels, registers, restriction,
    objections, suppression (for staff)."""
    from skydd.consent import open_book

    check_format(fmt)
    with open_book(map_path, store) as book:
        standing = book.standing(_pairs(identity))
    if fmt == "json":
        print_json(standing)
        return
    if not standing["known"] and not standing["suppressed"]:
        out.print("nothing recorded for these identities")
        return
    for purpose, c in standing["consents"].items():
        out.print(f"consent  {purpose:<24} {c['decision']:<10} {c['at']} by {c['method']}")
    for kind in ("channels", "registers", "objections"):
        for scope, s in standing[kind].items():
            out.print(f"{kind[:-1]:<8} {scope:<24} {s['state']:<10} {s['at']}")
    if standing["restriction"]:
        out.print(f"restriction {standing['restriction']['state']} {standing['restriction']['at']}")
    if standing["suppressed"]:
        out.print("suppressed: " + ", ".join(standing["suppressed"]))


@consent_app.command("channel")
@friendly
def consent_channel(
    identity: IdentityOpt,
    channel: Annotated[str, typer.Option("--channel", help="post, phone, email or sms.")],
    allow: Annotated[bool, typer.Option("--allow/--opt-out", help="Allowed, or opted out.")],
    how: Annotated[str, typer.Option("--how", help="How the person said so.")] = "staff",
    by: ByOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
) -> None:
    """Record a channel preference: contact by post, phone, email or SMS, or not (AS-5)."""
    from skydd.consent import open_book

    with open_book(map_path, store) as book:
        event_id = book.set_channel(_pairs(identity), channel, allow, method=how, recorded_by=by)
    out.print(f"recorded {event_id}: {channel} {'allowed' if allow else 'opted out'}")


@consent_app.command("register")
@friendly
def consent_register(
    identity: IdentityOpt,
    register: Annotated[
        str, typer.Option("--register", help="NIX, NIX-ADRESSERAT, TPS, CTPS, MPS or ROBINSON.")
    ],
    listed: Annotated[bool, typer.Option("--listed/--clear", help="On the register, or not.")],
    checked_on: Annotated[str, typer.Option("--checked-on", help="Day of the check.")],
    by: ByOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
) -> None:
    """Record a preference-register check and its date (NIX in Sweden: SE-4; TPS, MPS)."""
    from skydd.consent import open_book

    day = parse_date(checked_on, "--checked-on")
    with open_book(map_path, store) as book:
        event_id = book.register_check(_pairs(identity), register, listed, day, recorded_by=by)
    out.print(f"recorded {event_id}: {register.upper()} {'listed' if listed else 'clear'} on {day}")


@consent_app.command("may")
@friendly
def consent_may(
    identity: IdentityOpt,
    purpose: Annotated[str, typer.Option("--purpose", "-p", help="A purpose of the map.")],
    channel: Annotated[str, typer.Option("--channel", help="email, phone, sms, post or web.")],
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """May the company now use this person's data for the purpose on the channel? Exit 0
    when yes, 1 when no; the reason is printed."""
    from skydd.consent import open_book

    check_format(fmt)
    with open_book(map_path, store) as book:
        decision = book.may(_pairs(identity), purpose, channel)
    if fmt == "json":
        print_json(decision.as_json())
    else:
        out.print(f"{'yes' if decision else 'no'} ({decision.reason}): {decision.detail}")
    if not decision:
        raise typer.Exit(1)


@consent_app.command("decide")
@friendly
def consent_decide(
    identity: IdentityOpt,
    purpose: Annotated[str, typer.Option("--purpose", "-p", help="The purpose objected to.")],
    uphold: Annotated[
        bool,
        typer.Option("--uphold/--reject", help="Stop the purpose for them, or continue."),
    ],
    grounds: Annotated[str, typer.Option("--grounds", help="The reasons, for the record.")],
    by: ByOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """The DPO's decision on an objection to legitimate-interest processing (Art. 21(1))."""
    from skydd.consent import decide_objection

    check_format(fmt)
    result = decide_objection(
        map_path, _pairs(identity), purpose=purpose, uphold=uphold, grounds=grounds,
        store=store, actor=by or "cli",
    )  # fmt: skip
    _render(result, fmt)


@consent_app.command("stats")
@friendly
def consent_stats(
    by: Annotated[str, typer.Option("--by", help="day or month.")] = "day",
    since: Annotated[str | None, typer.Option("--since", help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day (YYYY-MM-DD).")] = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Accept and refuse rates per purpose (or cookie category) per day or month."""
    from skydd.consent import open_book
    from skydd.consent.stats import consent_rates

    check_format(fmt)
    with open_book(map_path, store) as book:
        rates = consent_rates(
            book.store.engine,
            by=by,
            since=parse_date(since, "--since") if since else None,
            until=parse_date(until, "--until") if until else None,
        )
    if fmt == "json":
        print_json([r.as_json() for r in rates])
        return
    for r in rates:
        rate = "-" if r.accept_rate is None else f"{r.accept_rate:.0%}"
        out.print(f"{r.period}  {r.purpose:<24} {r.granted:>6} {r.refused:>6} {rate:>5}")


@request_app.command("restrict")
@friendly
def request_restrict(
    identity: IdentityOpt,
    ground: Annotated[
        str,
        typer.Option(
            "--ground", help="accuracy, unlawful, legal_claims or objection (Art. 18(1))."
        ),
    ] = "accuracy",
    search: SearchOpt = True,
    by: ByOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Restriction of processing (Art. 18): storage only; left out of every marketing and
    analytics export."""
    from skydd.consent import restrict

    check_format(fmt)
    _render(
        restrict(map_path, _pairs(identity), ground=ground, store=store, actor=by or "cli",
                 search=search),
        fmt,
    )  # fmt: skip


@request_app.command("unrestrict")
@friendly
def request_unrestrict(
    identity: IdentityOpt,
    told_on: Annotated[
        str, typer.Option("--told-on", help="The day the person was told it will be lifted.")
    ],
    told_how: Annotated[str, typer.Option("--told-how", help="How: email, letter, phone.")],
    search: SearchOpt = True,
    by: ByOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Lift a restriction; the person must have been told first (Art. 18(3), DSR-9)."""
    from skydd.consent import unrestrict

    check_format(fmt)
    result = unrestrict(
        map_path, _pairs(identity), told_on=parse_date(told_on, "--told-on"),
        told_how=told_how, store=store, actor=by or "cli", search=search,
    )  # fmt: skip
    _render(result, fmt)


@request_app.command("object")
@friendly
def request_object(
    identity: IdentityOpt,
    purpose: Annotated[
        str | None, typer.Option("--purpose", "-p", help="The purpose objected to.")
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", help="Direct marketing by email, phone, sms or post."),
    ] = None,
    search: SearchOpt = True,
    by: ByOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Objection (Art. 21): to direct marketing absolute, onto the suppression list; to a
    legitimate-interest purpose stopped until the DPO decides (skydd consent decide)."""
    from skydd.consent import object_to

    check_format(fmt)
    result = object_to(
        map_path, _pairs(identity), purpose=purpose, channel=channel, store=store,
        actor=by or "cli", search=search,
    )  # fmt: skip
    _render(result, fmt)


@request_app.command("withdraw")
@friendly
def request_withdraw(
    identity: IdentityOpt,
    purpose: Annotated[str, typer.Option("--purpose", "-p", help="The purpose consented to.")],
    channel: Annotated[
        str,
        typer.Option(
            "--channel",
            help="How the withdrawal came: link, web_page, email, phone, post, form, …",
        ),
    ] = "web_page",
    search: SearchOpt = True,
    by: ByOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Withdraw consent (Art. 7(3)): recorded in the ledger with the same proof as a consent."""
    from skydd.consent import withdraw

    check_format(fmt)
    result = withdraw(
        map_path, _pairs(identity), purpose=purpose, how=channel, store=store,
        actor=by or "cli", recorded_by=by, search=search,
    )  # fmt: skip
    _render(result, fmt)


@marketing_app.command("export")
@friendly
def marketing_export(
    tool: Annotated[str, typer.Option("--tool", help="The recipient, e.g. mailchimp.")],
    list_: Annotated[
        str | None,
        typer.Option("--list", help="The purpose the list is for (default: the tool's only one)."),
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="email, sms or post (default: from the fields).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the audience as CSV here.")
    ] = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """The audience a marketing tool may receive, with only the fields it is declared to get;
    never a restricted, objecting, suppressed or unsubscribed person, nor one without the
    consent the purpose needs."""
    from skydd.consent.marketing import audience, write_csv

    check_format(fmt)
    result = audience(map_path, tool=tool, purpose=list_, channel=channel, store=store)
    if output is not None:
        write_csv(result, output)
    if fmt == "json":
        print_json(result.as_json())
        return
    out.print(
        f"{len(result.rows)} for {result.recipient} ({result.purpose}, {result.channel}); "
        f"fields: {', '.join(result.fields)}",
        markup=False,
    )
    for reason, n in result.left_out.items():
        out.print(f"  left out, {reason}: {n}", markup=False)
    if output is not None:
        out.print(f"wrote {output}", markup=False)

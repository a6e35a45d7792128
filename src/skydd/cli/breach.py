"""`skydd breach`: the breach register, the 72-hour clock and the notification drafts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from skydd.cli.common import (
    FormatOpt,
    MapOpt,
    StoreOpt,
    app,
    check_format,
    friendly,
    out,
    print_json,
)
from skydd.cli.records import write_output
from skydd.errors import SkyddError

breach_app = typer.Typer(
    help="The breach register (Art. 33(5)): every breach, its 72-hour clock, the decisions "
    "to notify, and the drafts to the authority and to the people affected.",
    no_args_is_help=True,
)
app.add_typer(breach_app, name="breach")

_T = "Time: YYYY-MM-DD HH:MM in the controller's local time, or with an offset."
TitleOpt = Annotated[str | None, typer.Option("--title", help="A few words naming the breach.")]
AwareOpt = Annotated[
    str | None, typer.Option("--aware", help="When the company became aware. " + _T)
]
OccurredOpt = Annotated[
    str | None, typer.Option("--occurred", help="When the breach happened. " + _T)
]
NatureOpt = Annotated[str | None, typer.Option("--nature", help="What happened (33(3)(a)).")]
CategoryOpt = Annotated[
    list[str] | None,
    typer.Option("--category", help="A data category affected, e.g. user.contact.email; repeat."),
]
SubjectsOpt = Annotated[
    list[str] | None,
    typer.Option("--subjects", help="A kind of data subject from the map; repeat."),
]
PeopleOpt = Annotated[
    int | None, typer.Option("--people", help="Approximate number of people affected.")
]
RecordsOpt = Annotated[
    int | None, typer.Option("--records", help="Approximate number of records affected.")
]
ConsequencesOpt = Annotated[
    str | None, typer.Option("--consequences", help="Likely consequences (33(3)(c)).")
]
TakenOpt = Annotated[str | None, typer.Option("--measures-taken", help="Measures taken.")]
ProposedOpt = Annotated[
    str | None, typer.Option("--measures-proposed", help="Measures proposed (33(3)(d)).")
]
AdviceOpt = Annotated[
    str | None, typer.Option("--advice", help="What the people affected can do themselves.")
]
ContactOpt = Annotated[
    str | None,
    typer.Option("--contact", help="Contact point (33(3)(b)); default: the map's DPO."),
]
RiskOpt = Annotated[
    str | None, typer.Option("--risk", help="Risk to people: unlikely, risk or high.")
]
NowOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Judge the clock at this time instead of now. " + _T),
]


def _facts(**values: Any) -> dict[str, Any]:
    names = {
        "title": "title",
        "aware": "aware_at",
        "occurred": "occurred_at",
        "nature": "nature",
        "category": "data_categories",
        "subjects": "subject_categories",
        "people": "people_affected",
        "records": "records_affected",
        "consequences": "consequences",
        "measures_taken": "measures_taken",
        "measures_proposed": "measures_proposed",
        "advice": "advice",
        "contact": "contact",
        "risk": "risk",
        "authority_reason": "authority_reason",
        "authority_notified": "authority_notified_at",
        "authority_reference": "authority_reference",
        "late_reason": "late_reason",
        "people_reason": "people_reason",
        "people_exception": "people_exception",
        "people_notified": "people_notified_at",
    }
    facts = {names[k]: v for k, v in values.items() if k in names and v not in (None, [])}
    for flag in ("notify_authority", "notify_people"):
        value = values.get(flag)
        if value is not None:
            if value not in ("yes", "no"):
                raise SkyddError(f"--{flag.replace('_', '-')}: '{value}'", hint="use yes or no")
            facts[flag] = value == "yes"
    return facts


def _now(as_of: str | None, map_path: Path | None) -> datetime | None:
    if not as_of:
        return None
    from skydd.breach import controller_zone, parse_time
    from skydd.datamap.loader import load_map

    return parse_time(as_of, controller_zone(load_map(map_path).datamap), "--as-of")


def _render(view: Any, fmt: str) -> None:
    if fmt == "json":
        print_json(view.as_dict())
        return
    b, c = view.breach, view.clock
    out.print(f"{b.breach_id}  {b.status}  {b.title}", markup=False)
    out.print(f"  aware:    {b.aware_at.astimezone(c.deadline_local.tzinfo):%Y-%m-%d %H:%M %Z}")
    out.print(f"  deadline: {c.deadline_local:%Y-%m-%d %H:%M %Z} (72 hours)")
    out.print("  clock:    " + _clock_text(c))
    decided = {True: "yes", False: "no", None: "not decided"}
    out.print(
        f"  notify authority: {decided[b.notify_authority]}; people: {decided[b.notify_people]}"
    )


def _clock_text(c: Any) -> str:
    if not c.running:
        if c.notified_late is None:
            return "stopped (not to be notified)"
        return "stopped: notified " + ("late" if c.notified_late else "in time")
    if c.overdue:
        return f"OVERDUE by {-c.hours_left:.1f} hours"
    return f"{c.hours_left:.1f} hours left"


@breach_app.command("open")
@friendly
def breach_open(
    title: TitleOpt = None,
    aware: AwareOpt = None,
    occurred: OccurredOpt = None,
    nature: NatureOpt = None,
    category: CategoryOpt = None,
    subjects: SubjectsOpt = None,
    people: PeopleOpt = None,
    records: RecordsOpt = None,
    consequences: ConsequencesOpt = None,
    measures_taken: TakenOpt = None,
    measures_proposed: ProposedOpt = None,
    advice: AdviceOpt = None,
    contact: ContactOpt = None,
    risk: RiskOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Record a breach; the 72-hour clock starts when the company became aware (--aware).

    Every breach is recorded, whether or not it is notified (Art. 33(5)). Facts can be
    added later with `skydd breach update` (Art. 33(4)). JSON: the breach with its
    "clock": {"deadline", "deadline_local", "hours_left", "running", "overdue"}.
    """
    from skydd.breach.service import open_from_cli

    check_format(fmt)
    facts = _facts(**locals())
    _render(open_from_cli(map_path, store, facts), fmt)


@breach_app.command("update")
@friendly
def breach_update(
    breach_id: Annotated[str, typer.Argument(help="The breach, e.g. BR-2026-001.")],
    title: TitleOpt = None,
    aware: AwareOpt = None,
    occurred: OccurredOpt = None,
    nature: NatureOpt = None,
    category: CategoryOpt = None,
    subjects: SubjectsOpt = None,
    people: PeopleOpt = None,
    records: RecordsOpt = None,
    consequences: ConsequencesOpt = None,
    measures_taken: TakenOpt = None,
    measures_proposed: ProposedOpt = None,
    advice: AdviceOpt = None,
    contact: ContactOpt = None,
    risk: RiskOpt = None,
    notify_authority: Annotated[
        str | None, typer.Option("--notify-authority", help="yes or no (Art. 33(1)).")
    ] = None,
    authority_reason: Annotated[
        str | None, typer.Option("--authority-reason", help="Why (needed for no).")
    ] = None,
    authority_notified: Annotated[
        str | None, typer.Option("--authority-notified", help="When it was notified. " + _T)
    ] = None,
    authority_reference: Annotated[
        str | None, typer.Option("--authority-reference", help="The authority's case number.")
    ] = None,
    late_reason: Annotated[
        str | None, typer.Option("--late-reason", help="Why later than 72 hours.")
    ] = None,
    notify_people: Annotated[
        str | None, typer.Option("--notify-people", help="yes or no (Art. 34).")
    ] = None,
    people_reason: Annotated[
        str | None, typer.Option("--people-reason", help="Why the people are not told.")
    ] = None,
    people_exception: Annotated[
        str | None,
        typer.Option(
            "--people-exception", help="encrypted, mitigated or disproportionate (34(3))."
        ),
    ] = None,
    people_notified: Annotated[
        str | None, typer.Option("--people-notified", help="When they were told. " + _T)
    ] = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Add or correct facts, the risk assessment and the decisions to notify.

    Deciding not to notify needs the reason (--authority-reason; --people-reason or
    --people-exception). Each change is an audit event naming the fields changed.
    """
    from skydd.breach.service import update_from_cli

    check_format(fmt)
    values = dict(locals())
    values.pop("breach_id")
    _render(update_from_cli(map_path, store, breach_id, _facts(**values)), fmt)


@breach_app.command("close")
@friendly
def breach_close(
    breach_id: Annotated[str, typer.Argument(help="The breach, e.g. BR-2026-001.")],
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Close a breach once both decisions are recorded and carried out.

    Refused while the authority or the people are to be told and no notification is
    recorded, or when the authority was notified late without the reasons.
    """
    from skydd.breach.service import close_from_cli

    check_format(fmt)
    _render(close_from_cli(map_path, store, breach_id), fmt)


@breach_app.command("list")
@friendly
def breach_list(
    status: Annotated[str, typer.Option("--status", help="open, closed or all.")] = "all",
    as_of: NowOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, json, or the register: xlsx, csv, html.")
    ] = "text",
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="For xlsx, csv, html: sv, en or da; default: the authority's."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.", dir_okay=False)
    ] = None,
) -> None:
    """Every breach with its clock: hours left to notify the authority, or overdue.

    JSON: [{"breach_id", "title", "status", "aware_at", …, "clock": {"deadline",
    "deadline_local", "hours_left", "running", "overdue", "notified_late"}}].
    xlsx, csv, html: the register as a document (Art. 33(5)): facts, effects, measures,
    risk assessment and decisions of every breach, notified or not.
    """
    from skydd.breach.service import listing, register_document

    chosen = None if status == "all" else status
    if fmt in ("xlsx", "csv", "html"):
        data = register_document(map_path, store, chosen, fmt, lang, _now(as_of, map_path))
        write_output(data, output, fmt)
        return
    check_format(fmt)
    views = listing(map_path, store, chosen, _now(as_of, map_path))
    if fmt == "json":
        print_json([v.as_dict() for v in views])
        return
    if not views:
        out.print("no breaches recorded")
    for v in views:
        b, c = v.breach, v.clock
        out.print(f"{b.breach_id}  {b.status:<6}  {_clock_text(c):<30}  ", end="", markup=False)
        out.print(b.title, markup=False)


@breach_app.command("show")
@friendly
def breach_show(
    breach_id: Annotated[str, typer.Argument(help="The breach, e.g. BR-2026-001.")],
    as_of: NowOpt = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """One breach: its facts, decisions and clock. JSON: as one entry of `breach list`."""
    from skydd.breach.service import show

    check_format(fmt)
    view = show(map_path, store, breach_id, _now(as_of, map_path))
    if fmt == "json":
        print_json(view.as_dict())
        return
    _render(view, fmt)
    for key, value in view.breach.as_dict().items():
        if value not in (None, [], "") and key not in ("breach_id", "title", "status"):
            out.print(f"  {key}: {value}", markup=False)


@breach_app.command("draft")
@friendly
def breach_draft(
    breach_id: Annotated[str, typer.Argument(help="The breach, e.g. BR-2026-001.")],
    to: Annotated[str, typer.Option("--to", help="authority or people.")] = "authority",
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="sv, en or da; default: the authority's language."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.", dir_okay=False)
    ] = None,
    map_path: MapOpt = None,
    store: StoreOpt = None,
) -> None:
    """The notification to the authority (every Art. 33(3) item) or the message to the people
    affected (plain language, Art. 34(2)).

    The authority is the controller's country's (IMY, Datatilsynet, ICO), in its language
    unless --lang says otherwise. Items not yet known are marked as to follow (Art. 33(4)).
    """
    from skydd.breach.service import draft

    text = draft(map_path, store, breach_id, to, lang, now=datetime.now(UTC))
    if output is None:
        out.print(text, markup=False, end="")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SkyddError(f"cannot write {output}: {exc.strerror}", hint="check the path") from None
    out.print(f"wrote {output}", markup=False)

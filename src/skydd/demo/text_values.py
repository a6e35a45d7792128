"""Fillers for text columns: identities in each system's own format, names, addresses,
devices, money references, free-text notes and operational codes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from skydd.datamap.models import Column
from skydd.demo import formats, texts
from skydd.demo.pools import LANGUAGE
from skydd.demo.row import FillContext, Filler, Rows

Maker = Callable[[FillContext], Filler]


def _choice(ctx: FillContext, values: Sequence[object]) -> Filler:
    return lambda b: ctx.pick(values, len(b))


def _each(ctx: FillContext, make: Callable[[], object]) -> Filler:
    """A value per row from a function of the random generator alone."""
    return lambda b: [make() for _ in b.p]


# --- identities ---------------------------------------------------------------------------


def _email(ctx: FillContext) -> Filler:
    email, local, domain = ctx.pop.email, ctx.pop.local, ctx.pop.companies.domain
    rand = ctx.rng.random
    if "direction" in ctx.columns:  # a message: inbound from the person, outbound from staff
        # An identity column names the data subject; staff's shared address there would
        # make every customer who got a reply look like one person. Outbound: empty.
        staff = None if ctx.kind_name else f"{texts.STAFF_EMAIL[ctx.style % 4]}@{ctx.site[4:]}"
        return lambda b: [email[p] if u < 0.5 else staff for p, u in zip(b.p, b.u, strict=True)]
    if not ctx.person_table:
        return lambda b: [f"info@{domain[c]}" for c in b.c]
    if ctx.style % 3 != 2:
        return lambda b: [email[p] for p in b.p]
    # Some systems keep whatever case people typed.
    return lambda b: [
        email[p] if rand() >= 0.05 else f"{local[p].title()}@{domain[c].capitalize()}"
        for p, c in zip(b.p, b.c, strict=True)
    ]


def _phone(ctx: FillContext) -> Filler:
    pop, rand = ctx.pop, ctx.rng.random
    mobile, home, country = pop.mobile, pop.home, ctx.country
    styles = formats.PHONE_STYLES[country]
    own = styles[ctx.style % len(styles)]
    abroad = formats.INTERNATIONAL_STYLES
    if not ctx.person_table or ctx.name == "phone" and "mobile" in ctx.columns:
        return _switchboard(ctx)

    def other(p: int) -> str:
        if home[p] != country:  # people abroad are stored internationally
            return abroad[home[p]][p % 2](mobile[p])
        return styles[int(rand() * len(styles))](mobile[p])  # no system is consistent

    steady = ctx.planted
    return lambda b: [
        own(mobile[p]) if home[p] == country and (rand() >= 0.15 or p in steady) else other(p)
        for p in b.p
    ]


def _switchboard(ctx: FillContext) -> Filler:
    co, country, styles = ctx.pop.companies, ctx.country, formats.PHONE_STYLES
    return lambda b: [
        styles[co.country[c]][0 if co.country[c] == country else 1](co.phone[c]) for c in b.c
    ]


def _personnummer(ctx: FillContext) -> Filler:
    pnr = ctx.pop.pnr
    style = formats.PNR_STYLES[ctx.style % len(formats.PNR_STYLES)]
    return lambda b: [None if (v := pnr[p]) is None else style(v) for p in b.p]


def cpr_of(birth: int, p: int) -> str:
    """A person's CPR number, the same in every system."""
    return formats.cpr(date.fromordinal(birth), p * 7919 + 13)


def _cpr(ctx: FillContext) -> Filler:
    birth, home = ctx.pop.birth, ctx.pop.home
    return lambda b: [cpr_of(birth[p], p) if home[p] == "DK" else None for p in b.p]


def _org(ctx: FillContext) -> Filler:
    co = ctx.pop.companies
    if "vat" in ctx.name:
        return lambda b: [formats.vat_number(co.country[c], co.org[c]) for c in b.c]
    return lambda b: [co.org[c] for c in b.c]


def _username(ctx: FillContext) -> Filler:
    local, domain = ctx.pop.local, ctx.pop.companies.domain
    if "handle" in ctx.name:
        return lambda b: ["@" + local[p].replace(".", "") + str(p % 100) for p in b.p]
    if not ctx.person_table:
        return lambda b: [domain[c].split(".")[0] for c in b.c]
    return lambda b: [
        f"{local[p]}.{domain[c].split('.')[0]}" for p, c in zip(b.p, b.c, strict=True)
    ]


def _customer_number(ctx: FillContext) -> Filler:
    prefix = ctx.name[:1].upper() if ctx.name[:1].isalpha() else "K"
    if not ctx.person_table:
        return lambda b: [f"{prefix}{10_000 + c}" for c in b.c]
    return lambda b: [f"{prefix}{100_000 + p}" for p in b.p]


def _ip(ctx: FillContext) -> Filler:
    """The person's own address mostly (home or mobile line), now and then another one.

    Not the office's: an IP shared by colleagues would tie them together in a search.
    """
    rng, ip_of = ctx.rng, formats.ip_of
    rand = rng.random
    return lambda b: [ip_of(p) if rand() < 0.7 else formats.public_ip(rng) for p in b.p]


def _cookie(ctx: FillContext) -> Filler:
    if ctx.name == "client_id" or ctx.kind_name.startswith("ga"):
        return lambda b: [
            f"GA1.1.{1_000_000_000 + (p * 7919) % 900_000_000}."
            f"{1_600_000_000 + (p * 104_729) % 100_000_000}"
            for p in b.p
        ]
    return lambda b: [
        f"{(p * 2_654_435_761) % 2**32:08x}-{(p * 40_503) % 2**16:04x}-"
        f"4{p % 4096:03x}-a{(p * 97) % 4096:03x}-{p:012x}"
        for p in b.p
    ]


_IDENTITY: dict[str, Maker] = {
    "email": _email,
    "phone": _phone,
    "personnummer": _personnummer,
    "cpr": _cpr,
    "orgnr": _org,
    "username": _username,
    "customer_number": _customer_number,
    "ip": _ip,
}

# --- by category ------------------------------------------------------------------------


def _names(ctx: FillContext) -> Filler:
    first, last = ctx.pop.first, ctx.pop.last
    if ctx.category.endswith(".first") or ctx.name == "first_name":
        return lambda b: [first[p] for p in b.p]
    if ctx.category.endswith(".last") or ctx.name == "last_name":
        return lambda b: [last[p] for p in b.p]
    return lambda b: [f"{first[p]} {last[p]}" for p in b.p]


def _address(ctx: FillContext) -> Filler:
    co, part = ctx.pop.companies, ctx.category.rsplit(".", 1)[-1]
    values = {"street": co.street, "postal_code": co.postcode, "city": co.town}.get(part)
    if values is None:
        values = co.town if "city" in ctx.name else co.country
    return lambda b: [values[c] for c in b.c]


def _company_name(ctx: FillContext) -> Filler:
    name = ctx.pop.companies.name
    return lambda b: [name[c] for c in b.c]


def _device(ctx: FillContext) -> Filler:
    rng, n = ctx.rng, ctx.name
    if "imei" in n or ctx.category.endswith("imei"):
        return _each(ctx, lambda: formats.imei(rng))
    if "mac" in n:
        return _each(ctx, lambda: formats.mac_address(rng))
    if "ip" in n.split("_") or ctx.category.endswith("ip_address"):
        return _ip(ctx)
    if ctx.category.endswith("cookie_id") or n.endswith("_id"):
        return _cookie(ctx)
    if n in texts.VOCAB:
        return _vocab(ctx)
    if n == "user_agent":
        return _choice(ctx, texts.USER_AGENTS)
    prefix = (ctx.site.split(".")[1][:3] if ctx.site.count(".") >= 2 else "dev").upper()
    rand = rng.random
    return lambda b: [f"{prefix}-{2015 + t % 10}-{int(rand() * 10**6):06d}" for t in b.t]


def _credentials(ctx: FillContext) -> Filler:
    bits = ctx.rng.getrandbits
    if "hint" in ctx.name:
        return _choice(ctx, texts.HINTS[ctx.lang])
    if "mfa" in ctx.name or "secret" in ctx.name:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

        def secret() -> str:
            value = bits(80)
            return "".join(alphabet[(value >> (5 * k)) & 31] for k in range(16))

        return _each(ctx, secret)
    return _each(ctx, lambda: f"pbkdf2_sha256$600000${bits(48):012x}${bits(192):048x}")


def _financial(ctx: FillContext) -> Filler:
    rng, co, n = ctx.rng, ctx.pop.companies, ctx.name
    if n == "iban":
        return lambda b: [formats.iban(rng, co.country[c]) for c in b.c]
    if "bankgiro" in n:
        return _each(ctx, lambda: formats.bankgiro(rng))
    if "plusgiro" in n:
        return _each(ctx, lambda: formats.plusgiro(rng))
    if "account" in n:
        return lambda b: [formats.bank_account(rng, co.country[c]) for c in b.c]
    if "reference" in n or n.startswith("psp"):
        return _each(ctx, lambda: f"pi_{rng.getrandbits(96):024x}")
    if "rating" in n:
        return _choice(ctx, ("AAA", "AA", "A", "A", "B", "C"))
    if "owner" in n or "name" in n:
        return _names(ctx)
    return _vocab(ctx)


def _products(ctx: FillContext) -> Filler:
    products, n, rand = ctx.products, ctx.name, ctx.rng.random
    if not products:
        return _vocab(ctx)
    if "sku" in n or "article" in n:
        return _choice(ctx, [p.sku for p in products])
    names = [p.name for p in products]
    if n == "products" or n.endswith("_of_interest"):
        k = len(names)
        return lambda b: [
            ", ".join(sorted({names[int(rand() * k)] for _ in range(1 + i % 3)})) for i in b.i
        ]
    return _choice(ctx, names)


def _browsing(ctx: FillContext) -> Filler:
    rand, site = ctx.rng.random, ctx.site
    skus = [p.sku.lower() for p in ctx.products] or ["a1"]
    paths = [p.replace("{sku}", s) for p in texts.PATHS for s in (skus if "{" in p else [""])]
    if ctx.name == "referrer":
        return _choice(ctx, texts.REFERRERS)
    if ctx.name == "event_name":
        return _choice(ctx, ("page_view", "page_view", "scroll", "click", "file_download"))
    if "url" in ctx.name:
        return _choice(ctx, [f"https://{site}{p}" for p in paths])
    weights = [p for p in paths for _ in range(1 if p.startswith("/products/") else len(skus))]
    k = len(weights)
    return lambda b: [weights[int(rand() * k)] for _ in b.p]


def _location(ctx: FillContext) -> Filler:
    co = ctx.pop.companies
    values = co.town if "city" in ctx.name else co.country
    return lambda b: [values[c] for c in b.c]


def _settings(ctx: FillContext) -> Filler:
    home = ctx.pop.home
    table = texts.TIMEZONE if "zone" in ctx.name else LANGUAGE
    return lambda b: [table[home[p]] for p in b.p]


def _files(ctx: FillContext) -> Filler:
    local, n = ctx.pop.local, ctx.name
    if "photo" in n or ctx.category.endswith("self_image"):
        return lambda b: [
            f"media/{date_path(t)}/{local[p]}-{i + 1}.jpg"
            for p, t, i in zip(b.p, b.t, b.i, strict=True)
        ]
    if "path" in n:
        return lambda b: [
            f"files/{date_path(t)}/{i + 1:07d}.pdf" for t, i in zip(b.t, b.i, strict=True)
        ]
    return _choice(
        ctx,
        (
            "invoice.pdf",
            "photo.jpg",
            "IMG_2231.jpg",
            "logfile.txt",
            "delivery-note.pdf",
            "screenshot.png",
        ),
    )


def date_path(ordinal: int) -> str:
    day = date.fromordinal(ordinal)
    return f"{day.year}/{day.month:02d}"


# --- free text ----------------------------------------------------------------------------


def _notes(ctx: FillContext, templates: tuple[str, ...]) -> Filler:
    pop, rand, own_country = ctx.pop, ctx.rng.random, ctx.country
    names = [p.name for p in ctx.products] or ["?"]
    k, m = len(templates), len(names)

    def note(p: int, c: int) -> str:
        template = templates[int(rand() * k)]
        if "{" not in template:
            return template
        home = pop.home[p]
        return template.format(
            first=pop.first[p],
            last=pop.last[p],
            company=pop.companies.name[c],
            phone=formats.PHONE_STYLES[home][0 if home == own_country else 1](pop.mobile[p]),
            product=names[int(rand() * m)],
        )

    return lambda b: [note(p, c) for p, c in zip(b.p, b.c, strict=True)]


def _free_text(ctx: FillContext) -> Filler:
    n = ctx.name
    if n in ("subject", "title", "topic"):
        return _notes(ctx, texts.SUBJECTS[ctx.lang])
    if any(word in n for word in ("note", "body", "description", "message", "resolution")):
        return _notes(ctx, texts.NOTES[ctx.lang])
    if "label" in n:
        labels = texts.LABELS[ctx.lang]
        return _choice(ctx, [f"{label} {k}" for label in labels for k in range(1, 13)])
    if "file" in n or "attachment" in n or "path" in n or "photo" in n:
        return _files(ctx)
    return _choice(ctx, texts.SHORT[ctx.lang])


# --- operational values -------------------------------------------------------------------


def _vocab(ctx: FillContext) -> Filler:
    n = ctx.name
    if n == "event_type" and "campaign_id" in ctx.columns:
        n = "event_type_email"
    values = texts.VOCAB.get(n)
    if values:
        return _choice(ctx, values)
    tag = n.split("_")[0][:3].upper() or "X"
    return _choice(ctx, [f"{tag}-{k}" for k in range(100, 1000)])


def _status(ctx: FillContext) -> Filler:
    from skydd.demo.values import is_closed, is_withdrawn

    as_of = ctx.as_of
    if "closed_at" in ctx.columns or "ended_at" in ctx.columns:
        return lambda b: [
            "closed" if is_closed(t, u, as_of) else "open" for t, u in zip(b.t, b.u, strict=True)
        ]
    if "unsubscribed_at" in ctx.columns:
        return lambda b: ["unsubscribed" if is_withdrawn(u) else "subscribed" for u in b.u]
    key = next((k for k in texts.STATUS if k and k in ctx.table), "")
    return _choice(ctx, texts.STATUS[key])


_NUMBERED = {
    "order": "ORD-",
    "invoice": "INV-",
    "case": "CASE-",
    "ticket": "T-",
    "quote": "Q-",
    "report": "R-",
    "tracking": "00370726",
}
_STAFF = (
    "staff_member",
    "owner_user",
    "sales_rep",
    "recorded_by",
    "reviewed_by",
    "agent",
    "account_manager",
)
_ROLES = {1: "customer", 2: "supplier", 3: "customer, supplier", 4: "partner"}


def _operational(ctx: FillContext) -> Filler:  # noqa: C901 - a table of cases
    n, co = ctx.name, ctx.pop.companies
    if n.endswith("_number") or n.endswith("_reference") and n != "customer_reference":
        prefix = next((v for k, v in _NUMBERED.items() if n.startswith(k)), n[:3].upper() + "-")
        return lambda b: [f"{prefix}{100_001 + i}" for i in b.i]
    if n == "status":
        return _status(ctx)
    if n == "direction":
        return lambda b: ["inbound" if u < 0.5 else "outbound" for u in b.u]
    if n == "currency":
        return lambda b: [texts.CURRENCY.get(co.country[c], "EUR") for c in b.c]
    if n == "carrier":
        return _choice(ctx, texts.CARRIERS.get(ctx.country, texts.CARRIERS["GB"]))
    if n in ("bank_name", "bic"):
        return _choice(ctx, (texts.BANKS if n == "bank_name" else texts.BICS)[ctx.country])
    if n == "website":
        return lambda b: [f"https://www.{co.domain[c]}" for c in b.c]
    if n == "domain":
        return lambda b: [ctx.site] * len(b)
    if n in ("relationship", "party_type"):
        return lambda b: [_ROLES.get(co.roles[c], "customer") for c in b.c]
    if n in ("product", "model", "product_name", "products") or n.endswith("sku"):
        return _products(ctx)
    if n in _STAFF:
        return _choice(ctx, ctx.staff)
    if n == "industry":
        return _choice(ctx, texts.INDUSTRY)
    if "version" in n:
        return _choice(ctx, ("v1.0", "v1.2", "v2.0", "v2.1"))
    if n in ("preferred_language", "language"):
        return _settings(ctx)
    if n == "partner_name" or n == "name" and not ctx.person_table:
        return _company_name(ctx)
    if "serial" in n:
        return _device(ctx)
    if n in ("url", "page", "path", "request_path"):
        return _browsing(ctx)
    return _vocab(ctx)


def _job(ctx: FillContext) -> Filler:
    job = ctx.pop.job
    return lambda b: [job[p] for p in b.p]


def _home(ctx: FillContext) -> Filler:
    home = ctx.pop.home
    return lambda b: [home[p] for p in b.p]


def _document(ctx: FillContext) -> Filler:
    return lambda b: [f"P{(p * 7919) % 10**8:08d}" for p in b.p]


_CATEGORY: tuple[tuple[str, Maker], ...] = (
    ("user.name", _names),
    ("user.contact.email", _email),
    ("user.contact.phone", _phone),
    ("user.contact.address", _address),
    ("user.contact.organization", _company_name),
    ("user.professional_information.workplace", _company_name),
    ("user.professional_information.organization_number", _org),
    ("user.professional_information.job_title", _job),
    ("user.professional_information.machine_fleet", _operational),
    ("user.account.username", _username),
    ("user.authorization", _credentials),
    ("user.device", _device),
    ("user.financial", _financial),
    ("user.behavior.browsing_history", _browsing),
    ("user.behavior.purchase_history", _products),
    ("user.behavior.product_interest", _products),
    ("user.location", _location),
    ("user.settings", _settings),
    ("user.demographic", _home),
    ("user.government_id.national_identification_number", _personnummer),
    ("user.government_id", _document),
    ("user.content.self_image", _files),
    ("user.content", _free_text),
    ("user.unique_id", _customer_number),
)


def text_filler(ctx: FillContext, name: str, column: Column, kind: str | None) -> Filler:
    """Identity kind first, then free text, then category, then the column's name."""
    ctx = ctx.for_column(name, column.category, column.identity or "")
    if kind in _IDENTITY:
        return _IDENTITY[kind](ctx)
    if column.free_text:
        return _free_text(ctx)
    for prefix, maker in _CATEGORY:
        if column.category == prefix or column.category.startswith(prefix + "."):
            return maker(ctx)
    if name.endswith("email"):
        return _email(ctx)
    return _operational(ctx)


__all__ = ["Rows", "text_filler"]

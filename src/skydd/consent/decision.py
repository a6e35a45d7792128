"""The decision: may the company, right now, use a person's data for a purpose on a channel?

Pure: it reads one State of the ledger (index.py) and the data map, and takes the day as an
argument. The rules, in the order they are weighed (docs/consent.md explains each):

1. a direct-marketing purpose and an identity on the suppression list: no (Art. 21(3));
2. a restricted person: no, except for a legal obligation (Art. 18(2), LEGAL DSR-9);
3. an objection: to direct marketing (all of it, the purpose, or the channel) no, absolutely;
   to a legitimate-interest purpose no while the DPO decides and when it was upheld, yes
   when the DPO found compelling grounds (Art. 21(1), 18(1)(d));
4. a purpose resting on consent: only with a granted, unwithdrawn consent that is not older
   than the map's ``policy.consent_renewal`` (LEGAL CON-3, CON-4); on the web, the banner's
   consent to the purpose's cookie category counts too (``cookie_categories``); a purpose
   without a legal basis: no;
5. a channel the person opted out of: no, for purposes resting on consent or legitimate
   interest (what a contract or the law needs still goes, EN-7);
6. direct marketing by phone or post to a person on a preference register (NIX, TPS, CTPS,
   MPS, Robinson): no; for a Swedish controller a telemarketing call also needs a NIX check
   not older than two months (LEGAL SE-4).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from skydd.consent.index import State
from skydd.consent.ledger import CHANNELS
from skydd.datamap.models import DataMap, LegalBasis, Purpose, parse_period
from skydd.errors import SkyddError

REGISTERS: dict[str, tuple[str, ...]] = {
    "NIX": ("phone",),  # NIX-Telefon, Sweden (SE-4)
    "NIX-ADRESSERAT": ("post",),
    "TPS": ("phone",),  # Telephone Preference Service, UK
    "CTPS": ("phone",),  # Corporate TPS, UK
    "MPS": ("post",),  # Mailing Preference Service, UK
    "ROBINSON": ("phone", "post"),  # Robinsonlisten, Denmark
}
"""Preference registers and the channels they close to direct marketing."""

NIX_VALID_DAYS = 61
"""A NIX check is valid for two months (LEGAL SE-4); 61 days covers every pair of months."""

OBJECTION_STATES = ("absolute", "pending", "upheld", "rejected")


@dataclass(frozen=True)
class Decision:
    """The answer, true or false, with the reason (a code) and a sentence saying why."""

    allowed: bool
    reason: str
    purpose: str
    channel: str
    basis: str | None
    detail: str
    since: str | None = None
    """When the fact that decided was recorded (a consent, an objection …), if one did."""

    def __bool__(self) -> bool:
        return self.allowed

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise SkyddError(f"unknown channel '{channel}'", hint="use " + ", ".join(CHANNELS))


def purpose_of(datamap: DataMap, purpose: str) -> Purpose:
    found = datamap.purposes.get(purpose)
    if found is None:
        raise SkyddError(
            f"the data map declares no purpose '{purpose}'",
            hint="declared purposes: " + ", ".join(sorted(datamap.purposes)),
        )
    return found


class _Ask:
    """One question, with what the ledger knows of the person."""

    def __init__(
        self,
        state: State,
        hashes: Collection[str],
        datamap: DataMap,
        purpose: str,
        channel: str,
        today: date,
        visitors: Collection[str] = (),
    ) -> None:
        self.state = state
        self.hashes = hashes
        self.subjects = state.subjects_of(hashes)
        self.lazy = state.lazy_subjects(self.subjects, visitors)
        self.datamap = datamap
        self.key = purpose
        self.purpose = purpose_of(datamap, purpose)
        basis = self.purpose.legal_basis
        self.basis = basis.value if isinstance(basis, LegalBasis) else None
        self.channel = channel
        self.today = today

    def no(self, reason: str, detail: str, since: str | None = None) -> Decision:
        return Decision(False, reason, self.key, self.channel, self.basis, detail, since)

    def yes(self, detail: str, since: str | None = None) -> Decision:
        return Decision(True, self.basis or "allowed", self.key, self.channel, self.basis,
                        detail, since)  # fmt: skip


def decide(
    state: State,
    hashes: Collection[str],
    datamap: DataMap,
    purpose: str,
    channel: str,
    today: date,
    visitors: Collection[str] = (),
) -> Decision:
    """Weigh suppression, restriction, objection, consent, channel and registers, in order.

    ``visitors`` are the hashes among ``hashes`` that are anonymous visitor ids."""
    check_channel(channel)
    ask = _Ask(state, hashes, datamap, purpose, channel, today, visitors)
    for rule in (_suppressed, _restricted, _objected, _basis, _channel, _registers):
        answer = rule(ask)
        if answer is not None:
            return answer
    since = None
    if ask.basis == LegalBasis.consent.value:
        consent = state.newest_consent(ask.subjects, purpose, ask.lazy)
        since = consent.at if consent else None
        return ask.yes("the person consented to this purpose", since)
    return ask.yes(f"the purpose rests on {ask.basis}; nothing the person did stops it")


def _suppressed(ask: _Ask) -> Decision | None:
    if not ask.purpose.marketing:
        return None
    scopes = ask.state.suppression_scopes(ask.hashes)
    wanted = {"marketing", f"purpose:{ask.key}", f"channel:{ask.channel}"}
    if scopes & wanted:
        return ask.no("suppressed", "the person is on the suppression list for direct marketing")
    return None


def _restricted(ask: _Ask) -> Decision | None:
    state = ask.state.newest_standing(ask.subjects, "restriction", "all")
    if state is None or state.state != "on":
        return None
    if ask.basis == LegalBasis.legal_obligation.value:
        return None
    return ask.no("restricted", "processing is restricted (Art. 18): storage only", since=state.at)


def _objected(ask: _Ask) -> Decision | None:
    scopes = [f"purpose:{ask.key}"]
    if ask.purpose.marketing:
        scopes += ["marketing", f"channel:{ask.channel}"]
    for scope in scopes:
        state = ask.state.newest_standing(ask.subjects, "objection", scope)
        if state is None or state.state == "rejected":
            continue
        if state.state == "pending":
            return ask.no(
                "objection_pending",
                "the person objected; processing waits for the DPO's decision (Art. 18(1)(d))",
                since=state.at,
            )
        return ask.no("objected", "the person objected to this processing (Art. 21)", state.at)
    return None


def _basis(ask: _Ask) -> Decision | None:
    if ask.basis is None:
        return ask.no("no_legal_basis", "the data map gives this purpose no legal basis")
    if ask.basis != LegalBasis.consent.value:
        return None
    consent = ask.state.newest_consent(ask.subjects, ask.key, ask.lazy)
    if consent is None and ask.channel == "web":
        for category in cookie_categories(ask.datamap).get(ask.key, ()):
            found = ask.state.newest_consent(ask.subjects, category, ask.lazy)
            if found is not None and (consent is None or found.at > consent.at):
                consent = found
    if consent is None:
        return ask.no("no_consent", "the purpose needs consent and the ledger holds none")
    if consent.decision == "refused":
        return ask.no("consent_refused", "the person refused consent", consent.at)
    if consent.decision == "withdrawn":
        return ask.no("consent_withdrawn", "the person withdrew consent", consent.at)
    renewal = ask.datamap.policy.consent_renewal
    if renewal and date.fromisoformat(consent.at[:10]) <= _back(ask.today, renewal):
        return ask.no(
            "consent_expired",
            f"the consent is older than the renewal period ({renewal}, CON-4)",
            consent.at,
        )
    return None


_CATEGORIES: dict[int, tuple[DataMap, dict[str, tuple[str, ...]]]] = {}


def cookie_categories(datamap: DataMap) -> dict[str, tuple[str, ...]]:
    """Purpose -> the cookie categories whose consent (given in the banner) covers it on the
    web: the categories of cookies set by a recipient that serves the purpose, else those
    named as a word of the purpose's key (``web_analytics`` <- ``analytics``). Only purposes
    resting on consent; the same consent never reaches email, phone, SMS or post."""
    cached = _CATEGORIES.get(id(datamap))
    if cached is not None and cached[0] is datamap:
        return cached[1]
    out: dict[str, set[str]] = {}
    consent = {k for k, p in datamap.purposes.items() if p.legal_basis == LegalBasis.consent}
    for cookie in datamap.cookies:
        category = cookie.category.value
        recipient = datamap.recipients.get(cookie.recipient) if cookie.recipient else None
        if recipient is not None:
            keys = {p for p in recipient.purposes if p in consent}
        else:
            keys = {p for p in consent if category in p.split("_")}
        for key in keys:
            out.setdefault(key, set()).add(category)
    result = {k: tuple(sorted(v)) for k, v in out.items()}
    if len(_CATEGORIES) > 64:
        _CATEGORIES.clear()
    _CATEGORIES[id(datamap)] = (datamap, result)
    return result


def _back(today: date, period: str) -> date:
    n, unit = parse_period(period)
    if unit == "day":
        return today - timedelta(days=n)
    if unit == "week":
        return today - timedelta(weeks=n)
    months = n * (12 if unit == "year" else 1)
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _channel(ask: _Ask) -> Decision | None:
    if ask.channel == "web" or ask.basis not in (
        LegalBasis.consent.value,
        LegalBasis.legitimate_interest.value,
    ):
        return None
    state = ask.state.newest_standing(ask.subjects, "channel", ask.channel)
    if state is not None and state.state == "opted_out":
        return ask.no(
            "channel_opted_out", f"the person opted out of contact by {ask.channel}", state.at
        )
    return None


def _registers(ask: _Ask) -> Decision | None:
    if not ask.purpose.marketing or ask.channel not in ("phone", "post"):
        return None
    for register, channels in REGISTERS.items():
        if ask.channel not in channels:
            continue
        state = ask.state.newest_standing(ask.subjects, "register", register)
        if state is not None and state.state == "listed":
            return ask.no(
                "on_register", f"the person is on the {register} preference register", state.at
            )
    if ask.channel == "phone" and ask.datamap.controller.country == "SE":
        return _nix(ask)
    return None


def _nix(ask: _Ask) -> Decision | None:
    state = ask.state.newest_standing(ask.subjects, "register", "NIX")
    if state is None or not state.checked_on:
        return ask.no(
            "register_check_missing",
            "a telemarketing call needs a NIX check first (SE-4); none is recorded",
        )
    checked = date.fromisoformat(state.checked_on)
    if (ask.today - checked).days > NIX_VALID_DAYS:
        return ask.no(
            "register_check_stale",
            f"the NIX check of {checked.isoformat()} is older than two months (SE-4)",
            state.at,
        )
    return None

"""Which Art. 13 and 14 items the map cannot fill yet (LEGAL.md PN-1 to PN-3).

The notice is always written; where the map is silent it says the least that is
true ("ask us") and this check names the gap, the item it leaves open and where
in the map to fill it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from skydd.datamap.authorities import EEA, AuthorityError, for_country, old_name_mentions
from skydd.datamap.models import LANGS, DataMap, LegalBasis, Text, TransferMechanism
from skydd.notice.content import named_purposes


@dataclass(frozen=True)
class Gap:
    """One notice item the map cannot fill, or fills only in some languages."""

    item: str  # the article: "13(1)(c)"
    path: str  # where in the map to fill it
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def render(self) -> str:
        return f"Art. {self.item} at {self.path}: {self.message}"


def _missing_langs(text: Text | None, langs: tuple[str, ...]) -> list[str]:
    return [lang for lang in langs if not (text and getattr(text, lang))]


def _controller(m: DataMap) -> list[Gap]:
    c = m.controller
    gaps = []
    if not (c.email or c.phone or c.address):
        gaps.append(Gap("13(1)(a)", "controller", "no email, phone or address to contact"))
    dpo, privacy = c.dpo, c.privacy_contact
    if not any(p and (p.email or p.phone or p.address) for p in (dpo, privacy)):
        gaps.append(
            Gap("13(1)(b)", "controller.dpo", "no DPO or privacy contact with a way to reach it")
        )
    try:
        for_country(c.country)
    except AuthorityError:
        gaps.append(
            Gap("13(2)(d)", "controller.country", f"no supervisory authority known for {c.country}")
        )
    return gaps


def _purposes(m: DataMap, langs: tuple[str, ...]) -> list[Gap]:
    gaps = []
    named = named_purposes(m)
    kept = {k for rule in m.retention.rules.values() for k in rule.tables}
    kept |= {k for hold in m.retention.holds.values() for k in hold.tables}
    for key, p in m.purposes.items():
        at = f"purposes.{key}"
        if not isinstance(p.legal_basis, LegalBasis):
            gaps.append(Gap("13(1)(c)", f"{at}.legal_basis", "no legal basis"))
        if p.legal_basis == LegalBasis.legitimate_interest:
            missing = _missing_langs(p.legitimate_interest, langs)
            if missing:
                gaps.append(
                    Gap(
                        "13(1)(d)",
                        f"{at}.legitimate_interest",
                        "the legitimate interest is not named in " + ", ".join(missing),
                    )
                )
        unkept = [k for k in named[key] if k not in kept]
        if unkept:
            gaps.append(
                Gap(
                    "13(2)(a)",
                    "retention.rules",
                    f"no retention rule or hold for {', '.join(unkept)} (purpose {key})",
                )
            )
        missing = _missing_langs(p.labels, langs)
        if missing:
            gaps.append(Gap("13(1)(c)", f"{at}.labels", "no label in " + ", ".join(missing)))
    return gaps


def _recipients(m: DataMap) -> list[Gap]:
    home = {m.controller.country} | EEA
    gaps = []
    for key, r in m.recipients.items():
        outside = [c for c in [r.country, *r.locations] if c not in home]
        mech = r.transfer.mechanism if r.transfer else None
        if outside and mech in (None, TransferMechanism.none):
            gaps.append(
                Gap(
                    "13(1)(f)",
                    f"recipients.{key}.transfer",
                    f"data goes to {', '.join(outside)} without a stated safeguard",
                )
            )
    return gaps


def _sources(m: DataMap, langs: tuple[str, ...]) -> list[Gap]:
    gaps = []
    for sname, tname, table in m.tables():
        source = table.source
        if source and source.kind == "other" and _missing_langs(source.description, langs):
            gaps.append(
                Gap(
                    "14(2)(f)",
                    f"systems.{sname}.tables.{tname}.source.description",
                    "the source 'other' is not described",
                )
            )
    return gaps


def _texts(m: DataMap, langs: tuple[str, ...]) -> list[Gap]:
    gaps = []
    for i, cookie in enumerate(m.cookies):
        missing = _missing_langs(cookie.purpose, langs)
        if missing:
            gaps.append(
                Gap(
                    "13(1)(c)",
                    f"cookies[{i}].purpose",
                    f"no purpose for the cookie {cookie.name} in " + ", ".join(missing),
                )
            )
    for key, text in m.notice.extra.items():
        for lang in langs:
            value = text.get(lang, fallback=False)
            for written, authority in old_name_mentions(value or "")[:1]:
                gaps.append(
                    Gap(
                        "13(2)(d)",
                        f"notice.extra.{key}.{lang}",
                        f"names '{written}', today {authority.official_name} "
                        f"({authority.short}); the text is left out of the notice",
                    )
                )
    return gaps


def check(
    m: DataMap, langs: tuple[str, ...] = LANGS, *, request_url: str | None = None
) -> list[Gap]:
    """Every Art. 13/14 item the map cannot fill for a notice in ``langs``."""
    gaps = [*_controller(m), *_purposes(m, langs), *_recipients(m), *_sources(m, langs)]
    gaps += _texts(m, langs)
    contact = m.controller
    if (
        not request_url
        and not any(p and p.email for p in (contact.privacy_contact, contact.dpo))
        and not contact.email
    ):
        gaps.append(
            Gap("13(2)(b)", "controller.email", "no request form URL and no email for requests")
        )
    return gaps

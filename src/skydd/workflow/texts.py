"""What the person reads: the emails telling them a request is done, extended or refused,
in Swedish, English and Danish."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from skydd.datamap.authorities import AuthorityError, for_country
from skydd.errors import SkyddError

_LOCALES = {"sv": "sv_SE", "en": "en_GB", "da": "da_DK"}

NOUNS: dict[str, dict[str, str]] = {
    "sv": {
        "access": "begäran om registerutdrag",
        "export": "begäran om att få ut dina uppgifter (dataportabilitet)",
        "erase": "begäran om radering",
        "rectify": "begäran om rättelse",
        "restrict": "begäran om begränsning av behandlingen",
        "object": "invändning mot behandlingen",
        "withdraw": "återkallelse av ditt samtycke",
    },
    "en": {
        "access": "request for a copy of your personal data",
        "export": "request to receive your data (data portability)",
        "erase": "request for erasure",
        "rectify": "request for rectification",
        "restrict": "request to restrict processing",
        "object": "objection to the processing",
        "withdraw": "withdrawal of your consent",
    },
    "da": {
        "access": "anmodning om indsigt",
        "export": "anmodning om at få udleveret dine oplysninger (dataportabilitet)",
        "erase": "anmodning om sletning",
        "rectify": "anmodning om berigtigelse",
        "restrict": "anmodning om begrænsning af behandlingen",
        "object": "indsigelse mod behandlingen",
        "withdraw": "tilbagetrækning af dit samtykke",
    },
}

_SUBJECTS = {
    "completed": {
        "sv": "Din {noun} har behandlats ({ref})",
        "en": "Your {noun} has been handled ({ref})",
        "da": "Din {noun} er behandlet ({ref})",
    },
    "extended": {
        "sv": "Vi behöver mer tid för din {noun} ({ref})",
        "en": "We need more time for your {noun} ({ref})",
        "da": "Vi har brug for mere tid til din {noun} ({ref})",
    },
    "refused": {
        "sv": "Besked om din {noun} ({ref})",
        "en": "Our decision on your {noun} ({ref})",
        "da": "Afgørelse om din {noun} ({ref})",
    },
}

_GREETING = {"sv": "Hej!", "en": "Hello,", "da": "Hej,"}
_SIGN = {"sv": "Vänliga hälsningar", "en": "Kind regards", "da": "Venlig hilsen"}
_QUESTIONS = {
    "sv": "Har du frågor kan du svara på det här mejlet.",
    "en": "If you have any questions, just reply to this email.",
    "da": "Har du spørgsmål, er du velkommen til at svare på denne mail.",
}

_BODIES = {
    "completed": {
        "sv": "Vi har nu behandlat din {noun} (ärende {ref}).",
        "en": "We have now dealt with your {noun} (reference {ref}).",
        "da": "Vi har nu behandlet din {noun} (sag {ref}).",
    },
    "extended": {
        "sv": (
            "Vi behöver mer tid för att besvara din {noun} (ärende {ref}). Skälet är "
            "följande: {reason}\n\nDataskyddsförordningen (artikel 12.3) tillåter att "
            "tiden förlängs med högst två månader när en begäran är komplicerad eller "
            "när vi har fått in många begäranden. Du får vårt svar senast den {due}."
        ),
        "en": (
            "We need more time to answer your {noun} (reference {ref}). The reason is "
            "this: {reason}\n\nThe GDPR (Article 12(3)) allows us up to two further "
            "months when a request is complex or we have received a large number of "
            "them. You will have our answer by {due} at the latest."
        ),
        "da": (
            "Vi har brug for mere tid til at besvare din {noun} (sag {ref}). "
            "Begrundelsen er: {reason}\n\nDatabeskyttelsesforordningen (artikel 12, "
            "stk. 3) giver mulighed for at forlænge fristen med op til to måneder, når en "
            "anmodning er kompliceret, eller når vi har modtaget mange anmodninger. Du "
            "får vores svar senest den {due}."
        ),
    },
    "refused": {
        "sv": (
            "Vi kan tyvärr inte tillmötesgå din {noun} (ärende {ref}). Skälet är "
            "följande: {reason}\n\nOm du inte är nöjd med vårt beslut kan du klaga hos "
            "tillsynsmyndigheten, {authority}{where}. Du har också rätt att föra saken "
            "till domstol."
        ),
        "en": (
            "We are unable to grant your {noun} (reference {ref}). Our reasons are "
            "these: {reason}\n\nIf you are not satisfied with our decision, you can "
            "complain to the supervisory authority, {authority}{where}. You also have "
            "the right to take the matter to court."
        ),
        "da": (
            "Vi kan desværre ikke imødekomme din {noun} (sag {ref}). Begrundelsen er: "
            "{reason}\n\nEr du ikke tilfreds med vores afgørelse, kan du klage til "
            "tilsynsmyndigheden, {authority}{where}. Du har også ret til at indbringe "
            "sagen for domstolene."
        ),
    },
}

_LINK = {
    "sv": "Du hämtar svaret här (länken gäller en begränsad tid):\n{link}",
    "en": "You can download the answer here (the link works for a limited time):\n{link}",
    "da": "Du kan hente svaret her (linket virker i en begrænset periode):\n{link}",
}


def long_date(day: dt.date, lang: str) -> str:
    """'5 april 2026', '5 April 2026', '5. april 2026'."""
    return str(format_date(day, "long", locale=_LOCALES[lang]))


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _complaint_route(country: str | None, lang: str) -> tuple[str, str]:
    try:
        authority = for_country(country or "")
    except AuthorityError:
        return {
            "sv": "tillsynsmyndigheten",
            "en": "the supervisory authority",
            "da": "tilsynsmyndigheden",
        }[lang], ""
    url = authority.complaint_url or authority.website
    name, official = authority.name_in(lang), authority.official_name
    extra = [official] if official != name else []
    extra += [url] if url else []
    return name, f" ({', '.join(extra)})" if extra else ""


def person_message(
    kind: str,
    lang: str,
    *,
    request_id: str,
    request_kind: str,
    controller: str,
    due: dt.date | None = None,
    reason: str | None = None,
    country: str | None = None,
    link: str | None = None,
) -> tuple[str, str]:
    """(subject, text) of the email telling the person their request is ``completed``,
    ``extended`` (with ``due`` and ``reason``) or ``refused`` (with ``reason``; the text
    names the supervisory authority of ``country`` and the courts, DSR-3)."""
    if lang not in _LOCALES:
        raise SkyddError(f"unknown language '{lang}'", hint="use sv, en or da")
    if kind not in _BODIES:
        raise SkyddError(f"unknown message '{kind}'", hint="use completed, extended or refused")
    if kind in ("extended", "refused") and not (reason and reason.strip()):
        raise SkyddError(f"a message that the request was {kind} needs the reason")
    if kind == "extended" and due is None:
        raise SkyddError("a message that the request was extended needs the new deadline")
    noun = NOUNS[lang].get(request_kind, NOUNS[lang]["access"])
    authority, where = _complaint_route(country, lang)
    fields = {
        "noun": noun,
        "ref": request_id,
        "reason": _sentence(reason or ""),
        "due": long_date(due, lang) if due else "",
        "authority": authority,
        "where": where,
    }
    subject = _SUBJECTS[kind][lang].format(**fields)
    parts = [_GREETING[lang], _BODIES[kind][lang].format(**fields)]
    if link and kind == "completed":
        parts.append(_LINK[lang].format(link=link))
    parts += [_QUESTIONS[lang], f"{_SIGN[lang]}\n{controller}"]
    return subject, "\n\n".join(parts) + "\n"

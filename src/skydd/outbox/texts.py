"""The email a recipient receives: Swedish, Danish or English by the recipient's country."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_SUBJECT = {
    "sv": {
        "rectification": "Rättelse av personuppgifter ({request_id})",
        "erasure": "Radering av personuppgifter ({request_id})",
        "restriction": "Begränsning av behandling ({request_id})",
    },
    "en": {
        "rectification": "Rectification of personal data ({request_id})",
        "erasure": "Erasure of personal data ({request_id})",
        "restriction": "Restriction of processing ({request_id})",
    },
    "da": {
        "rectification": "Berigtigelse af personoplysninger ({request_id})",
        "erasure": "Sletning af personoplysninger ({request_id})",
        "restriction": "Begrænsning af behandling ({request_id})",
    },
}

_ASK = {
    "sv": {
        "rectification": "Vi har rättat personuppgifter om en person som vi tidigare har lämnat "
        "ut till er. Rätta dem även hos er.",
        "erasure": "Vi har raderat personuppgifter om en person som vi tidigare har lämnat ut "
        "till er. Radera dem även hos er, om ni inte själva är skyldiga att spara dem.",
        "restriction": "Personen har begärt att behandlingen av hens uppgifter begränsas. Ni får "
        "lagra uppgifterna men inte använda dem på annat sätt tills vi hör av oss igen.",
    },
    "en": {
        "rectification": "We have rectified personal data about someone whose data we have "
        "disclosed to you. Please rectify it in your systems too.",
        "erasure": "We have erased personal data about someone whose data we have disclosed "
        "to you. Please erase it in your systems too, unless you are obliged to keep it.",
        "restriction": "The person has asked for the processing of their data to be restricted. "
        "You may store the data but must not otherwise use it until we tell you otherwise.",
    },
    "da": {
        "rectification": "Vi har berigtiget personoplysninger om en person, som vi tidligere har "
        "videregivet til jer. Berigtig dem også hos jer.",
        "erasure": "Vi har slettet personoplysninger om en person, som vi tidligere har "
        "videregivet til jer. Slet dem også hos jer, medmindre I selv har pligt til at gemme dem.",
        "restriction": "Personen har bedt om, at behandlingen af vedkommendes oplysninger "
        "begrænses. I må opbevare oplysningerne, men ikke bruge dem på anden måde, før I hører "
        "fra os igen.",
    },
}

_LABELS = {
    "sv": {
        "intro": "Hej,",
        "law": "Vi skriver enligt artikel 19 i dataskyddsförordningen (GDPR).",
        "request": "Ärende",
        "person": "Personen (som den finns hos er)",
        "changes": "Nya värden",
        "tables": "Berörda register",
        "categories": "Uppgiftskategorier",
        "reply": "Svara på det här mejlet om ni har frågor. Ange ärendenumret.",
        "sign": "Med vänliga hälsningar",
    },
    "en": {
        "intro": "Hello,",
        "law": "We are writing to you under Article 19 of the General Data Protection "
        "Regulation (GDPR).",
        "request": "Reference",
        "person": "The person (as you hold them)",
        "changes": "New values",
        "tables": "Registers concerned",
        "categories": "Categories of data",
        "reply": "If you have any questions, reply to this email and quote the reference.",
        "sign": "Kind regards",
    },
    "da": {
        "intro": "Hej,",
        "law": "Vi skriver til jer i henhold til artikel 19 i databeskyttelsesforordningen (GDPR).",
        "request": "Sagsnummer",
        "person": "Personen (som I har vedkommende registreret)",
        "changes": "Nye værdier",
        "tables": "Berørte registre",
        "categories": "Kategorier af oplysninger",
        "reply": "Hvis I har spørgsmål, så svar på denne mail og angiv sagsnummeret.",
        "sign": "Venlig hilsen",
    },
}

_LANG_BY_COUNTRY = {"SE": "sv", "DK": "da", "FI": "sv", "AX": "sv", "GL": "da", "FO": "da"}


def language_for(country: str) -> str:
    """sv for Sweden, da for Denmark, else English."""
    return _LANG_BY_COUNTRY.get(country.upper(), "en")


def render_email(body: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(subject, plain text) of the notice described by `body`."""
    lang = lang if lang in _LABELS else "en"
    event = str(body["event"])
    labels = _LABELS[lang]
    subject = _SUBJECT[lang][event].format(request_id=body["request_id"])
    lines = [labels["intro"], "", _ASK[lang][event], labels["law"], ""]
    lines.append(f"{labels['request']}: {body['request_id']}")
    person = body.get("subject") or {}
    if person:
        lines += ["", f"{labels['person']}:"]
        lines += [f"  {kind}: {', '.join(values)}" for kind, values in sorted(person.items())]
    changes = body.get("changes") or {}
    if changes:
        lines += ["", f"{labels['changes']}:"]
        lines += [f"  {key}: {value}" for key, value in sorted(changes.items())]
    lines += ["", f"{labels['tables']}: {', '.join(body.get('tables', []))}"]
    if body.get("categories"):
        lines.append(f"{labels['categories']}: {', '.join(body['categories'])}")
    lines += ["", labels["reply"], "", labels["sign"], str(body.get("controller", ""))]
    return subject, "\n".join(lines) + "\n"

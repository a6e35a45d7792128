"""The banner's configuration, from the data map: categories, cookies, services, texts.

Kept free of FastAPI so that it can be tested, measured and reused (the dashboard
shows the same categories). The texts a visitor reads are here in Swedish, English
and Danish; the cookies' own purposes come from the map in the reader's language.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from babel.units import format_unit

from skydd.datamap.models import LANGS, Cookie, CookieCategory, DataMap, Text, parse_period

ORDER = ("necessary", "preferences", "analytics", "marketing")
DEFAULT_RENEWAL_DAYS = 365
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Vi använder kakor",
        "intro": "{controller} använder nödvändiga kakor för att webbplatsen ska fungera.",
        "intro_more": "Med ditt samtycke använder vi även kakor för {purposes}. "
        "Du kan ändra dig när som helst.",
        "more": "Läs mer i vår integritetspolicy",
        "accept": "Godkänn alla",
        "reject": "Avvisa alla",
        "settings": "Inställningar",
        "save": "Spara mina val",
        "always": "Alltid på: behövs för att webbplatsen ska fungera.",
        "cookies": "Kakor",
        "name": "Namn",
        "party": "Sätts av",
        "purpose": "Ändamål",
        "lifetime": "Lagringstid",
        "services": "Tjänster",
        "session": "tills du stänger webbläsaren",
        "and": "och",
        "necessary": "Nödvändiga",
        "necessary.desc": "Gör att webbplatsen fungerar, till exempel att ditt val här sparas.",
        "necessary.noun": "att webbplatsen ska fungera",
        "preferences": "Inställningar",
        "preferences.desc": "Kommer ihåg dina val, till exempel språk.",
        "preferences.noun": "dina inställningar",
        "analytics": "Statistik",
        "analytics.desc": "Hjälper oss att förstå hur webbplatsen används, så att vi kan "
        "förbättra den.",
        "analytics.noun": "statistik",
        "marketing": "Marknadsföring",
        "marketing.desc": "Används för att visa relevant marknadsföring och mäta hur den fungerar.",
        "marketing.noun": "marknadsföring",
    },
    "en": {
        "title": "We use cookies",
        "intro": "{controller} uses necessary cookies to make this website work.",
        "intro_more": "With your consent we also use cookies for {purposes}. "
        "You can change your mind at any time.",
        "more": "Read more in our privacy notice",
        "accept": "Accept all",
        "reject": "Reject all",
        "settings": "Settings",
        "save": "Save my choices",
        "always": "Always on: needed for the website to work.",
        "cookies": "Cookies",
        "name": "Name",
        "party": "Set by",
        "purpose": "Purpose",
        "lifetime": "Kept for",
        "services": "Services",
        "session": "until you close your browser",
        "and": "and",
        "necessary": "Necessary",
        "necessary.desc": "Make the website work, for example by remembering your choice here.",
        "necessary.noun": "the website to work",
        "preferences": "Preferences",
        "preferences.desc": "Remember your settings, such as your language.",
        "preferences.noun": "your preferences",
        "analytics": "Statistics",
        "analytics.desc": "Help us understand how the website is used, so that we can improve it.",
        "analytics.noun": "statistics",
        "marketing": "Marketing",
        "marketing.desc": "Used to show relevant marketing and to measure how well it works.",
        "marketing.noun": "marketing",
    },
    "da": {
        "title": "Vi bruger cookies",
        "intro": "{controller} bruger nødvendige cookies, for at hjemmesiden kan fungere.",
        "intro_more": "Med dit samtykke bruger vi også cookies til {purposes}. "
        "Du kan altid ændre dit valg.",
        "more": "Læs mere i vores privatlivspolitik",
        "accept": "Accepter alle",
        "reject": "Afvis alle",
        "settings": "Indstillinger",
        "save": "Gem mine valg",
        "always": "Altid slået til: nødvendige, for at hjemmesiden fungerer.",
        "cookies": "Cookies",
        "name": "Navn",
        "party": "Sat af",
        "purpose": "Formål",
        "lifetime": "Opbevares i",
        "services": "Tjenester",
        "session": "indtil du lukker browseren",
        "and": "og",
        "necessary": "Nødvendige",
        "necessary.desc": "Får hjemmesiden til at fungere, fx ved at huske dit valg her.",
        "necessary.noun": "at hjemmesiden fungerer",
        "preferences": "Præferencer",
        "preferences.desc": "Husker dine indstillinger, fx sprog.",
        "preferences.noun": "dine præferencer",
        "analytics": "Statistik",
        "analytics.desc": "Hjælper os med at forstå, hvordan hjemmesiden bruges, så vi kan "
        "forbedre den.",
        "analytics.noun": "statistik",
        "marketing": "Markedsføring",
        "marketing.desc": "Bruges til at vise relevant markedsføring og måle, hvordan den virker.",
        "marketing.noun": "markedsføring",
    },
}
_LOCALES = {"sv": "sv_SE", "en": "en_GB", "da": "da_DK"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "service"


def lifetime(text: str, lang: str) -> str:
    """'6 months' -> '6 månader' / '6 months' / '6 måneder'; 'session' in words."""
    if text.strip().lower() == "session":
        return TEXTS[lang]["session"]
    try:
        count, unit = parse_period(text)
    except ValueError:
        return text
    words = format_unit(count, f"duration-{unit}", length="long", locale=_LOCALES[lang])
    return words.replace("dygn", "dagar") if lang == "sv" else words


def renewal_days(datamap: DataMap) -> int:
    """How long a choice stands before the banner asks again (LEGAL.md CON-4)."""
    period = datamap.policy.consent_renewal
    if not period:
        return DEFAULT_RENEWAL_DAYS
    count, unit = parse_period(period)
    return count * _UNIT_DAYS[unit]


def consent_cookie(datamap: DataMap) -> str:
    """The name of the cookie that keeps the choice: the map's own necessary cookie
    for it when it declares one (a name with 'consent' in it), else skydd_consent."""
    for c in datamap.cookies:
        if c.category == CookieCategory.necessary and "consent" in c.name.lower():
            if re.fullmatch(r"[A-Za-z0-9_\-]+", c.name):
                return c.name
    return "skydd_consent"


def _party(datamap: DataMap, cookie: Cookie) -> tuple[str, str | None]:
    """Who sets it (for the table) and the service id when a third party does."""
    if cookie.recipient and cookie.recipient in datamap.recipients:
        return datamap.recipients[cookie.recipient].name, cookie.recipient
    if cookie.party and cookie.party != "first":
        return cookie.party, _slug(cookie.party)
    return datamap.controller.name, None


def _text(value: Text | None, lang: str) -> str:
    return (value.get(lang) if value else None) or ""


def _join(items: list[str], lang: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {TEXTS[lang]['and']} " + items[-1]


def categories(datamap: DataMap, lang: str) -> list[dict[str, Any]]:
    """The categories the map's cookies use (necessary always), each with its cookies
    and the third-party services that set them."""
    t = TEXTS[lang]
    used = {c.category.value for c in datamap.cookies} | {"necessary"}
    out = []
    for cat in ORDER:
        if cat not in used:
            continue
        cookies, services = [], {}
        for c in datamap.cookies:
            if c.category.value != cat:
                continue
            party, service = _party(datamap, c)
            cookies.append([c.name, party, _text(c.purpose, lang), lifetime(c.lifetime, lang)])
            if service and cat != "necessary":
                services[service] = party
        out.append(
            {
                "id": cat,
                "label": t[cat],
                "desc": t[f"{cat}.desc"],
                "required": cat == "necessary",
                "cookies": cookies,
                "services": [{"id": k, "label": v} for k, v in services.items()],
            }
        )
    return out


def version_of(datamap: DataMap, published: tuple[str, str] | None) -> tuple[str, str]:
    """(version, sha256): the published privacy notice's when there is one, else a hash
    of what the banner asks about, so that a change to the cookies asks again (CON-4)."""
    if published:
        return published
    basis = [c.model_dump(mode="json") for c in datamap.cookies]
    digest = hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()
    return "map-" + digest[:12], digest


def build(
    datamap: DataMap,
    lang: str,
    *,
    published: tuple[str, str] | None = None,
    gpc: bool = False,
    notice_url: str | None = None,
) -> dict[str, Any]:
    """The configuration object the script reads."""
    lang = lang if lang in LANGS else "en"
    t = TEXTS[lang]
    cats = categories(datamap, lang)
    nouns = [t[f"{c['id']}.noun"] for c in cats if not c["required"]]
    intro = t["intro"].format(controller=datamap.controller.name)
    if nouns:
        intro += " " + t["intro_more"].format(purposes=_join(nouns, lang))
    version, _ = version_of(datamap, published)
    keys = ("title", "more", "accept", "reject", "settings", "save", "always", "cookies")
    texts = {k: t[k] for k in keys} | {
        "intro": intro,
        "name": t["name"],
        "party": t["party"],
        "purpose": t["purpose"],
        "lifetime": t["lifetime"],
        "services": t["services"],
    }
    return {
        "version": version,
        "renewDays": renewal_days(datamap),
        "cookie": consent_cookie(datamap),
        "endpoint": "/consent/choice",
        "css": "/consent/banner.css",
        "lang": lang,
        "gpc": gpc,
        # Only necessary cookies: nothing to consent to, so the banner does not ask.
        "ask": any(not c["required"] for c in cats),
        "notice": notice_url,
        "t": texts,
        "cats": cats,
    }


@cache
def asset(name: str) -> str:
    """banner.js or banner.css, as shipped in the package."""
    return resources.files("skydd.web.banner").joinpath(name).read_text(encoding="utf-8")


def script(config: dict[str, Any]) -> str:
    """banner.js with its configuration in place (safe inside a script: no '</')."""
    data = json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return asset("banner.js").replace("/*CONFIG*/null", data, 1)

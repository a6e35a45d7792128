"""Supervisory authorities, kept in Skydd so that no data map has to copy them.

A privacy notice must name the authority a person can complain to (Art. 13(2)(d))
and a refusal must mention the right to complain (Art. 12(4)). Addresses change
and authorities are renamed (Datainspektionen became IMY on 1 January 2021), so
one table here serves every map, and lint rule SE-2 can find the old names.

Contact fields were written from the authorities' own sites as remembered, not
re-checked; a field left None was not certain enough to state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from skydd.errors import SkyddError

__all__ = [
    "ADEQUATE",
    "AUTHORITIES",
    "EEA",
    "Authority",
    "AuthorityError",
    "for_country",
    "old_name_mentions",
]


class AuthorityError(SkyddError):
    """No supervisory authority is known for a country code."""


@dataclass(frozen=True)
class Authority:
    """A data protection supervisory authority and how to reach it."""

    country: str
    short: str
    name: dict[str, str]
    website: str
    complaint_url: str | None = None
    postal_address: str | None = None
    email: str | None = None
    phone: str | None = None
    former_names: tuple[str, ...] = ()
    note: str | None = None
    official_lang: str = "en"

    def name_in(self, lang: str) -> str:
        """The name for a text in ``lang``; proper names fall back to the official one."""
        return self.name.get(lang) or self.name[self.official_lang]

    @property
    def reader_lang(self) -> str:
        """The country's language where Skydd writes documents (sv, en, da), else English."""
        return self.official_lang if self.official_lang in ("sv", "en", "da") else "en"

    @property
    def official_name(self) -> str:
        """The name in the authority's own (first official) language."""
        return self.name[self.official_lang]


def _authority(
    country: str,
    short: str,
    official: dict[str, str],
    en: str,
    website: str,
    *,
    da: str | None = None,
    complaint_url: str | None = None,
    postal_address: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    former_names: tuple[str, ...] = (),
    note: str | None = None,
) -> Authority:
    # A notice in Swedish or Danish names a foreign authority by its own name, as
    # people there do, so sv and da default to the official name.
    lang, local = next(iter(official.items()))
    names = {**official, "en": official.get("en", en)}
    names.setdefault("sv", local)
    names["da"] = da or official.get("da", local)
    return Authority(
        country=country,
        short=short,
        name=names,
        website=website,
        complaint_url=complaint_url,
        postal_address=postal_address,
        email=email,
        phone=phone,
        former_names=former_names,
        note=note,
        official_lang=lang,
    )


_ALL: tuple[Authority, ...] = (
    _authority(
        "SE",
        "IMY",
        {"sv": "Integritetsskyddsmyndigheten"},
        "Swedish Authority for Privacy Protection",
        "https://www.imy.se",
        postal_address="Box 8114, 104 20 Stockholm",
        email="imy@imy.se",
        phone="+46 8 657 61 00",
        former_names=("Datainspektionen",),
        note="Called Datainspektionen until 31 December 2020.",
    ),
    _authority(
        "DK",
        "Datatilsynet",
        {"da": "Datatilsynet"},
        "Danish Data Protection Agency",
        "https://www.datatilsynet.dk",
        postal_address="Carl Jacobsens Vej 35, 2500 Valby",
        email="dt@datatilsynet.dk",
        phone="+45 33 19 32 00",
        former_names=("Registertilsynet",),
    ),
    _authority(
        "GB",
        "ICO",
        {"en": "Information Commissioner's Office"},
        "Information Commissioner's Office",
        "https://ico.org.uk",
        complaint_url="https://ico.org.uk/make-a-complaint/",
        postal_address="Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF",
        phone="+44 303 123 1113",
        note=(
            "The Data (Use and Access) Act 2025 replaces the ICO with the Information "
            "Commission once the relevant provisions are in force."
        ),
    ),
    _authority(
        "NO",
        "Datatilsynet",
        {"nb": "Datatilsynet"},
        "Norwegian Data Protection Authority",
        "https://www.datatilsynet.no",
        postal_address="Postboks 458 Sentrum, 0105 Oslo",
        email="postkasse@datatilsynet.no",
    ),
    _authority(
        "FI",
        "Tietosuojavaltuutettu",
        {"fi": "Tietosuojavaltuutetun toimisto", "sv": "Dataombudsmannens byrå"},
        "Office of the Data Protection Ombudsman",
        "https://tietosuoja.fi",
        da="Dataombudsmannens byrå",
        postal_address="PL 800, 00531 Helsinki",
        email="tietosuoja@om.fi",
    ),
    _authority(
        "DE",
        "BfDI",
        {"de": "Die Bundesbeauftragte für den Datenschutz und die Informationsfreiheit"},
        "Federal Commissioner for Data Protection and Freedom of Information",
        "https://www.bfdi.bund.de",
        postal_address="Graurheindorfer Straße 153, 53117 Bonn",
        email="poststelle@bfdi.bund.de",
        note=(
            "The BfDI supervises federal public bodies and telecommunications and postal "
            "companies. Other private companies answer to the data protection authority of "
            "their Land (e.g. BayLDA in Bavaria, HmbBfDI in Hamburg); name that one instead."
        ),
    ),
    _authority(
        "IE",
        "DPC",
        {"en": "Data Protection Commission", "ga": "An Coimisiún um Chosaint Sonraí"},
        "Data Protection Commission",
        "https://www.dataprotection.ie",
        postal_address="21 Fitzwilliam Square South, Dublin 2, D02 RD28",
        former_names=("Office of the Data Protection Commissioner",),
    ),
    _authority(
        "NL",
        "AP",
        {"nl": "Autoriteit Persoonsgegevens"},
        "Dutch Data Protection Authority",
        "https://www.autoriteitpersoonsgegevens.nl",
        postal_address="Postbus 93374, 2509 AJ Den Haag",
        former_names=("College bescherming persoonsgegevens",),
    ),
    _authority(
        "AT",
        "DSB",
        {"de": "Österreichische Datenschutzbehörde"},
        "Austrian Data Protection Authority",
        "https://www.dsb.gv.at",
        former_names=("Datenschutzkommission",),
    ),
    _authority(
        "BE",
        "GBA/APD",
        {
            "nl": "Gegevensbeschermingsautoriteit",
            "fr": "Autorité de protection des données",
            "de": "Datenschutzbehörde",
        },
        "Belgian Data Protection Authority",
        "https://www.gegevensbeschermingsautoriteit.be",
        former_names=(
            "Commissie voor de bescherming van de persoonlijke levenssfeer",
            "Commission de la protection de la vie privée",
        ),
    ),
    _authority(
        "BG",
        "CPDP",
        {"bg": "Комисия за защита на личните данни"},
        "Commission for Personal Data Protection",
        "https://www.cpdp.bg",
    ),
    _authority(
        "HR",
        "AZOP",
        {"hr": "Agencija za zaštitu osobnih podataka"},
        "Croatian Personal Data Protection Agency",
        "https://azop.hr",
    ),
    _authority(
        "CY",
        "Commissioner for Personal Data Protection",
        {"el": "Γραφείο Επιτρόπου Προστασίας Δεδομένων Προσωπικού Χαρακτήρα"},
        "Office of the Commissioner for Personal Data Protection",
        "https://www.dataprotection.gov.cy",
    ),
    _authority(
        "CZ",
        "ÚOOÚ",
        {"cs": "Úřad pro ochranu osobních údajů"},
        "Office for Personal Data Protection",
        "https://uoou.gov.cz",
    ),
    _authority(
        "EE",
        "AKI",
        {"et": "Andmekaitse Inspektsioon"},
        "Estonian Data Protection Inspectorate",
        "https://www.aki.ee",
    ),
    _authority(
        "FR",
        "CNIL",
        {"fr": "Commission nationale de l'informatique et des libertés"},
        "French Data Protection Authority (CNIL)",
        "https://www.cnil.fr",
    ),
    _authority(
        "GR",
        "HDPA",
        {"el": "Αρχή Προστασίας Δεδομένων Προσωπικού Χαρακτήρα"},
        "Hellenic Data Protection Authority",
        "https://www.dpa.gr",
    ),
    _authority(
        "HU",
        "NAIH",
        {"hu": "Nemzeti Adatvédelmi és Információszabadság Hatóság"},
        "National Authority for Data Protection and Freedom of Information",
        "https://naih.hu",
    ),
    _authority(
        "IT",
        "Garante",
        {"it": "Garante per la protezione dei dati personali"},
        "Italian Data Protection Authority",
        "https://www.garanteprivacy.it",
    ),
    _authority(
        "LV",
        "DVI",
        {"lv": "Datu valsts inspekcija"},
        "Data State Inspectorate",
        "https://www.dvi.gov.lv",
    ),
    _authority(
        "LT",
        "VDAI",
        {"lt": "Valstybinė duomenų apsaugos inspekcija"},
        "State Data Protection Inspectorate",
        "https://vdai.lrv.lt",
    ),
    _authority(
        "LU",
        "CNPD",
        {"fr": "Commission nationale pour la protection des données"},
        "National Commission for Data Protection",
        "https://cnpd.public.lu",
    ),
    _authority(
        "MT",
        "IDPC",
        {"en": "Information and Data Protection Commissioner"},
        "Information and Data Protection Commissioner",
        "https://idpc.org.mt",
    ),
    _authority(
        "PL",
        "UODO",
        {"pl": "Urząd Ochrony Danych Osobowych"},
        "Personal Data Protection Office",
        "https://uodo.gov.pl",
    ),
    _authority(
        "PT",
        "CNPD",
        {"pt": "Comissão Nacional de Proteção de Dados"},
        "National Data Protection Commission",
        "https://www.cnpd.pt",
    ),
    _authority(
        "RO",
        "ANSPDCP",
        {"ro": "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal"},
        "National Supervisory Authority for Personal Data Processing",
        "https://www.dataprotection.ro",
    ),
    _authority(
        "SK",
        "ÚOOÚ SR",
        {"sk": "Úrad na ochranu osobných údajov Slovenskej republiky"},
        "Office for Personal Data Protection of the Slovak Republic",
        "https://dataprotection.gov.sk",
    ),
    _authority(
        "SI",
        "IP",
        {"sl": "Informacijski pooblaščenec"},
        "Information Commissioner of the Republic of Slovenia",
        "https://www.ip-rs.si",
    ),
    _authority(
        "ES",
        "AEPD",
        {"es": "Agencia Española de Protección de Datos"},
        "Spanish Data Protection Agency",
        "https://www.aepd.es",
    ),
    _authority(
        "IS",
        "Persónuvernd",
        {"is": "Persónuvernd"},
        "Icelandic Data Protection Authority",
        "https://www.personuvernd.is",
    ),
    _authority(
        "LI",
        "DSS",
        {"de": "Datenschutzstelle Liechtenstein"},
        "Data Protection Authority of Liechtenstein",
        "https://www.datenschutzstelle.li",
    ),
    _authority(
        "CH",
        "EDÖB",
        {
            "de": "Eidgenössischer Datenschutz- und Öffentlichkeitsbeauftragter",
            "fr": "Préposé fédéral à la protection des données et à la transparence",
        },
        "Federal Data Protection and Information Commissioner",
        "https://www.edoeb.admin.ch",
    ),
)

AUTHORITIES: Mapping[str, Authority] = MappingProxyType({a.country: a for a in _ALL})

# ISO 3166 codes; the EU writes Greece as EL and people write the UK as UK.
_ALIASES = {"EL": "GR", "UK": "GB"}

EEA: frozenset[str] = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        "IS", "LI", "NO",
    }
)  # fmt: skip

# Countries covered by an EU adequacy decision (Art. 45), with its scope. The US is
# deliberately absent: the EU-US Data Privacy Framework (Implementing Decision (EU)
# 2023/1795, 10 July 2023) covers only certified organisations, so a US recipient
# needs the 'dpf' mechanism with a checked certification (LEGAL.md PRC-2), or SCCs.
# The UK decisions (2021) had a sunset that was extended to 27 December 2025 while
# their renewal was prepared: check the current status before relying on GB.
ADEQUATE: dict[str, str] = {
    "AD": "Andorra (Decision 2010/625/EU)",
    "AR": "Argentina (Decision 2003/490/EC)",
    "CA": "Canada, only commercial organisations subject to PIPEDA (Decision 2002/2/EC)",
    "CH": "Switzerland (Decision 2000/518/EC)",
    "FO": "Faroe Islands (Decision 2010/146/EU)",
    "GB": "United Kingdom (Implementing Decision (EU) 2021/1772)",
    "GG": "Guernsey (Decision 2003/821/EC)",
    "IL": "Israel (Decision 2011/61/EU)",
    "IM": "Isle of Man (Decision 2004/411/EC)",
    "JE": "Jersey (Decision 2008/393/EC)",
    "JP": "Japan, private sector under the APPI (Implementing Decision (EU) 2019/419)",
    "KR": "Republic of Korea (Implementing Decision (EU) 2022/254)",
    "NZ": "New Zealand (Decision 2013/65/EU)",
    "UY": "Uruguay (Decision 2012/484/EU)",
}


def for_country(code: str) -> Authority:
    """The supervisory authority for an ISO 3166 country code (``EL`` and ``UK`` accepted)."""
    key = code.strip().upper()
    key = _ALIASES.get(key, key)
    authority = AUTHORITIES.get(key)
    if authority is None:
        raise AuthorityError(
            f"no supervisory authority is known for country '{code}'",
            f"use an ISO 3166 code; supported: {', '.join(sorted(AUTHORITIES))}",
        )
    return authority


def _old_name_pattern() -> re.Pattern[str]:
    names = sorted(
        {name for authority in _ALL for name in authority.former_names}, key=len, reverse=True
    )
    # A trailing \w* also catches inflected forms: "Datainspektionens beslut".
    return re.compile(
        r"\b(?:" + "|".join(re.escape(name) for name in names) + r")\w*", re.IGNORECASE
    )


_OLD_NAMES = _old_name_pattern()
_BY_OLD_NAME = sorted(
    ((name.casefold(), a) for a in _ALL for name in a.former_names),
    key=lambda item: len(item[0]),
    reverse=True,
)


def old_name_mentions(text: str) -> list[tuple[str, Authority]]:
    """Former authority names in ``text`` as written, in order, with today's authority.

    Policies still tell people to complain to Datainspektionen (PROMISES.md, AXsensor);
    lint rule SE-2 uses this to say which name to write instead.
    """
    found: list[tuple[str, Authority]] = []
    for match in _OLD_NAMES.finditer(text):
        written = match.group(0)
        for name, authority in _BY_OLD_NAME:
            if written.casefold().startswith(name):
                found.append((written, authority))
                break
    return found

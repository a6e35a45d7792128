"""Data categories: fideslang's default taxonomy with sv/en/da labels and GDPR flags.

A data map labels every column with a category key such as ``user.contact.email``.
The keys are fideslang's (ethyca/fideslang ``default_taxonomy/data_categories.py``,
3.2.0, deprecated keys included so older maps keep working), so maps and tools can
be shared with Fides. Skydd adds what the GDPR needs and fideslang does not carry:
labels for notices and registerutdrag in three languages, whether a category is
personal, an Art. 9 special category or Art. 10 criminal data, and whether it
identifies a person on its own (``direct``) or in combination (``quasi``), which
anonymisation (LEGAL.md SEC-3) and the scanner rely on. A few categories the
Nordic seed policies need are added as Skydd extensions (``source == "skydd"``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

__all__ = [
    "LANGUAGES",
    "Category",
    "Identifier",
    "Taxonomy",
    "all_keys",
    "get",
    "is_criminal",
    "is_known",
    "is_personal",
    "is_special",
    "labels",
    "suggest",
]

Identifier = Literal["direct", "quasi", "none"]
Source = Literal["fideslang", "skydd", "map"]
LANGUAGES: tuple[str, ...] = ("sv", "en", "da")


@dataclass(frozen=True)
class Category:
    """One data category: its key, labels per language and what the GDPR says about it."""

    key: str
    labels: dict[str, str]
    parent: str | None = None
    personal: bool = False
    special: bool = False
    criminal: bool = False
    identifier: Identifier = "none"
    replaced_by: str | None = None
    source: Source = "map"


# (key, identifier, en, sv, da). Parents come before children; a key's parent is
# the key without its last segment, as in fideslang.
_FIDESLANG: tuple[tuple[str, Identifier, str, str, str], ...] = (
    ("user", "none", "Personal data", "Personuppgifter", "Personoplysninger"),
    ("user.account", "quasi", "Account details", "Kontouppgifter", "Kontooplysninger"),
    ("user.account.settings", "none", "Account settings", "Kontoinställningar",
     "Kontoindstillinger"),
    ("user.account.username", "direct", "Username", "Användarnamn", "Brugernavn"),
    ("user.authorization", "none", "Access and login data", "Behörighetsuppgifter",
     "Adgangsoplysninger"),
    ("user.authorization.credentials", "none", "Login credentials", "Inloggningsuppgifter",
     "Loginoplysninger"),
    ("user.authorization.biometric", "direct", "Biometric login", "Biometrisk inloggning",
     "Biometrisk login"),
    ("user.authorization.biometrics", "direct", "Biometric login", "Biometrisk inloggning",
     "Biometrisk login"),
    ("user.authorization.password", "none", "Password", "Lösenord", "Adgangskode"),
    ("user.behavior", "none", "Observed behaviour", "Beteendeuppgifter", "Adfærdsdata"),
    ("user.behavior.browsing_history", "none", "Browsing history", "Webbhistorik",
     "Browserhistorik"),
    ("user.behavior.media_consumption", "none", "Media use", "Medieanvändning", "Medieforbrug"),
    ("user.behavior.purchase_history", "none", "Purchase history", "Köphistorik",
     "Købshistorik"),
    ("user.behavior.search_history", "none", "Search history", "Sökhistorik", "Søgehistorik"),
    ("user.biometric", "direct", "Biometric data", "Biometriska uppgifter", "Biometriske data"),
    ("user.biometrics", "direct", "Biometric data", "Biometriska uppgifter",
     "Biometriske data"),
    ("user.biometric.fingerprint", "direct", "Fingerprints", "Fingeravtryck", "Fingeraftryk"),
    ("user.biometrics.fingerprint", "direct", "Fingerprints", "Fingeravtryck",
     "Fingeraftryk"),
    ("user.biometric.retinal", "direct", "Retina scans", "Näthinneskanning",
     "Nethindescanning"),
    ("user.biometrics.retinal", "direct", "Retina scans", "Näthinneskanning",
     "Nethindescanning"),
    ("user.biometric.voice", "direct", "Voice recordings", "Röstinspelningar",
     "Stemmeoptagelser"),
    ("user.biometrics.voice", "direct", "Voice data", "Röstdata", "Stemmedata"),
    ("user.biometric.health", "none", "Biometric health data", "Biometriska hälsouppgifter",
     "Biometriske helbredsdata"),
    ("user.childrens", "none", "Data about children", "Uppgifter om barn",
     "Oplysninger om børn"),
    ("user.children", "none", "Data about children", "Uppgifter om barn",
     "Oplysninger om børn"),
    ("user.children.children_under_thirteen", "none", "Children under 13", "Barn under 13 år",
     "Børn under 13 år"),
    ("user.children.thirteen_to_sixteen", "none", "Children aged 13 to 16", "Barn 13–16 år",
     "Børn på 13-16 år"),
    ("user.contact", "direct", "Contact details", "Kontaktuppgifter", "Kontaktoplysninger"),
    ("user.contact.address", "direct", "Address", "Adress", "Adresse"),
    ("user.contact.address.city", "quasi", "Town or city", "Ort", "By"),
    ("user.contact.address.country", "quasi", "Country", "Land", "Land"),
    ("user.contact.email", "direct", "Email address", "E-postadress", "E-mailadresse"),
    ("user.contact.phone_number", "direct", "Phone number", "Telefonnummer", "Telefonnummer"),
    ("user.contact.url", "direct", "Website", "Webbplats", "Hjemmeside"),
    ("user.contact.social_url", "direct", "Social media profile", "Profil i sociala medier",
     "Profil på sociale medier"),
    ("user.contact.fax_number", "direct", "Fax number", "Faxnummer", "Faxnummer"),
    ("user.contact.address.postal_code", "quasi", "Postcode", "Postnummer", "Postnummer"),
    ("user.contact.address.state", "quasi", "State or region", "Delstat eller region",
     "Delstat eller region"),
    ("user.contact.address.street", "direct", "Street address", "Gatuadress", "Gadeadresse"),
    ("user.contact.address.mailing_address", "direct", "Postal address", "Postadress",
     "Postadresse"),
    ("user.contact.organization", "quasi", "Organisation", "Organisation", "Organisation"),
    ("user.content", "none", "Content from the person", "Användarinnehåll", "Brugerindhold"),
    ("user.content.private", "none", "Private content", "Privat innehåll", "Privat indhold"),
    ("user.content.public", "none", "Public content", "Offentligt innehåll",
     "Offentligt indhold"),
    ("user.content.self_image", "direct", "Photos of the person", "Bilder på personen",
     "Billeder af personen"),
    ("user.demographic", "quasi", "Demographic data", "Demografiska uppgifter",
     "Demografiske oplysninger"),
    ("user.demographic.age_range", "quasi", "Age group", "Åldersgrupp", "Aldersgruppe"),
    ("user.demographic.date_of_birth", "quasi", "Date of birth", "Födelsedatum",
     "Fødselsdato"),
    ("user.demographic.gender", "quasi", "Gender", "Kön", "Køn"),
    ("user.demographic.language", "quasi", "Language", "Språk", "Sprog"),
    ("user.demographic.marital_status", "quasi", "Marital status", "Civilstånd",
     "Civilstand"),
    ("user.demographic.political_opinion", "none", "Political opinions", "Politiska åsikter",
     "Politisk overbevisning"),
    ("user.demographic.profile", "none", "Profile", "Profiluppgifter", "Profiloplysninger"),
    ("user.demographic.race_ethnicity", "quasi", "Racial or ethnic origin",
     "Ras eller etniskt ursprung", "Race eller etnisk oprindelse"),
    ("user.demographic.religious_belief", "none", "Religious beliefs", "Religiös övertygelse",
     "Religiøs overbevisning"),
    ("user.demographic.sexual_orientation", "none", "Sexual orientation", "Sexuell läggning",
     "Seksuel orientering"),
    ("user.demographic.citizenship_or_immigration_status", "quasi",
     "Citizenship or immigration status", "Medborgarskap eller uppehållsstatus",
     "Statsborgerskab eller opholdsstatus"),
    ("user.demographic.philosophical_belief", "none", "Philosophical beliefs",
     "Filosofisk övertygelse", "Filosofisk overbevisning"),
    ("user.demographic.protected_classifications", "none", "Protected characteristics",
     "Diskrimineringsgrunder", "Diskriminationsgrunde"),
    ("user.demographic.union_membership", "none", "Trade union membership",
     "Medlemskap i fackförening", "Fagforeningsmedlemskab"),
    ("user.location", "quasi", "Location", "Platsuppgifter", "Placeringsdata"),
    ("user.location.imprecise", "quasi", "Approximate location", "Ungefärlig position",
     "Omtrentlig placering"),
    ("user.location.coarse", "quasi", "Approximate location", "Ungefärlig position",
     "Omtrentlig placering"),
    ("user.location.precise", "quasi", "Precise location", "Exakt position",
     "Præcis placering"),
    ("user.device", "quasi", "Device data", "Enhetsuppgifter", "Enhedsoplysninger"),
    ("user.device.cookie", "quasi", "Data stored in cookies", "Uppgifter i kakor",
     "Oplysninger i cookies"),
    ("user.device.cookie_id", "direct", "Cookie ID", "Kak-id", "Cookie-id"),
    ("user.device.device_id", "direct", "Device ID", "Enhets-id", "Enheds-id"),
    ("user.device.ip_address", "quasi", "IP address", "IP-adress", "IP-adresse"),
    ("user.device.sensor", "none", "Sensor data from devices", "Sensordata från enheter",
     "Sensordata fra enheder"),
    ("user.device.telemetry", "none", "Device telemetry", "Telemetri från enheter",
     "Telemetri fra enheder"),
    ("user.payment", "none", "Payment details", "Betalningsuppgifter",
     "Betalingsoplysninger"),
    ("user.social", "none", "Social activity", "Social aktivitet", "Social aktivitet"),
    ("user.social_activity", "none", "Social activity", "Social aktivitet",
     "Social aktivitet"),
    ("user.settings", "none", "Settings", "Inställningar", "Indstillinger"),
    ("user.unique_id", "direct", "Unique ID", "Unikt id", "Unikt id"),
    ("user.unique_id.pseudonymous", "direct", "Pseudonymous ID", "Pseudonymt id",
     "Pseudonymt id"),
    ("user.unique_id.deterministic", "direct", "Deterministic ID", "Deterministiskt id",
     "Deterministisk id"),
    ("user.unique_id.probablistic", "quasi", "Probabilistic ID", "Probabilistiskt id",
     "Probabilistisk id"),
    ("user.telemetry", "none", "Telemetry", "Telemetri", "Telemetri"),
    ("user.user_sensor", "none", "Sensor data", "Sensordata", "Sensordata"),
    ("user.sensor", "none", "Sensor data", "Sensordata", "Sensordata"),
    ("user.financial", "none", "Financial data", "Ekonomiska uppgifter",
     "Økonomiske oplysninger"),
    ("user.financial.bank_account", "direct", "Bank account details", "Bankkontouppgifter",
     "Bankkontooplysninger"),
    ("user.financial.credit_card", "direct", "Payment card details", "Kortuppgifter",
     "Kortoplysninger"),
    ("user.government_id", "direct", "Identity numbers and documents",
     "Id-nummer och id-handlingar", "Id-numre og id-dokumenter"),
    ("user.government_id.birth_certificate", "direct", "Birth certificate", "Födelsebevis",
     "Fødselsattest"),
    ("user.government_id.drivers_license_number", "direct", "Driving licence number",
     "Körkortsnummer", "Kørekortnummer"),
    ("user.government_id.immigration", "direct", "Residence permit details",
     "Uppgifter om uppehållstillstånd", "Oplysninger om opholdstilladelse"),
    ("user.government_id.national_identification_number", "direct",
     "National identity number", "Personnummer", "Personnummer"),
    ("user.government_id.passport_number", "direct", "Passport number", "Passnummer",
     "Pasnummer"),
    ("user.government_id.vehicle_registration", "direct", "Vehicle registration number",
     "Registreringsnummer", "Registreringsnummer"),
    ("user.health_and_medical", "none", "Health data", "Hälsouppgifter",
     "Helbredsoplysninger"),
    ("user.health", "none", "Health data", "Hälsouppgifter", "Helbredsoplysninger"),
    ("user.health_and_medical.genetic", "direct", "Genetic data", "Genetiska uppgifter",
     "Genetiske data"),
    ("user.health.genetic", "direct", "Genetic data", "Genetiska uppgifter",
     "Genetiske data"),
    ("user.health_and_medical.insurance_beneficiary_id", "direct", "Health insurance number",
     "Sjukförsäkringsnummer", "Sygesikringsnummer"),
    ("user.health.insurance_beneficiary_id", "direct", "Health insurance number",
     "Sjukförsäkringsnummer", "Sygesikringsnummer"),
    ("user.health_and_medical.record_id", "direct", "Medical record number",
     "Journalnummer", "Journalnummer"),
    ("user.health.record_id", "direct", "Medical record number", "Journalnummer",
     "Journalnummer"),
    ("user.health.baby_formula", "none", "Infant formula", "Modersmjölksersättning",
     "Modermælkserstatning"),
    ("user.health.condition", "none", "Health condition", "Hälsotillstånd",
     "Helbredstilstand"),
    ("user.health.maternity_clothing", "none", "Maternity clothing", "Mammakläder",
     "Ventetøj"),
    ("user.health.medical_diagnosis", "none", "Diagnoses", "Diagnoser", "Diagnoser"),
    ("user.health.medications", "none", "Medication", "Läkemedel", "Medicin"),
    ("user.health.prescriptions", "none", "Prescriptions", "Recept", "Recepter"),
    ("user.health.reproductive_or_sexual", "none", "Reproductive or sexual health",
     "Reproduktiv eller sexuell hälsa", "Reproduktiv eller seksuel sundhed"),
    ("user.health.social_psychological_behavioral", "none", "Mental and social health",
     "Psykisk och social hälsa", "Psykisk og social sundhed"),
    ("user.health.symptons", "none", "Symptoms", "Symtom", "Symptomer"),
    ("user.health.treatment", "none", "Medical treatment", "Vård och behandling",
     "Behandling"),
    ("user.name", "direct", "Name", "Namn", "Navn"),
    ("user.name.first", "direct", "First name", "Förnamn", "Fornavn"),
    ("user.name.last", "direct", "Last name", "Efternamn", "Efternavn"),
    ("user.criminal_history", "none", "Criminal offences and convictions",
     "Uppgifter om lagöverträdelser", "Oplysninger om strafbare forhold"),
    ("user.privacy_preferences", "none", "Privacy choices", "Integritetsinställningar",
     "Privatlivsindstillinger"),
    ("user.job_title", "quasi", "Job title", "Befattning", "Stillingsbetegnelse"),
    ("user.workplace", "quasi", "Workplace", "Arbetsplats", "Arbejdsplads"),
    ("user.professional_information", "quasi", "Job and employer",
     "Uppgifter om yrke och arbetsplats", "Oplysninger om job og arbejdsplads"),
    ("user.professional_information.job_title", "quasi", "Job title", "Befattning",
     "Stillingsbetegnelse"),
    ("user.professional_information.workplace", "quasi", "Workplace", "Arbetsplats",
     "Arbejdsplads"),
    ("system", "none", "System data", "Systemdata", "Systemdata"),
    ("system.authentication", "none", "Authentication data", "Autentiseringsdata",
     "Godkendelsesdata"),
    ("system.operations", "none", "Operational data", "Driftsdata", "Driftsdata"),
)  # fmt: skip

# fideslang 3.2.0 deprecations: the old key stays valid, lint can point at the new one.
_REPLACED_BY: dict[str, str] = {
    "user.account.settings": "user.settings",
    "user.authorization.biometric": "user.authorization.biometrics",
    "user.biometric": "user.biometrics",
    "user.biometric.fingerprint": "user.biometrics.fingerprint",
    "user.biometric.retinal": "user.biometrics.retinal",
    "user.biometric.voice": "user.biometrics.voice",
    "user.biometric.health": "user.biometrics",
    "user.childrens": "user.children",
    "user.contact.url": "user.contact.social_url",
    "user.contact.organization": "user.contact",
    "user.location.imprecise": "user.location.coarse",
    "user.social": "user.social_activity",
    "user.unique_id.pseudonymous": "user.unique_id",
    "user.telemetry": "user.device.telemetry",
    "user.user_sensor": "user.device.sensor",
    "user.sensor": "user.device.sensor",
    "user.health_and_medical": "user.health",
    "user.health_and_medical.genetic": "user.health.genetic",
    "user.health_and_medical.insurance_beneficiary_id": "user.health.insurance_beneficiary_id",
    "user.health_and_medical.record_id": "user.health.record_id",
    "user.job_title": "user.professional_information.job_title",
    "user.workplace": "user.professional_information.workplace",
}

# Skydd extensions, for what the seed policies collect (PROMISES.md EN-1, AD-1) and
# fideslang has no key for. Named as fideslang would name them.
_SKYDD: tuple[tuple[str, Identifier, str, str, str], ...] = (
    ("user.financial.bankgiro", "direct", "Bankgiro number", "Bankgironummer",
     "Bankgironummer"),
    ("user.financial.plusgiro", "direct", "Plusgiro number", "Plusgironummer",
     "Plusgironummer"),
    ("user.financial.invoice", "none", "Invoice details", "Fakturauppgifter",
     "Fakturaoplysninger"),
    ("user.financial.credit_report", "none", "Credit report", "Kreditupplysning",
     "Kreditoplysning"),
    ("user.financial.kyc", "none", "Customer due diligence (KYC)", "Kundkännedom (KYC)",
     "Kundekendskab (KYC)"),
    ("user.device.imei", "direct", "IMEI number", "IMEI-nummer", "IMEI-nummer"),
    ("user.device.mac_address", "direct", "MAC address", "MAC-adress", "MAC-adresse"),
    # A company's number is not personal data, but a sole trader's is their personnummer.
    ("user.professional_information.organization_number", "quasi",
     "Company registration number", "Organisationsnummer", "Virksomhedsnummer"),
)  # fmt: skip

# GDPR Art. 9(1): racial or ethnic origin, political opinions, religious or
# philosophical beliefs, trade union membership, genetic and biometric data (for
# identification), health, sex life or sexual orientation. Descendants inherit.
_SPECIAL_ROOTS = frozenset(
    {
        "user.authorization.biometric",
        "user.authorization.biometrics",
        "user.biometric",
        "user.biometrics",
        "user.demographic.philosophical_belief",
        "user.demographic.political_opinion",
        "user.demographic.race_ethnicity",
        "user.demographic.religious_belief",
        "user.demographic.sexual_orientation",
        "user.demographic.union_membership",
        "user.health",
        "user.health_and_medical",
    }
)
# GDPR Art. 10: personal data relating to criminal convictions and offences.
_CRIMINAL_ROOTS = frozenset({"user.criminal_history"})


# Words people write for a key whose fideslang name they do not know.
_NATIONAL_ID = "user.government_id.national_identification_number"
_SYNONYMS: dict[str, str] = {
    "personnummer": _NATIONAL_ID,
    "samordningsnummer": _NATIONAL_ID,
    "cpr": _NATIONAL_ID,
    "ssn": _NATIONAL_ID,
    "national_id": _NATIONAL_ID,
    "birthdate": "user.demographic.date_of_birth",
    "birth_date": "user.demographic.date_of_birth",
    "dob": "user.demographic.date_of_birth",
    "zip": "user.contact.address.postal_code",
    "zipcode": "user.contact.address.postal_code",
    "postcode": "user.contact.address.postal_code",
    "mobile": "user.contact.phone_number",
    "telephone": "user.contact.phone_number",
    "surname": "user.name.last",
    "firstname": "user.name.first",
    "lastname": "user.name.last",
    "orgnr": "user.professional_information.organization_number",
    "company": "user.professional_information.workplace",
}


def _parent_of(key: str) -> str | None:
    return key.rpartition(".")[0] or None


def _ancestry(key: str) -> list[str]:
    """``key`` and its ancestors by prefix, nearest first."""
    parts = key.split(".")
    return [".".join(parts[:size]) for size in range(len(parts), 0, -1)]


def _builtin() -> dict[str, Category]:
    table: dict[str, Category] = {}
    rows = [(row, "fideslang") for row in _FIDESLANG] + [(row, "skydd") for row in _SKYDD]
    for (key, identifier, en, sv, da), source in rows:
        lineage = _ancestry(key)
        table[key] = Category(
            key=key,
            labels={"sv": sv, "en": en, "da": da},
            parent=_parent_of(key),
            personal=lineage[-1] == "user",
            special=any(k in _SPECIAL_ROOTS for k in lineage),
            criminal=any(k in _CRIMINAL_ROOTS for k in lineage),
            identifier=identifier,
            replaced_by=_REPLACED_BY.get(key),
            source="fideslang" if source == "fideslang" else "skydd",
        )
    return table


_BUILTIN: dict[str, Category] = _builtin()


class Taxonomy:
    """The built-in categories plus those a data map declares for itself.

    An extra category inherits ``personal``, ``special`` and ``criminal`` from its
    parent and from the keys it is named under, so a map cannot file health data
    under ``user.health`` and lose the flag. Building never fails: a map with a bad
    declaration must still be checked as a whole, so mistakes are collected in
    :attr:`problems` as (key, message, hint) for the validator to report.
    """

    def __init__(self, extra: Iterable[Category] = ()) -> None:
        self._categories: dict[str, Category] = dict(_BUILTIN)
        self.problems: list[tuple[str, str, str | None]] = []
        pending: dict[str, Category] = {}
        for category in extra:
            if self._accept(category, pending):
                pending[category.key] = category
        # Parents first, so flags flow down chains of extra categories.
        while pending:
            ready = [c for c in pending.values() if c.parent not in pending]
            for category in ready or list(pending.values()):  # a cycle: take them as they are
                self._categories[category.key] = self._inherit(category)
                del pending[category.key]
        self._keys = sorted(self._categories)
        self._by_leaf: dict[str, list[str]] = {}
        for key in self._keys:
            self._by_leaf.setdefault(key.rpartition(".")[2], []).append(key)

    def _accept(self, category: Category, pending: dict[str, Category]) -> bool:
        key, parent = category.key, category.parent
        if key in _BUILTIN:
            self.problems.append(
                (key, f"data category '{key}' is already built in", "remove the declaration")
            )
            return False
        if key in pending:
            self.problems.append((key, f"data category '{key}' is declared twice", None))
            return False
        if parent is not None and not key.startswith(parent + "."):
            leaf = key.rpartition(".")[2]
            self.problems.append(
                (
                    key,
                    f"data category '{key}' is not named under its parent '{parent}'",
                    f"name it '{parent}.{leaf}'",
                )
            )
        return True

    def _inherit(self, category: Category) -> Category:
        lineage = [category.parent] if category.parent else []
        lineage += _ancestry(category.key)[1:]
        known = [c for c in (self._categories.get(k) for k in lineage) if c is not None]
        return replace(
            category,
            personal=category.personal
            or category.key.split(".")[0] == "user"
            or any(c.personal for c in known),
            special=category.special or any(c.special for c in known),
            criminal=category.criminal or any(c.criminal for c in known),
        )

    def get(self, key: str) -> Category | None:
        """The category with this exact key, or None."""
        return self._categories.get(key)

    def is_known(self, key: str) -> bool:
        """True if ``key`` is a built-in or declared category."""
        return key in self._categories

    def all_keys(self) -> list[str]:
        """Every category key, sorted."""
        return list(self._keys)

    def suggest(self, key: str, n: int = 3) -> list[str]:
        """Close known keys for a "did you mean" hint, best first.

        Scores the whole key and its last segment, so ``user.email`` finds
        ``user.contact.email``; deprecated keys rank below their replacements.
        """
        leaf = key.rpartition(".")[2]
        scored: list[tuple[float, str]] = []
        for candidate in self._keys:
            score = difflib.SequenceMatcher(None, key, candidate).ratio()
            other = candidate.rpartition(".")[2]
            if leaf and (leaf in other or other in leaf) and min(len(leaf), len(other)) >= 4:
                score = max(score, 0.85)
            score = max(score, difflib.SequenceMatcher(None, leaf, other).ratio() - 0.05)
            if _SYNONYMS.get(leaf.casefold()) == candidate:
                score = 0.95
            if self._categories[candidate].replaced_by is not None:
                score -= 0.1
            if score >= 0.6:
                scored.append((score, candidate))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [candidate for _, candidate in scored[:n]]

    def _nearest(self, key: str) -> Category | None:
        for candidate in _ancestry(key):
            category = self._categories.get(candidate)
            if category is not None:
                return category
        return None

    def labels(self, key: str, lang: str) -> str:
        """Label in ``lang`` (falling back to English), of the key or its nearest known ancestor.

        A map may use a finer key than it declares (``user.contact.email.work``); the
        notice then says "E-postadress" rather than a raw key.
        """
        category = self._nearest(key)
        if category is None:
            return key
        return category.labels.get(lang) or category.labels.get("en") or key

    def is_personal(self, key: str) -> bool:
        """True for personal data: every category under ``user``."""
        category = self._nearest(key)
        return category.personal if category else key.split(".")[0] == "user"

    def is_special(self, key: str) -> bool:
        """True if the key or any ancestor is a GDPR Art. 9 special category."""
        return any(
            c.special for c in (self._categories.get(k) for k in _ancestry(key)) if c is not None
        )

    def is_criminal(self, key: str) -> bool:
        """True if the key or any ancestor is Art. 10 data on criminal convictions and offences."""
        return any(
            c.criminal for c in (self._categories.get(k) for k in _ancestry(key)) if c is not None
        )


_DEFAULT = Taxonomy()


def get(key: str) -> Category | None:
    """The built-in category with this key, or None."""
    return _DEFAULT.get(key)


def is_known(key: str, extra: Iterable[str] = ()) -> bool:
    """True if ``key`` is built in or among ``extra`` (keys a data map declares)."""
    return _DEFAULT.is_known(key) or key in set(extra)


def suggest(key: str, n: int = 3) -> list[str]:
    """Built-in keys close to ``key``, for "did you mean" hints."""
    return _DEFAULT.suggest(key, n)


def labels(key: str, lang: str) -> str:
    """Label of a built-in key (or its nearest ancestor) in sv, en or da."""
    return _DEFAULT.labels(key, lang)


def is_personal(key: str) -> bool:
    """True for categories under ``user``."""
    return _DEFAULT.is_personal(key)


def is_special(key: str) -> bool:
    """True if the key or an ancestor is a GDPR Art. 9 special category."""
    return _DEFAULT.is_special(key)


def is_criminal(key: str) -> bool:
    """True if the key or an ancestor is GDPR Art. 10 criminal-offence data."""
    return _DEFAULT.is_criminal(key)


def all_keys() -> list[str]:
    """Every built-in key, sorted."""
    return _DEFAULT.all_keys()

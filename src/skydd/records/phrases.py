"""Words of the Art. 30 records and the registers, in Swedish, English and Danish.

The records are read by the company and by the supervisory authority, so the
headers follow the wording of Art. 30 as the authorities' own templates put it.
Legal bases and transfer mechanisms come from `skydd.documents.phrases`, which
the registerutdrag uses too, so the two documents never describe them differently.
"""

from __future__ import annotations

from typing import Any

from skydd.documents.phrases import phrase as document_phrase
from skydd.errors import SkyddError

RECORD_LANGS = ("sv", "en", "da")

# key -> (sv, en, da)
PHRASES: dict[str, tuple[str, str, str]] = {
    # --- Documents and sheets -----------------------------------------------------------
    "ropa.title": (
        "Register över behandlingar (artikel 30 GDPR)",
        "Record of processing activities (Article 30 GDPR)",
        "Fortegnelse over behandlingsaktiviteter (artikel 30 GDPR)",
    ),
    "sheet.controller": ("Art. 30.1 Ansvarig", "Art. 30(1) Controller", "Art. 30(1) Dataansvarlig"),
    "sheet.processor": ("Art. 30.2 Biträde", "Art. 30(2) Processor", "Art. 30(2) Databehandler"),
    "sheet.missing": ("Saknas", "Missing", "Mangler"),
    "sheet.processors": ("Personuppgiftsbiträden", "Processors", "Databehandlere"),
    "sheet.transfers": ("Överföringar", "Transfers", "Overførsler"),
    "register.processors": (
        "Register över personuppgiftsbiträden",
        "Register of processors",
        "Fortegnelse over databehandlere",
    ),
    "register.transfers": (
        "Register över överföringar till tredjeland",
        "Register of transfers to third countries",
        "Fortegnelse over overførsler til tredjelande",
    ),
    "doc.as_of": ("Per {date}", "As of {date}", "Pr. {date}"),
    "doc.missing_count": (
        "{n} uppgifter saknas i datakartan och är markerade.",
        "{n} items are missing from the data map and are highlighted.",
        "{n} oplysninger mangler i datakortet og er markeret.",
    ),
    "doc.complete": (
        "Alla uppgifter finns i datakartan.",
        "Every item is filled from the data map.",
        "Alle oplysninger er udfyldt fra datakortet.",
    ),
    # --- Art. 30(1) columns ---------------------------------------------------------------
    "col.purpose": ("Ändamål (b)", "Purpose (b)", "Formål (b)"),
    "col.legal_basis": ("Rättslig grund", "Legal basis", "Retsgrundlag"),
    "col.subjects": (
        "Kategorier av registrerade (c)",
        "Categories of data subjects (c)",
        "Kategorier af registrerede (c)",
    ),
    "col.data": (
        "Kategorier av personuppgifter (c)",
        "Categories of personal data (c)",
        "Kategorier af personoplysninger (c)",
    ),
    "col.recipients": (
        "Kategorier av mottagare, även i tredjeland (d)",
        "Categories of recipients, incl. in third countries (d)",
        "Kategorier af modtagere, også i tredjelande (d)",
    ),
    "col.transfers": (
        "Överföringar till tredjeland och skyddsåtgärder (e)",
        "Transfers to third countries and safeguards (e)",
        "Overførsler til tredjelande og garantier (e)",
    ),
    "col.retention": (
        "Tidsfrister för radering (f)",
        "Time limits for erasure (f)",
        "Tidsfrister for sletning (f)",
    ),
    "col.security": (
        "Tekniska och organisatoriska säkerhetsåtgärder (g)",
        "Technical and organisational security measures (g)",
        "Tekniske og organisatoriske sikkerhedsforanstaltninger (g)",
    ),
    "col.controller": (
        "Personuppgiftsansvarig (a)",
        "Controller (a)",
        "Dataansvarlig (a)",
    ),
    "col.dpo": (
        "Dataskyddsombud eller kontakt (a)",
        "Data protection officer or contact (a)",
        "Databeskyttelsesrådgiver eller kontakt (a)",
    ),
    "col.joint": (
        "Gemensamt ansvariga och företrädare (a)",
        "Joint controllers and representative (a)",
        "Fælles dataansvarlige og repræsentant (a)",
    ),
    # --- Art. 30(2) columns ---------------------------------------------------------------
    "col.activity": ("Behandling", "Processing activity", "Behandling"),
    "col.processor": (
        "Personuppgiftsbiträde (a)",
        "Processor (a)",
        "Databehandler (a)",
    ),
    "col.controllers": (
        "Personuppgiftsansvariga vi behandlar för (a)",
        "Controllers on whose behalf we act (a)",
        "Dataansvarlige, vi behandler for (a)",
    ),
    "col.processing": (
        "Kategorier av behandling (b)",
        "Categories of processing (b)",
        "Kategorier af behandling (b)",
    ),
    "col.sub_processors": (
        "Underbiträden",
        "Sub-processors",
        "Underdatabehandlere",
    ),
    "col.agreement": ("Avtal", "Agreement", "Aftale"),
    # --- Register columns -----------------------------------------------------------------
    "col.name": ("Mottagare", "Recipient", "Modtager"),
    "col.kind": ("Roll", "Role", "Rolle"),
    "col.service": ("Tjänst", "Service", "Tjeneste"),
    "col.country": ("Land", "Country", "Land"),
    "col.locations": ("Behandlingsorter", "Processing locations", "Behandlingssteder"),
    "col.categories": (
        "Kategorier som lämnas ut",
        "Categories disclosed",
        "Kategorier, der videregives",
    ),
    "col.hosted": (
        "Kategorier som lagras hos biträdet",
        "Categories hosted",
        "Kategorier, der hostes",
    ),
    "col.reg_subjects": ("Registrerade", "Data subjects", "Registrerede"),
    "col.purposes": ("Ändamål", "Purposes", "Formål"),
    "col.dpa": ("Biträdesavtal", "DPA reference", "Databehandleraftale"),
    "col.dpa_signed": ("Avtal undertecknat", "DPA signed", "Aftale underskrevet"),
    "col.review": ("Nästa granskning", "Next review", "Næste gennemgang"),
    "col.mechanism": ("Överföringsmekanism", "Transfer mechanism", "Overførselsgrundlag"),
    "col.adequacy": ("Adekvansbeslut", "Adequacy decision", "Tilstrækkelighedsafgørelse"),
    "col.dpf_checked": (
        "DPF-certifiering kontrollerad",
        "DPF certification checked",
        "DPF-certificering kontrolleret",
    ),
    "col.dpf_due": ("Nästa DPF-kontroll", "Next DPF check", "Næste DPF-kontrol"),
    "col.tia": (
        "Konsekvensbedömning (TIA)",
        "Transfer impact assessment",
        "Konsekvensanalyse (TIA)",
    ),
    "col.status": ("Status", "Status", "Status"),
    "col.sheet": ("Blad", "Sheet", "Ark"),
    "col.row": ("Rad", "Row", "Række"),
    "col.column": ("Kolumn", "Column", "Kolonne"),
    "col.hint": ("Vad som ska läggas till", "What to add", "Hvad der skal tilføjes"),
    # --- Values ---------------------------------------------------------------------------
    "missing": ("SAKNAS", "MISSING", "MANGLER"),
    "none": ("Inga", "None", "Ingen"),
    "no_transfers": (
        "Inga överföringar till tredjeland",
        "No transfers to third countries",
        "Ingen overførsler til tredjelande",
    ),
    "no_recipients": ("Inga mottagare", "No recipients", "Ingen modtagere"),
    "third_country": ("tredjeland", "third country", "tredjeland"),
    "special": ("känslig uppgift, art. 9", "special category, Art. 9", "følsom oplysning, art. 9"),
    "kind.processor": ("personuppgiftsbiträde", "processor", "databehandler"),
    "kind.sub_processor": ("underbiträde", "sub-processor", "underdatabehandler"),
    "kind.controller": (
        "självständigt ansvarig",
        "independent controller",
        "selvstændig dataansvarlig",
    ),
    "kind.authority": ("myndighet", "public authority", "myndighed"),
    "kind.group_company": ("koncernbolag", "group company", "koncernselskab"),
    "hosts": ("driftar {systems}", "hosts {systems}", "driver {systems}"),
    "dpo": ("Dataskyddsombud", "Data protection officer", "Databeskyttelsesrådgiver"),
    "privacy_contact": ("Kontakt för dataskydd", "Privacy contact", "Kontakt om databeskyttelse"),
    "joint": ("Gemensamt ansvarig", "Joint controller", "Fælles dataansvarlig"),
    "representative": ("Företrädare", "Representative", "Repræsentant"),
    "org_number": ("org.nr {n}", "reg. no. {n}", "CVR/reg.nr. {n}"),
    "listed_in": ("förtecknade i {table}", "listed in {table}", "opført i {table}"),
    "law": ("enligt {law}", "under {law}", "i henhold til {law}"),
    "interest": (
        "berättigat intresse: {text}",
        "legitimate interest: {text}",
        "legitim interesse: {text}",
    ),
    "hold": (
        "{label}: sparas enligt {law}",
        "{label}: kept under {law}",
        "{label}: opbevares efter {law}",
    ),
    "period": ("{period} från {anchor}", "{period} from {anchor}", "{period} fra {anchor}"),
    "action.delete": ("raderas", "deleted", "slettes"),
    "action.anonymise": ("anonymiseras", "anonymised", "anonymiseres"),
    "action.review": ("granskas", "reviewed", "gennemgås"),
    "scc.module": (
        "SCC 2021/914, modul {n} ({what})",
        "SCC 2021/914, module {n} ({what})",
        "SCC 2021/914, modul {n} ({what})",
    ),
    "scc.nomodule": (
        "SCC 2021/914 (modul ej angiven)",
        "SCC 2021/914 (module not stated)",
        "SCC 2021/914 (modul ikke angivet)",
    ),
    "scc.1": (
        "ansvarig till ansvarig",
        "controller to controller",
        "dataansvarlig til dataansvarlig",
    ),
    "scc.2": (
        "ansvarig till biträde",
        "controller to processor",
        "dataansvarlig til databehandler",
    ),
    "scc.3": ("biträde till biträde", "processor to processor", "databehandler til databehandler"),
    "scc.4": (
        "biträde till ansvarig",
        "processor to controller",
        "databehandler til dataansvarlig",
    ),
    "dpf.checked": (
        "EU-US Data Privacy Framework, certifiering kontrollerad {date}",
        "EU-US Data Privacy Framework, certification checked {date}",
        "EU-US Data Privacy Framework, certificering kontrolleret {date}",
    ),
    "dpf.unchecked": (
        "EU-US Data Privacy Framework (certifieringen ej kontrollerad)",
        "EU-US Data Privacy Framework (certification not checked)",
        "EU-US Data Privacy Framework (certificeringen ikke kontrolleret)",
    ),
    "mech.adequacy": (
        "Adekvansbeslut (art. 45)",
        "Adequacy decision (Art. 45)",
        "Tilstrækkelighedsafgørelse (art. 45)",
    ),
    "mech.bcr": (
        "Bindande företagsbestämmelser (art. 47)",
        "Binding corporate rules (Art. 47)",
        "Bindende virksomhedsregler (art. 47)",
    ),
    "mech.uk_idta": ("UK IDTA", "UK IDTA", "UK IDTA"),
    "mech.uk_addendum": ("UK Addendum till SCC", "UK Addendum to the SCCs", "UK Addendum til SCC"),
    "mech.uk_data_bridge": ("UK–US data bridge", "UK–US data bridge", "UK–US data bridge"),
    "mech.derogation": ("Undantag (art. 49)", "Derogation (Art. 49)", "Undtagelse (art. 49)"),
    "tia": ("TIA: {ref}", "TIA: {ref}", "TIA: {ref}"),
    "status.ok": ("OK", "OK", "OK"),
    "status.overdue": ("försenad sedan {date}", "overdue since {date}", "forsinket siden {date}"),
    "status.due": ("senast {date}", "due by {date}", "senest {date}"),
    # --- Why a cell is missing ------------------------------------------------------------
    "why.basis": ("ingen rättslig grund", "no legal basis", "intet retsgrundlag"),
    "why.subjects": (
        "inga registrerade angivna",
        "no data subjects declared",
        "ingen registrerede angivet",
    ),
    "why.data": (
        "inga personuppgifter kopplade till ändamålet",
        "no personal data linked to this purpose",
        "ingen personoplysninger knyttet til formålet",
    ),
    "why.retention": (
        "ingen gallringsregel för {tables}",
        "no retention rule for {tables}",
        "ingen sletteregel for {tables}",
    ),
    "why.no_tables": (
        "inga tabeller för ändamålet",
        "no tables for this purpose",
        "ingen tabeller for formålet",
    ),
    "why.mechanism": (
        "ingen skyddsåtgärd för {names}",
        "no safeguard for {names}",
        "ingen garanti for {names}",
    ),
    "why.security": (
        "ingen beskrivning av säkerhetsåtgärder",
        "no description of security measures",
        "ingen beskrivelse af sikkerhedsforanstaltninger",
    ),
    "why.dpo": (
        "varken dataskyddsombud eller kontakt",
        "neither a DPO nor a privacy contact",
        "hverken databeskyttelsesrådgiver eller kontakt",
    ),
    "why.contact": ("kontaktuppgifter saknas", "no contact details", "kontaktoplysninger mangler"),
    "why.dpa": ("inget biträdesavtal", "no DPA", "ingen databehandleraftale"),
    "why.review": ("inget granskningsdatum", "no review date", "ingen dato for gennemgang"),
    "why.tia": ("ingen TIA", "no TIA", "ingen TIA"),
    "why.agreement": ("inget avtal angivet", "no agreement stated", "ingen aftale angivet"),
    "why.categories": (
        "inga kategorier angivna",
        "no categories declared",
        "ingen kategorier angivet",
    ),
}


def check_lang(lang: str) -> str:
    if lang not in RECORD_LANGS:
        raise SkyddError(f"unknown language '{lang}'", hint="use sv, en or da")
    return lang


def p(lang: str, key: str, **values: Any) -> str:
    """A phrase of the records in ``lang``; keys not here come from the document phrases."""
    texts = PHRASES.get(key)
    if texts is None:
        return document_phrase(lang, key, **values)
    text = texts[RECORD_LANGS.index(lang)]
    return text.format(**values) if values else text


def all_keys() -> list[str]:
    return list(PHRASES)

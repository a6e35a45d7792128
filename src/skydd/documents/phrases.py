"""Short phrases that data subjects read, in Swedish, English and Danish.

Kept in one catalogue so that a test can prove every phrase exists in every
language, and a translator can review them side by side.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("sv", "en", "da")

# Each key maps to (sv, en, da). Plural forms: "{n}" with a separate key per unit.
PHRASES: dict[str, tuple[str, str, str]] = {
    "basis.consent": ("samtycke", "consent", "samtykke"),
    "basis.contract": (
        "avtal (för att fullgöra ett avtal med dig)",
        "contract (to perform a contract with you)",
        "kontrakt (for at opfylde en aftale med dig)",
    ),
    "basis.legal_obligation": ("rättslig förpliktelse", "legal obligation", "retlig forpligtelse"),
    "basis.vital_interests": ("grundläggande intressen", "vital interests", "vitale interesser"),
    "basis.public_task": (
        "uppgift av allmänt intresse",
        "a task in the public interest",
        "opgave i samfundets interesse",
    ),
    "basis.legitimate_interest": (
        "berättigat intresse (intresseavvägning)",
        "legitimate interests",
        "legitim interesse (interesseafvejning)",
    ),
    "recipient.processor": ("personuppgiftsbiträde", "processor", "databehandler"),
    "recipient.sub_processor": (
        "underbiträde",
        "sub-processor",
        "underdatabehandler",
    ),
    "recipient.controller": (
        "självständigt personuppgiftsansvarig",
        "independent controller",
        "selvstændig dataansvarlig",
    ),
    "recipient.authority": ("myndighet", "public authority", "myndighed"),
    "recipient.group_company": ("bolag i koncernen", "group company", "selskab i koncernen"),
    "transfer.adequacy": (
        "beslut om adekvat skyddsnivå (art. 45)",
        "adequacy decision (Art. 45)",
        "afgørelse om tilstrækkeligt beskyttelsesniveau (art. 45)",
    ),
    "transfer.dpf": (
        "EU–US Data Privacy Framework (certifierad mottagare)",
        "EU-US Data Privacy Framework (certified recipient)",
        "EU-US Data Privacy Framework (certificeret modtager)",
    ),
    "transfer.scc": (
        "EU-kommissionens standardavtalsklausuler (2021/914)",
        "the European Commission's standard contractual clauses (2021/914)",
        "Europa-Kommissionens standardkontraktbestemmelser (2021/914)",
    ),
    "transfer.bcr": (
        "bindande företagsbestämmelser (art. 47)",
        "binding corporate rules (Art. 47)",
        "bindende virksomhedsregler (art. 47)",
    ),
    "transfer.uk_idta": (
        "brittiskt avtal om internationell överföring (IDTA)",
        "the UK International Data Transfer Agreement (IDTA)",
        "britisk aftale om international overførsel (IDTA)",
    ),
    "transfer.uk_addendum": (
        "brittiskt tillägg till standardavtalsklausulerna",
        "the UK Addendum to the standard contractual clauses",
        "britisk tillæg til standardkontraktbestemmelserne",
    ),
    "transfer.derogation": (
        "undantag för särskilda situationer (art. 49)",
        "a derogation for specific situations (Art. 49)",
        "undtagelse i særlige situationer (art. 49)",
    ),
    "transfer.none": ("ingen överföring", "no transfer", "ingen overførsel"),
    "unit.day": ("{n} dagar", "{n} days", "{n} dage"),
    "unit.week": ("{n} veckor", "{n} weeks", "{n} uger"),
    "unit.month": ("{n} månader", "{n} months", "{n} måneder"),
    "unit.year": ("{n} år", "{n} years", "{n} år"),
    "unit.day.1": ("1 dag", "1 day", "1 dag"),
    "unit.week.1": ("1 vecka", "1 week", "1 uge"),
    "unit.month.1": ("1 månad", "1 month", "1 måned"),
    "unit.year.1": ("1 år", "1 year", "1 år"),
    "retention.after": ("räknat från {anchor}", "from {anchor}", "regnet fra {anchor}"),
    "align.end_of_year": (
        "raderas vid årets slut",
        "deleted at the end of that year",
        "slettes ved årets udgang",
    ),
    "align.end_of_month": (
        "raderas vid månadens slut",
        "deleted at the end of that month",
        "slettes ved månedens udgang",
    ),
    "source.subject": ("från dig", "from you", "fra dig"),
    "source.public_database": (
        "från offentliga register",
        "from public registers",
        "fra offentlige registre",
    ),
    "source.partner": (
        "från en samarbetspartner",
        "from a business partner",
        "fra en samarbejdspartner",
    ),
    "source.purchased_list": ("från en köpt adresslista", "from a purchased list",
                              "fra en købt adresseliste"),
    "source.employer": ("från din arbetsgivare", "from your employer", "fra din arbejdsgiver"),
    "source.other": ("från annan källa", "from another source", "fra en anden kilde"),
    "doc.title": ("Registerutdrag", "Your personal data (right of access)",
                  "Indsigt i dine personoplysninger"),
    "doc.intro": (
        "Här är de personuppgifter som {controller} behandlar om dig, var de finns, varför vi "
        "har dem, vem som får ta del av dem och hur länge vi sparar dem.",
        "This is the personal data {controller} holds about you: where it is, why we have it, "
        "who receives it and how long we keep it.",
        "Her er de personoplysninger, som {controller} behandler om dig: hvor de findes, hvorfor "
        "vi har dem, hvem der modtager dem, og hvor længe vi gemmer dem.",
    ),
    "doc.request": ("Ärende {id}, upprättat {date}", "Request {id}, prepared on {date}",
                    "Sag {id}, udarbejdet den {date}"),
    "doc.nothing": (
        "Vi har sökt i alla våra system med de uppgifter du lämnade och hittade inga "
        "personuppgifter om dig.",
        "We searched all our systems with the details you gave us and found no personal data "
        "about you.",
        "Vi har søgt i alle vores systemer med de oplysninger, du gav os, og fandt ingen "
        "personoplysninger om dig.",
    ),
    "doc.controller": ("Personuppgiftsansvarig", "Controller", "Dataansvarlig"),
    "doc.dpo": ("Dataskyddsombud", "Data protection officer", "Databeskyttelsesrådgiver"),
    "doc.data": ("Dina uppgifter", "Your data", "Dine oplysninger"),
    "doc.system": ("System", "System", "System"),
    "doc.records": ("poster", "records", "poster"),
    "doc.purposes": ("Ändamål och rättslig grund", "Purposes and legal basis",
                     "Formål og retsgrundlag"),
    "doc.interest": ("Vårt berättigade intresse", "Our legitimate interest",
                     "Vores legitime interesse"),
    "doc.law": ("Lag", "Law", "Lov"),
    "doc.categories": ("Kategorier av uppgifter", "Categories of data",
                       "Kategorier af oplysninger"),
    "doc.recipients": ("Mottagare", "Recipients", "Modtagere"),
    "doc.no_recipients": ("Uppgifterna lämnas inte ut till någon annan.",
                          "This data is not disclosed to anyone else.",
                          "Oplysningerne videregives ikke til andre."),
    "doc.safeguard": ("Skyddsåtgärd vid överföring", "Transfer safeguard",
                      "Garanti ved overførsel"),
    "doc.retention": ("Hur länge vi sparar uppgifterna", "How long we keep it",
                      "Hvor længe vi gemmer oplysningerne"),
    "doc.hold": ("Måste sparas enligt lag", "Must be kept by law", "Skal gemmes efter loven"),
    "doc.source": ("Varifrån uppgifterna kommer", "Where the data comes from",
                   "Hvor oplysningerne kommer fra"),
    "doc.shared": ("Uppgifter som delas med andra", "Records shared with others",
                   "Oplysninger, der deles med andre"),
    "doc.shared_intro": (
        "De här uppgifterna hör till exempelvis ditt företag och delas av flera personer. De "
        "visas för att du ska se sammanhanget, men de är inte enbart dina.",
        "These records belong to, for example, your company and are shared by several people. "
        "They are shown for context but are not yours alone.",
        "Disse oplysninger hører f.eks. til din virksomhed og deles af flere personer. De vises, "
        "så du kan se sammenhængen, men de er ikke kun dine.",
    ),
    "doc.automated": ("Automatiserade beslut", "Automated decisions", "Automatiske afgørelser"),
    "doc.no_automated": (
        "Vi fattar inga beslut om dig som enbart grundas på automatiserad behandling.",
        "We make no decisions about you based solely on automated processing.",
        "Vi træffer ingen afgørelser om dig, der alene er baseret på automatisk behandling.",
    ),
    "doc.rights": ("Dina rättigheter", "Your rights", "Dine rettigheder"),
    "doc.rights_text": (
        "Du har rätt att få felaktiga uppgifter rättade, att få uppgifter raderade, att begära "
        "att behandlingen begränsas och att få ut de uppgifter du själv lämnat i ett maskinläsbart "
        "format. Kontakta oss på {contact} så hjälper vi dig.",
        "You have the right to have inaccurate data corrected, to have data erased, to ask us to "
        "restrict processing and to receive the data you gave us in a machine-readable format. "
        "Contact us at {contact} and we will help you.",
        "Du har ret til at få urigtige oplysninger berigtiget, at få oplysninger slettet, at bede "
        "om begrænsning af behandlingen og at få de oplysninger, du selv har givet, udleveret i "
        "et maskinlæsbart format. Kontakt os på {contact}, så hjælper vi dig.",
    ),
    "doc.object": ("Din rätt att invända", "Your right to object", "Din ret til indsigelse"),
    "doc.object_text": (
        "Du kan när som helst invända mot att vi behandlar dina uppgifter med stöd av en "
        "intresseavvägning. Invänder du mot direktmarknadsföring slutar vi omedelbart.",
        "You may object at any time to processing based on our legitimate interests. If you "
        "object to direct marketing, we stop at once.",
        "Du kan til enhver tid gøre indsigelse mod behandling, der sker på grundlag af en "
        "interesseafvejning. Gør du indsigelse mod direkte markedsføring, stopper vi straks.",
    ),
    "doc.complaint": ("Klagomål", "Complaints", "Klage"),
    "doc.complaint_text": (
        "Om du är missnöjd med hur vi behandlar dina personuppgifter kan du klaga hos {authority}.",
        "If you are unhappy with how we process your personal data, you can complain to "
        "{authority}.",
        "Hvis du er utilfreds med, hvordan vi behandler dine personoplysninger, kan du klage "
        "til {authority}.",
    ),
    "doc.ambiguous": (
        "Några uppgifter kunde höra till en annan person och granskas av en handläggare innan de "
        "lämnas ut.",
        "Some records may belong to someone else; a member of staff will review them before "
        "they are released.",
        "Nogle oplysninger kan tilhøre en anden person og gennemgås af en medarbejder, før de "
        "udleveres.",
    ),
    "doc.undeclared": ("ej deklarerad", "not declared", "ikke erklæret"),
}


def phrase(lang: str, key: str, **values: Any) -> str:
    """The phrase in `lang` (English if the language is unknown), with values filled in."""
    if "n" in values and values["n"] == 1 and f"{key}.1" in PHRASES:
        key = f"{key}.1"
    texts = PHRASES.get(key)
    if texts is None:
        return key
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 1
    return texts[index].format(**values)

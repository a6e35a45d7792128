"""The phrases that data subjects read, in Swedish, English and Danish.

Kept in one catalogue so that a test can prove every phrase exists in every
language with the same placeholders, and a translator can review them side by
side. Each language is written as people write it there, not translated word
for word: Swedish as IMY writes to the public, Danish as Datatilsynet does,
British English as the ICO does.

Keys ending in ``.1`` are the singular of the key without it (``{n}`` = 1).
"""

from __future__ import annotations

from typing import Any

from skydd.documents.access_phrases import ACCESS
from skydd.documents.glossary import GLOSSARY

LANGUAGES = ("sv", "en", "da")

# Each key maps to (sv, en, da). The registerutdrag's own texts are in access_phrases,
# names of columns and moments in the glossary.
_DOCUMENT: dict[str, tuple[str, str, str]] = {
    # --- Legal bases (Art. 6(1)), lower case for running text ----------------------------
    "basis.consent": ("samtycke", "consent", "samtykke"),
    "basis.contract": ("avtal", "contract", "aftale"),
    "basis.legal_obligation": ("rättslig förpliktelse", "legal obligation", "retlig forpligtelse"),
    "basis.vital_interests": ("grundläggande intressen", "vital interests", "vitale interesser"),
    "basis.public_task": (
        "allmänt intresse eller myndighetsutövning",
        "public task",
        "opgave i samfundets interesse eller myndighedsudøvelse",
    ),
    "basis.legitimate_interest": (
        "intresseavvägning",
        "legitimate interests",
        "interesseafvejning",
    ),
    "basis.consent.explain": (
        "Du har gett oss ditt samtycke, och du kan när som helst ta tillbaka det.",
        "You have given us your consent, and you can withdraw it at any time.",
        "Du har givet os dit samtykke, og du kan til enhver tid trække det tilbage.",
    ),
    "basis.contract.explain": (
        "Uppgifterna behövs för att vi ska kunna fullgöra ett avtal med dig, eller göra det "
        "du bett om innan ett avtal ingås.",
        "We need the data to perform a contract with you, or to do what you asked before "
        "entering into one.",
        "Vi har brug for oplysningerne for at kunne opfylde en aftale med dig eller gøre det, "
        "du har bedt om, inden en aftale indgås.",
    ),
    "basis.legal_obligation.explain": (
        "En lag kräver att vi behandlar uppgifterna.",
        "The law requires us to process the data.",
        "Loven kræver, at vi behandler oplysningerne.",
    ),
    "basis.vital_interests.explain": (
        "Behandlingen behövs för att skydda ditt eller någon annans liv eller hälsa.",
        "The processing is needed to protect your life or health, or someone else's.",
        "Behandlingen er nødvendig for at beskytte dit eller en anden persons liv eller helbred.",
    ),
    "basis.public_task.explain": (
        "Behandlingen behövs för en uppgift av allmänt intresse eller som ett led i "
        "myndighetsutövning.",
        "The processing is needed for a task in the public interest or in the exercise of "
        "official authority.",
        "Behandlingen er nødvendig for at udføre en opgave i samfundets interesse eller som led "
        "i myndighedsudøvelse.",
    ),
    "basis.legitimate_interest.explain": (
        "Vi har vägt vårt berättigade intresse mot dina intressen och rättigheter och bedömt "
        "att vårt intresse väger tyngst. Du kan invända, se ”Din rätt att invända”.",
        "We have weighed our legitimate interest against your interests and rights and "
        "concluded that ours prevails. You can object: see ‘Your right to object’.",
        "Vi har afvejet vores legitime interesse over for dine interesser og rettigheder og "
        "vurderet, at vores interesse vejer tungest. Du kan gøre indsigelse, se »Din ret til "
        "indsigelse«.",
    ),
    "law.gdpr": ("i dataskyddsförordningen", "GDPR", "i databeskyttelsesforordningen"),
    "law.uk_gdpr": (
        "i den brittiska dataskyddsförordningen (UK GDPR)",
        "UK GDPR",
        "i den britiske databeskyttelsesforordning (UK GDPR)",
    ),
    "cite.art6": (
        "artikel 6.1 {letter} {regulation}",
        "Article 6(1)({letter}) {regulation}",
        "artikel 6, stk. 1, litra {letter}, {regulation}",
    ),
    # --- Recipients ----------------------------------------------------------------------
    "recipient.processor": ("personuppgiftsbiträde", "processor", "databehandler"),
    "recipient.sub_processor": ("underbiträde", "sub-processor", "underdatabehandler"),
    "recipient.controller": (
        "självständigt personuppgiftsansvarig",
        "independent controller",
        "selvstændig dataansvarlig",
    ),
    "recipient.authority": ("myndighet", "public authority", "myndighed"),
    "recipient.group_company": (
        "bolag i samma koncern",
        "company in our group",
        "selskab i samme koncern",
    ),
    "recipient.processor.explain": (
        "Ett personuppgiftsbiträde behandlar uppgifterna för vår räkning och får bara använda "
        "dem enligt våra instruktioner.",
        "A processor handles the data on our behalf and may use it only as we instruct.",
        "En databehandler behandler oplysningerne på vores vegne og må kun bruge dem efter "
        "vores instruks.",
    ),
    "recipient.sub_processor.explain": (
        "Ett underbiträde anlitas av ett av våra personuppgiftsbiträden och är bundet av samma "
        "villkor.",
        "A sub-processor is engaged by one of our processors and is bound by the same terms.",
        "En underdatabehandler er antaget af en af vores databehandlere og er bundet af de "
        "samme vilkår.",
    ),
    "recipient.controller.explain": (
        "En självständigt personuppgiftsansvarig bestämmer själv hur uppgifterna används, "
        "enligt sina egna villkor.",
        "An independent controller decides for itself how the data is used, under its own terms.",
        "En selvstændig dataansvarlig bestemmer selv, hvordan oplysningerne bruges, efter sine "
        "egne vilkår.",
    ),
    "recipient.authority.explain": (
        "En myndighet får uppgifterna när en lag kräver det.",
        "A public authority receives the data when the law requires it.",
        "En myndighed modtager oplysningerne, når loven kræver det.",
    ),
    "recipient.group_company.explain": (
        "Ett bolag i samma koncern som vi.",
        "A company in the same group as us.",
        "Et selskab i samme koncern som os.",
    ),
    # --- Transfers outside the EU/EEA: completes "med stöd av …" / "relies on …" ---------
    "transfer.adequacy": (
        "ett beslut om adekvat skyddsnivå (artikel 45)",
        "an adequacy decision (Article 45)",
        "en afgørelse om tilstrækkeligt beskyttelsesniveau (artikel 45)",
    ),
    "transfer.dpf": (
        "EU–US Data Privacy Framework, där mottagaren är certifierad",
        "the EU–US Data Privacy Framework, under which the recipient is certified",
        "EU-US Data Privacy Framework, hvor modtageren er certificeret",
    ),
    "transfer.scc": (
        "EU-kommissionens standardavtalsklausuler",
        "the European Commission's standard contractual clauses",
        "Europa-Kommissionens standardkontraktbestemmelser",
    ),
    "transfer.module": ("modul {n}", "module {n}", "modul {n}"),
    "transfer.bcr": (
        "bindande företagsbestämmelser (artikel 47)",
        "binding corporate rules (Article 47)",
        "bindende virksomhedsregler (artikel 47)",
    ),
    "transfer.uk_idta": (
        "det brittiska avtalet om internationella överföringar (IDTA)",
        "the UK International Data Transfer Agreement (IDTA)",
        "den britiske aftale om internationale overførsler (IDTA)",
    ),
    "transfer.uk_addendum": (
        "det brittiska tillägget till EU:s standardavtalsklausuler (UK Addendum)",
        "the UK Addendum to the EU standard contractual clauses",
        "det britiske tillæg til EU's standardkontraktbestemmelser (UK Addendum)",
    ),
    "transfer.uk_data_bridge": (
        "brittiska föreskrifter om adekvat skyddsnivå (en så kallad data bridge)",
        "UK adequacy regulations (a ‘data bridge’)",
        "britiske regler om tilstrækkeligt beskyttelsesniveau (en såkaldt data bridge)",
    ),
    "transfer.derogation": (
        "ett undantag för särskilda situationer (artikel 49)",
        "a derogation for specific situations (Article 49)",
        "en undtagelse i særlige situationer (artikel 49)",
    ),
    "transfer.relies": (
        "Överföringen sker med stöd av {mechanism}.",
        "The transfer relies on {mechanism}.",
        "Overførslen sker på grundlag af {mechanism}.",
    ),
    "transfer.unstated": (
        "Vi har inte angett någon skyddsåtgärd för den här överföringen. Kontakta oss, så "
        "berättar vi hur uppgifterna skyddas.",
        "We have not stated a safeguard for this transfer. Contact us and we will tell you how "
        "the data is protected.",
        "Vi har ikke angivet nogen garanti for denne overførsel. Kontakt os, så fortæller vi, "
        "hvordan oplysningerne beskyttes.",
    ),
    "transfer.none_short": (
        "ingen skyddsåtgärd angiven",
        "no safeguard stated",
        "ingen garanti angivet",
    ),
    "doc.copy_default": (
        "Du kan få en kopia av skyddsåtgärderna genom att kontakta oss.",
        "You can get a copy of the safeguards by contacting us.",
        "Du kan få en kopi af garantierne ved at kontakte os.",
    ),
    "doc.outside_eea": ("utanför EU/EES", "outside the EU/EEA", "uden for EU/EØS"),
    "doc.outside_uk_eea": (
        "utanför Storbritannien och EES",
        "outside the UK and the EEA",
        "uden for Storbritannien og EØS",
    ),
    "doc.located_in": ("Etablerad i {country}.", "Based in {country}.", "Etableret i {country}."),
    "doc.processed_in": (
        "Behandlas i {countries}.",
        "Processed in {countries}.",
        "Behandles i {countries}.",
    ),
    # --- Retention -----------------------------------------------------------------------
    "unit.day": ("{n} dagar", "{n} days", "{n} dage"),
    "unit.week": ("{n} veckor", "{n} weeks", "{n} uger"),
    "unit.month": ("{n} månader", "{n} months", "{n} måneder"),
    "unit.year": ("{n} år", "{n} years", "{n} år"),
    "unit.day.1": ("1 dag", "1 day", "1 dag"),
    "unit.week.1": ("1 vecka", "1 week", "1 uge"),
    "unit.month.1": ("1 månad", "1 month", "1 måned"),
    "unit.year.1": ("1 år", "1 year", "1 år"),
    "retention.keep": (
        "Vi sparar uppgifterna i {period}.",
        "We keep the data for {period}.",
        "Vi opbevarer oplysningerne i {period}.",
    ),
    "retention.from": ("räknat från {anchor}", "from {anchor}", "regnet fra {anchor}"),
    "retention.anchor": ("{label}", "the {label}", "{label}"),
    "retention.from_latest": (
        "räknat från den senaste av dessa tidpunkter: {anchors}",
        "from the latest of these dates: {anchors}",
        "regnet fra det seneste af disse tidspunkter: {anchors}",
    ),
    "align.end_of_year": (
        "till och med utgången av det kalenderåret",
        "until the end of that calendar year",
        "til udgangen af det pågældende kalenderår",
    ),
    "align.end_of_month": (
        "till och med utgången av den månaden",
        "until the end of that month",
        "til udgangen af den pågældende måned",
    ),
    "retention.then.delete": (
        "Därefter raderas de.",
        "Then it is deleted.",
        "Derefter slettes de.",
    ),
    "retention.then.anonymise": (
        "Därefter anonymiseras de, så att de inte längre kan kopplas till dig.",
        "Then it is anonymised, so that it can no longer be linked to you.",
        "Derefter anonymiseres de, så de ikke længere kan knyttes til dig.",
    ),
    "retention.then.review": (
        "Därefter prövar vi om de fortfarande behövs och raderar dem annars.",
        "Then we check whether it is still needed, and delete it if not.",
        "Derefter vurderer vi, om de stadig er nødvendige, og sletter dem ellers.",
    ),
    "retention.hold": (
        "{label}: enligt {law} måste vi spara uppgifterna, även om du ber oss radera dem.",
        "{label}: under {law} we must keep this data, even if you ask us to erase it.",
        "{label}: efter {law} skal vi opbevare oplysningerne, også selv om du beder os om at "
        "slette dem.",
    ),
    "retention.hold_period": (
        "Skyldigheten gäller i {period}.",
        "The duty lasts {period}.",
        "Pligten gælder i {period}.",
    ),
    # --- Sources (Art. 14(2)(f)) ---------------------------------------------------------
    "source.subject": (
        "Från dig själv, eller från hur du använder våra tjänster.",
        "From you, or from how you use our services.",
        "Fra dig selv eller fra din brug af vores tjenester.",
    ),
    "source.public_database": (
        "Från offentliga register.",
        "From public registers.",
        "Fra offentlige registre.",
    ),
    "source.partner": (
        "Från en samarbetspartner.",
        "From a business partner.",
        "Fra en samarbejdspartner.",
    ),
    "source.purchased_list": (
        "Från en adresslista som vi har köpt.",
        "From a mailing list that we bought.",
        "Fra en adresseliste, som vi har købt.",
    ),
    "source.employer": ("Från din arbetsgivare.", "From your employer.", "Fra din arbejdsgiver."),
    "source.other": ("Från en annan källa.", "From another source.", "Fra en anden kilde."),
    # --- Values --------------------------------------------------------------------------
    "value.yes": ("Ja", "Yes", "Ja"),
    "value.no": ("Nej", "No", "Nej"),
    "value.binary": ("binära data ({n} byte)", "binary data ({n} bytes)", "binære data ({n} byte)"),
    "value.datetime": ("{date} kl. {time}", "{date}, {time}", "{date} kl. {time}"),
    "list.and": ("{first} och {last}", "{first} and {last}", "{first} og {last}"),
    "count.record": ("{n} poster", "{n} records", "{n} registreringer"),
    "count.record.1": ("1 post", "1 record", "1 registrering"),
    "count.system": ("{n} system", "{n} systems", "{n} systemer"),
    "count.system.1": ("1 system", "1 system", "1 system"),
    # -- the erasure receipt (skydd.documents.receipt) ----------------------------------------
    "receipt.title": ("Kvitto på radering", "Erasure receipt", "Kvittering for sletning"),
    "receipt.request": ("Ärende {id}, {date}", "Request {id}, {date}", "Sag {id}, {date}"),
    "receipt.intro": (
        "{controller} har behandlat din begäran om radering (artikel 17 i "
        "dataskyddsförordningen). Här ser du vad vi har raderat, vad vi har avidentifierat och "
        "vad lagen kräver att vi sparar, varför och hur länge.",
        "{controller} has handled your request for erasure (Article 17 GDPR). This receipt "
        "shows what we erased, what we anonymised and what the law requires us to keep, why, "
        "and until when.",
        "{controller} har behandlet din anmodning om sletning (artikel 17 i "
        "databeskyttelsesforordningen). Her kan du se, hvad vi har slettet, hvad vi har "
        "anonymiseret, og hvad loven kræver, at vi gemmer, hvorfor og hvor længe.",
    ),
    "receipt.planned": (
        "Detta är en plan: ingenting har ändrats ännu.",
        "This is a plan: nothing has been changed yet.",
        "Dette er en plan: intet er ændret endnu.",
    ),
    "receipt.erased": ("Raderat", "Erased", "Slettet"),
    "receipt.anonymised": ("Avidentifierat", "Anonymised", "Anonymiseret"),
    "receipt.anonymised_text": (
        "Uppgifterna finns kvar, men utan något som pekar ut dig.",
        "These records remain, but without anything that points to you.",
        "Oplysningerne findes stadig, men uden noget, der peger på dig.",
    ),
    "receipt.kept": ("Sparat", "Kept", "Gemt"),
    "receipt.kept_text": (
        "De här uppgifterna får vi inte radera ännu. Uppgifter som lagen kräver att vi sparar "
        "är spärrade: de används inte till något annat och raderas när tiden har gått ut.",
        "We may not erase these records yet. Records the law requires us to keep are blocked: "
        "they are used for nothing else and are erased when the time is up.",
        "Disse oplysninger må vi ikke slette endnu. Oplysninger, som loven kræver, at vi gemmer, "
        "er spærret: de bruges ikke til andet og slettes, når tiden er udløbet.",
    ),
    "receipt.what": ("Uppgifter", "Records", "Oplysninger"),
    "receipt.where": ("System", "System", "System"),
    "receipt.count": ("Antal", "Number", "Antal"),
    "receipt.why": ("Varför", "Why", "Hvorfor"),
    "receipt.until_heading": ("Hur länge", "Until when", "Hvor længe"),
    "receipt.law": ("Lag", "Law", "Lov"),
    "receipt.rows": ("{n} poster", "{n} records", "{n} poster"),
    "receipt.rows.1": ("1 post", "1 record", "1 post"),
    "receipt.none": ("Inget.", "Nothing.", "Intet."),
    "receipt.unlinked": (
        "Hänvisningar till dig i andra personers uppgifter har tagits bort ({n}).",
        "References to you in other people's records were removed ({n}).",
        "Henvisninger til dig i andre personers oplysninger er fjernet ({n}).",
    ),
    "receipt.until": (
        "sparas till och med {date}",
        "kept until {date}",
        "gemmes til og med {date}",
    ),
    "receipt.until_unknown": (
        "så länge skyldigheten gäller",
        "for as long as the duty lasts",
        "så længe pligten gælder",
    ),
    "receipt.until_shared": ("delas med andra", "shared with others", "deles med andre"),
    "receipt.shared": (
        "Uppgifterna hör till flera personer, till exempel ditt företag, och är inte enbart dina.",
        "These records belong to several people, for example your company, and are not yours "
        "alone.",
        "Oplysningerne hører til flere personer, f.eks. din virksomhed, og er ikke kun dine.",
    ),
    "receipt.keep": (
        "Sparas av {controller}; fråga oss gärna om skälet.",
        "Kept by {controller}; ask us why.",
        "Gemmes af {controller}; spørg os gerne om årsagen.",
    ),
    "receipt.referenced": (
        "Behövs för de uppgifter som sparas enligt lag",
        "Needed by the records kept by law",
        "Nødvendige for de oplysninger, der gemmes efter loven",
    ),
    "receipt.article": (
        "art. 17.3 {letter} GDPR",
        "Art. 17(3)({letter}) GDPR",
        "art. 17, stk. 3, litra {letter}, GDPR",
    ),
    "receipt.ground.a": (
        "för att utöva rätten till yttrande- och informationsfrihet",
        "to exercise the right of freedom of expression and information",
        "for at udøve retten til ytrings- og informationsfrihed",
    ),
    "receipt.ground.b": (
        "för att uppfylla en rättslig förpliktelse",
        "to comply with a legal obligation",
        "for at overholde en retlig forpligtelse",
    ),
    "receipt.ground.c": (
        "av skäl som rör ett allmänt intresse på folkhälsoområdet",
        "for reasons of public interest in the area of public health",
        "af hensyn til samfundets interesse på folkesundhedsområdet",
    ),
    "receipt.ground.d": (
        "för arkivändamål av allmänt intresse, forskning eller statistik",
        "for archiving in the public interest, research or statistics",
        "til arkivformål i samfundets interesse, forskning eller statistik",
    ),
    "receipt.ground.e": (
        "för att fastställa, göra gällande eller försvara rättsliga anspråk",
        "to establish, exercise or defend legal claims",
        "for at retskrav kan fastlægges, gøres gældende eller forsvares",
    ),
    "receipt.notified": ("Vilka vi har underrättat", "Who we have told", "Hvem vi har underrettet"),
    "receipt.notified_text": (
        "Vi hade lämnat ut uppgifter om dig till mottagarna nedan. Vi har meddelat dem att "
        "uppgifterna är raderade, så att de kan radera sina kopior (artikel 19 i "
        "dataskyddsförordningen).",
        "We had disclosed data about you to the recipients below. We have told them that the "
        "data has been erased, so that they can erase their copies too (Article 19 GDPR).",
        "Vi havde videregivet oplysninger om dig til modtagerne nedenfor. Vi har underrettet "
        "dem om, at oplysningerne er slettet, så de også kan slette deres kopier (artikel 19 i "
        "databeskyttelsesforordningen).",
    ),
    "receipt.recipient": ("Mottagare", "Recipient", "Modtager"),
    "receipt.notice": ("Meddelande", "Notice", "Meddelelse"),
    "receipt.notice.sent": ("skickat", "sent", "sendt"),
    "receipt.notice.pending": ("skickas", "being sent", "sendes"),
    "receipt.notice.failed": (
        "meddelas på annat sätt",
        "to be told another way",
        "underrettes på anden måde",
    ),
    "receipt.check": ("Kontroll", "Check", "Kontrol"),
    "receipt.verified": (
        "Efteråt sökte vi igen i alla system och hittade inget mer om dig.",
        "Afterwards we searched all systems again and found nothing else about you.",
        "Bagefter søgte vi igen i alle systemer og fandt intet andet om dig.",
    ),
    "receipt.not_verified": (
        "När vi sökte igen efteråt hittade vi fortfarande uppgifter om dig. Din begäran är "
        "därför inte avslutad; vi återkommer till dig.",
        "When we searched again afterwards, we still found data about you. Your request is "
        "therefore not complete; we will get back to you.",
        "Da vi søgte igen bagefter, fandt vi stadig oplysninger om dig. Din anmodning er derfor "
        "ikke afsluttet; vi vender tilbage til dig.",
    ),
    "receipt.ambiguous": (
        "Några uppgifter kan höra till dig men också till någon annan. En handläggare går "
        "igenom dem.",
        "Some records may be yours but may also belong to someone else. A member of staff "
        "will review them.",
        "Nogle oplysninger kan være dine, men kan også tilhøre en anden. En medarbejder "
        "gennemgår dem.",
    ),
    "receipt.questions": ("Frågor", "Questions", "Spørgsmål"),
    "receipt.contact": (
        "Har du frågor om raderingen kan du kontakta oss på {contact}.",
        "If you have questions about the erasure, contact us at {contact}.",
        "Har du spørgsmål om sletningen, kan du kontakte os på {contact}.",
    ),
    "receipt.complaint": (
        "Om du är missnöjd kan du klaga hos {authority}.",
        "If you are unhappy, you can complain to {authority}.",
        "Er du utilfreds, kan du klage til {authority}.",
    ),
}


PHRASES: dict[str, tuple[str, str, str]] = {**_DOCUMENT, **ACCESS, **GLOSSARY}


def has_phrase(key: str) -> bool:
    """True if the catalogue has ``key`` (the glossary of column names is optional)."""
    return key in PHRASES


def phrase(lang: str, key: str, **values: Any) -> str:
    """The phrase in `lang` (English if the language is unknown), with values filled in.

    An unknown key comes back as itself, so a missing phrase shows on the page and a
    test that looks for phrase keys in rendered pages finds it.
    """
    if values.get("n") == 1 and f"{key}.1" in PHRASES:
        key = f"{key}.1"
    texts = PHRASES.get(key)
    if texts is None:
        return key
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 1
    return texts[index].format(**values)

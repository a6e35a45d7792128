"""The privacy notice's own phrases in Swedish, English and Danish.

The notice also uses the document catalogue (`skydd.documents.phrases`): legal bases,
transfer mechanisms, recipient roles, the rights and the objection texts are the same
words the registerutdrag uses, so a person reads one vocabulary. Only what a notice
says and a registerutdrag does not lives here. Same conventions: each key maps to
(sv, en, da); a key ending in ``.1`` is the singular of the key without it.
"""

from __future__ import annotations

from typing import Any

from skydd.documents.phrases import LANGUAGES, PHRASES, phrase

# Each key maps to (sv, en, da).
NOTICE: dict[str, tuple[str, str, str]] = {
    # --- title and headings --------------------------------------------------------------
    "n.title": ("Integritetspolicy", "Privacy notice", "Privatlivspolitik"),
    "n.subtitle": (
        "Så behandlar {controller} dina personuppgifter",
        "How {controller} handles your personal data",
        "Sådan behandler {controller} dine personoplysninger",
    ),
    "n.version": (
        "Version {version}, gäller från {date}",
        "Version {version}, in force from {date}",
        "Version {version}, gældende fra {date}",
    ),
    "n.contents": ("Innehåll", "Contents", "Indhold"),
    "n.intro_default": (
        "{controller} behandlar personuppgifter om dig när du är kund hos oss, besöker vår "
        "webbplats eller har annan kontakt med oss. Här berättar vi vilka uppgifter det gäller, "
        "varför vi behandlar dem, hur länge vi sparar dem, vilka som får ta del av dem och "
        "vilka rättigheter du har.",
        "{controller} processes personal data about you when you are our customer, visit our "
        "website or are otherwise in touch with us. This notice tells you what data that is, "
        "why we process it, how long we keep it, who receives it and what your rights are.",
        "{controller} behandler personoplysninger om dig, når du er kunde hos os, besøger vores "
        "hjemmeside eller på anden måde er i kontakt med os. Her fortæller vi, hvilke "
        "oplysninger det drejer sig om, hvorfor vi behandler dem, hvor længe vi opbevarer dem, "
        "hvem der modtager dem, og hvilke rettigheder du har.",
    ),
    "n.h.data": (
        "Vilka uppgifter vi behandlar och varifrån de kommer",
        "What data we process and where it comes from",
        "Hvilke oplysninger vi behandler, og hvor de kommer fra",
    ),
    "n.h.purposes": (
        "Varför vi behandlar uppgifterna och hur länge vi sparar dem",
        "Why we process your data and how long we keep it",
        "Hvorfor vi behandler oplysningerne, og hvor længe vi opbevarer dem",
    ),
    "n.h.holds": (
        "Uppgifter som lagen kräver att vi sparar",
        "Data the law requires us to keep",
        "Oplysninger, som loven kræver, at vi opbevarer",
    ),
    "n.h.transfers": (
        "Överföring till länder {outside}",
        "Transfers to countries {outside}",
        "Overførsel til lande {outside}",
    ),
    "n.h.cookies": (
        "Cookies och liknande tekniker",
        "Cookies and similar technologies",
        "Cookies og lignende teknologier",
    ),
    "n.h.security": (
        "Hur vi skyddar uppgifterna",
        "How we protect your data",
        "Sådan beskytter vi dine oplysninger",
    ),
    "n.h.more": (
        "Mer om hur vi hanterar dina uppgifter",
        "More about how we handle your data",
        "Mere om, hvordan vi håndterer dine oplysninger",
    ),
    # --- who we are ----------------------------------------------------------------------
    "n.dpo_text": (
        "Vårt dataskyddsombud når du på {contact}.",
        "You can reach our data protection officer at {contact}.",
        "Du kan kontakte vores databeskyttelsesrådgiver på {contact}.",
    ),
    "n.privacy_contact_text": (
        "Har du frågor om hur vi behandlar personuppgifter når du oss på {contact}.",
        "For questions about how we handle personal data, contact us at {contact}.",
        "Har du spørgsmål om, hvordan vi behandler personoplysninger, kan du kontakte os på "
        "{contact}.",
    ),
    "n.representative": (
        "Vår företrädare i EU är {name}, som du når på {contact}.",
        "Our representative in the EU is {name}, who can be reached at {contact}.",
        "Vores repræsentant i EU er {name}, som du kan kontakte på {contact}.",
    ),
    "n.joint": (
        "Vi är gemensamt personuppgiftsansvariga med {names}.",
        "We are joint controllers with {names}.",
        "Vi er fælles dataansvarlige med {names}.",
    ),
    # --- what data, from where -----------------------------------------------------------
    "n.data_intro": (
        "Vilka uppgifter vi har om dig beror på vilken kontakt du har med oss.",
        "What data we hold about you depends on how you are in touch with us.",
        "Hvilke oplysninger vi har om dig, afhænger af, hvordan du er i kontakt med os.",
    ),
    "n.categories": (
        "Det gäller {categories}.",
        "This covers {categories}.",
        "Det drejer sig om {categories}.",
    ),
    "n.source_you": (
        "Uppgifterna får vi från dig, eller från hur du använder våra tjänster.",
        "We get this data from you, or from how you use our services.",
        "Oplysningerne får vi fra dig eller fra din brug af vores tjenester.",
    ),
    "n.source_others": (
        "En del uppgifter får vi från andra än dig:",
        "Some of the data we get from others than you:",
        "Nogle oplysninger får vi fra andre end dig:",
    ),
    "n.source_item": (
        "{source} Det gäller {categories}.",
        "{source} This covers {categories}.",
        "{source} Det drejer sig om {categories}.",
    ),
    "n.source_timing": (
        "Har vi fått uppgifter om dig från någon annan berättar vi det för dig inom en månad, "
        "eller redan när vi kontaktar dig första gången.",
        "If we receive data about you from someone else, we tell you within one month, or "
        "when we first contact you if that is sooner.",
        "Har vi fået oplysninger om dig fra en anden, fortæller vi dig det inden for en "
        "måned, eller allerede når vi kontakter dig første gang.",
    ),
    # --- purposes ------------------------------------------------------------------------
    "n.purposes_intro": (
        "Vi behandlar bara personuppgifter när vi har ett tydligt ändamål och stöd i lagen för "
        "det. Här är ändamålen, den rättsliga grunden för vart och ett och hur länge vi sparar "
        "uppgifterna.",
        "We process personal data only for a clear purpose and with a lawful basis. These are "
        "our purposes, the legal basis for each, and how long we keep the data.",
        "Vi behandler kun personoplysninger, når vi har et klart formål og hjemmel i loven. "
        "Her er formålene, retsgrundlaget for hvert af dem, og hvor længe vi opbevarer "
        "oplysningerne.",
    ),
    "n.basis": ("{basis} ({citation}).", "{basis} ({citation}).", "{basis} ({citation})."),
    "n.law": (
        "Den lag som kräver det: {law}.",
        "The law that requires it: {law}.",
        "Den lov, der kræver det: {law}.",
    ),
    "n.art9": (
        "Känsliga personuppgifter behandlar vi med stöd av artikel 9.2 {letter} "
        "{regulation}: {condition}.",
        "We process special categories of data under Article 9(2)({letter}) {regulation}: "
        "{condition}.",
        "Følsomme personoplysninger behandler vi efter artikel 9, stk. 2, litra {letter}, "
        "{regulation}: {condition}.",
    ),
    "n.requirement": (
        "Måste du lämna uppgifterna?",
        "Do you have to give us the data?",
        "Skal du give os oplysningerne?",
    ),
    "n.req.contract": (
        "Ja. Uppgifterna behövs för att vi ska kunna ingå och fullgöra avtalet med dig. Lämnar "
        "du dem inte kan vi inte göra det.",
        "Yes. We need the data to enter into and perform the contract with you. If you do not "
        "give it, we cannot do so.",
        "Ja. Vi har brug for oplysningerne for at kunne indgå og opfylde aftalen med dig. "
        "Giver du os dem ikke, kan vi ikke gøre det.",
    ),
    "n.req.legal_obligation": (
        "Ja, det är ett lagkrav att vi har uppgifterna.",
        "Yes, the law requires us to have this data.",
        "Ja, det er et lovkrav, at vi har oplysningerne.",
    ),
    "n.req.consent": (
        "Nej, det är frivilligt. Säger du nej, eller tar tillbaka ditt samtycke, påverkar det "
        "inget annat mellan oss.",
        "No, it is up to you. Saying no, or withdrawing your consent, affects nothing else "
        "between us.",
        "Nej, det er frivilligt. Siger du nej eller trækker dit samtykke tilbage, påvirker det "
        "ikke noget andet mellem os.",
    ),
    "n.marketing_object": (
        "Du kan när som helst säga nej till direktmarknadsföring.",
        "You can say no to direct marketing at any time.",
        "Du kan til enhver tid sige nej til direkte markedsføring.",
    ),
    "n.retention_ask": (
        "Hur länge vi sparar uppgifterna beror på ärendet; fråga oss gärna.",
        "How long we keep this data depends on the case; feel free to ask us.",
        "Hvor længe vi opbevarer oplysningerne, afhænger af sagen; spørg os gerne.",
    ),
    "n.disclosure_only": (
        "Här lämnar vi ut uppgifter som vi redan har av de andra skälen ovan; de sparas som "
        "det står där.",
        "Here we disclose data we already hold for the other purposes; it is kept as stated there.",
        "Her videregiver vi oplysninger, vi allerede har af de andre grunde ovenfor; de "
        "opbevares som anført dér.",
    ),
    # --- retention: "Kontaktpersoner: sju år efter den senaste kontakten, raderas vid årets slut."
    "n.ret.item": ("{what}: {how}.", "{what}: {how}.", "{what}: {how}."),
    "n.ret.after": (
        "{duration} efter {anchor}",
        "{duration} after {anchor}",
        "{duration} efter {anchor}",
    ),
    "n.ret.after_latest": (
        "{duration} efter {anchors}, det som inträffade sist",
        "{duration} after {anchors}, whichever is latest",
        "{duration} efter {anchors}, alt efter hvad der kom sidst",
    ),
    "n.list.or": ("{first} eller {last}", "{first} or {last}", "{first} eller {last}"),
    "n.then.delete.none": ("raderas sedan", "then deleted", "slettes derefter"),
    "n.then.delete.end_of_year": (
        "raderas vid årets slut",
        "deleted at the end of that year",
        "slettes ved årets udgang",
    ),
    "n.then.delete.end_of_month": (
        "raderas vid månadens slut",
        "deleted at the end of that month",
        "slettes ved månedens udgang",
    ),
    "n.then.anonymise.none": (
        "anonymiseras sedan, så att de inte längre kan kopplas till dig",
        "then anonymised, so that it can no longer be linked to you",
        "anonymiseres derefter, så de ikke længere kan knyttes til dig",
    ),
    "n.then.anonymise.end_of_year": (
        "anonymiseras vid årets slut, så att de inte längre kan kopplas till dig",
        "anonymised at the end of that year, so that it can no longer be linked to you",
        "anonymiseres ved årets udgang, så de ikke længere kan knyttes til dig",
    ),
    "n.then.anonymise.end_of_month": (
        "anonymiseras vid månadens slut, så att de inte längre kan kopplas till dig",
        "anonymised at the end of that month, so that it can no longer be linked to you",
        "anonymiseres ved månedens udgang, så de ikke længere kan knyttes til dig",
    ),
    "n.then.review.none": (
        "gås sedan igenom, och det som inte längre behövs raderas",
        "then reviewed, and whatever is no longer needed is deleted",
        "gennemgås derefter, og det, der ikke længere er brug for, slettes",
    ),
    "n.then.review.end_of_year": (
        "gås igenom vid årets slut, och det som inte längre behövs raderas",
        "reviewed at the end of that year, and whatever is no longer needed is deleted",
        "gennemgås ved årets udgang, og det, der ikke længere er brug for, slettes",
    ),
    "n.then.review.end_of_month": (
        "gås igenom vid månadens slut, och det som inte längre behövs raderas",
        "reviewed at the end of that month, and whatever is no longer needed is deleted",
        "gennemgås ved månedens udgang, og det, der ikke længere er brug for, slettes",
    ),
    "n.holds_intro": (
        "En del uppgifter måste vi spara enligt lag, även om du ber oss radera dem. Under den "
        "tiden är de spärrade: vi använder dem inte till något annat, och när tiden har gått "
        "ut raderas de.",
        "Some data we must keep by law, even if you ask us to erase it. During that time it is "
        "blocked: we use it for nothing else, and when the time is up it is deleted.",
        "Nogle oplysninger skal vi opbevare efter loven, også selv om du beder os om at slette "
        "dem. I den periode er de spærret: vi bruger dem ikke til andet, og når tiden er "
        "udløbet, slettes de.",
    ),
    "n.hold": ("{what}: {how} ({law}).", "{what}: {how} ({law}).", "{what}: {how} ({law})."),
    "n.hold_open": (
        "{what}: så länge skyldigheten gäller ({law}).",
        "{what}: for as long as the duty lasts ({law}).",
        "{what}: så længe pligten gælder ({law}).",
    ),
    "n.hold_person": (
        "{label}: behöver vi enskilda uppgifter för att fastställa, göra gällande eller "
        "försvara rättsliga anspråk sparar vi dem så länge det behövs ({law}).",
        "{label}: where we need particular data to establish, exercise or defend legal "
        "claims, we keep it for as long as that requires ({law}).",
        "{label}: har vi brug for bestemte oplysninger for at fastlægge, gøre gældende eller "
        "forsvare retskrav, opbevarer vi dem, så længe det er nødvendigt ({law}).",
    ),
    # --- recipients ----------------------------------------------------------------------
    "n.recipients_intro": (
        "Vi lämnar bara ut uppgifter när det behövs för ändamålen ovan eller när lagen kräver det.",
        "We disclose data only where the purposes above need it or the law requires it.",
        "Vi videregiver kun oplysninger, når formålene ovenfor kræver det, eller loven kræver det.",
    ),
    "n.col.recipient": ("Mottagare", "Recipient", "Modtager"),
    "n.col.role": ("Roll", "Role", "Rolle"),
    "n.col.service": ("Vad de gör", "What they do", "Hvad de gør"),
    "n.col.country": ("Land", "Country", "Land"),
    "n.col.data": ("Vilka uppgifter", "What data", "Hvilke oplysninger"),
    "n.all_data": (
        "Uppgifter som ändamålet kräver",
        "Data the purpose requires",
        "Oplysninger, som formålet kræver",
    ),
    # --- transfers -----------------------------------------------------------------------
    "n.transfers_intro": (
        "Några mottagare finns i, eller behandlar uppgifter i, länder {outside}. Där ger lagen "
        "inte samma skydd, så vi ser till att uppgifterna skyddas på annat sätt:",
        "Some recipients are located, or process data, in countries {outside}. The law there "
        "does not give the same protection, so we make sure the data is protected in other "
        "ways:",
        "Nogle modtagere befinder sig eller behandler oplysninger i lande {outside}. Loven dér "
        "giver ikke den samme beskyttelse, så vi sørger for, at oplysningerne beskyttes på "
        "anden måde:",
    ),
    "n.no_transfers": (
        "Vi för inte över dina uppgifter till länder {outside}.",
        "We do not transfer your data to countries {outside}.",
        "Vi overfører ikke dine oplysninger til lande {outside}.",
    ),
    "n.transfer_item": ("{name} ({countries}).", "{name} ({countries}).", "{name} ({countries})."),
    # --- cookies -------------------------------------------------------------------------
    "n.cookies_intro": (
        "Vår webbplats använder cookies och liknande tekniker. Nödvändiga cookies behövs för "
        "att webbplatsen ska fungera och kräver inte ditt samtycke. Övriga använder vi bara om "
        "du har sagt ja till dem, och du kan när som helst ändra ditt val i "
        "cookieinställningarna på webbplatsen. Att säga nej är lika enkelt som att säga ja.",
        "Our website uses cookies and similar technologies. Strictly necessary cookies make "
        "the site work and need no consent. We use the others only if you have said yes to "
        "them, and you can change your choice at any time in the cookie settings on the "
        "website. Saying no is as easy as saying yes.",
        "Vores hjemmeside bruger cookies og lignende teknologier. Nødvendige cookies får "
        "hjemmesiden til at fungere og kræver ikke dit samtykke. De øvrige bruger vi kun, hvis "
        "du har sagt ja til dem, og du kan til enhver tid ændre dit valg i "
        "cookieindstillingerne på hjemmesiden. Det er lige så nemt at sige nej som ja.",
    ),
    "n.cookies_necessary_only": (
        "Vår webbplats använder bara cookies som behövs för att den ska fungera. De kräver "
        "inte ditt samtycke.",
        "Our website uses only cookies that it needs to work. They need no consent.",
        "Vores hjemmeside bruger kun cookies, der er nødvendige for, at den fungerer. De "
        "kræver ikke dit samtykke.",
    ),
    "n.cookie.necessary": ("Nödvändiga", "Strictly necessary", "Nødvendige"),
    "n.cookie.preferences": ("Inställningar", "Preferences", "Præferencer"),
    "n.cookie.analytics": ("Statistik och analys", "Analytics", "Statistik og analyse"),
    "n.cookie.marketing": ("Marknadsföring", "Marketing", "Markedsføring"),
    "n.cookie.consent": (
        "Används bara med ditt samtycke.",
        "Used only with your consent.",
        "Bruges kun med dit samtykke.",
    ),
    "n.col.name": ("Namn", "Name", "Navn"),
    "n.col.party": ("Sätts av", "Set by", "Sættes af"),
    "n.col.purpose": ("Syfte", "Purpose", "Formål"),
    "n.col.lifetime": ("Livslängd", "Lifetime", "Levetid"),
    "n.kind.local_storage": ("lokal lagring", "local storage", "lokal lagring"),
    "n.kind.pixel": ("spårningspixel", "tracking pixel", "sporingspixel"),
    "n.kind.link_tracking": ("länkspårning", "link tracking", "linksporing"),
    "n.kind.fingerprint": (
        "fingeravtryck av webbläsaren",
        "browser fingerprinting",
        "browserfingeraftryk",
    ),
    "n.life.session": (
        "tills du stänger webbläsaren",
        "until you close your browser",
        "indtil du lukker browseren",
    ),
    # --- rights --------------------------------------------------------------------------
    "n.right.access.text": (
        "Du har rätt att få veta om vi behandlar personuppgifter om dig och i så fall få en "
        "kopia av dem (ett registerutdrag), tillsammans med information om hur vi behandlar "
        "dem. Det kostar ingenting.",
        "You have the right to know whether we process personal data about you and, if we do, "
        "to receive a copy of it together with information about how we process it. This is "
        "free of charge.",
        "Du har ret til at få at vide, om vi behandler personoplysninger om dig, og i givet "
        "fald få en kopi af dem sammen med oplysninger om, hvordan vi behandler dem. Det er "
        "gratis.",
    ),
    "n.how_form": (
        "Enklast är att använda vårt formulär: {url}. Du kan också skriva till oss på {contact}.",
        "The easiest way is our form at {url}. You can also write to us at {contact}.",
        "Det er nemmest at bruge vores formular: {url}. Du kan også skrive til os på {contact}.",
    ),
    "n.how_contact": (
        "Skriv till oss på {contact}, så hjälper vi dig.",
        "Write to us at {contact} and we will help you.",
        "Skriv til os på {contact}, så hjælper vi dig.",
    ),
    "n.how_answer": (
        "Vi svarar utan onödigt dröjsmål och senast inom en månad. Är din begäran särskilt "
        "komplicerad kan tiden förlängas med högst två månader; då får du veta det, och "
        "varför, inom den första månaden. Vi ber dig bara styrka din identitet om vi är "
        "osäkra på vem du är.",
        "We answer without undue delay and within one month at the latest. If your request "
        "is particularly complex, we may extend this by up to two further months; if so, we "
        "tell you, and why, within the first month. We ask you to confirm who you are only "
        "if we are unsure.",
        "Vi svarer uden unødig forsinkelse og senest inden for en måned. Er din anmodning "
        "særligt kompliceret, kan fristen forlænges med højst to måneder; i så fald får du "
        "besked om det, og om hvorfor, inden for den første måned. Vi beder dig kun "
        "bekræfte din identitet, hvis vi er i tvivl om, hvem du er.",
    ),
    "n.object_how_form": (
        "Vill du invända räcker det att du skriver till oss på {contact} eller använder "
        "formuläret på {url}.",
        "To object, simply write to us at {contact} or use the form at {url}.",
        "Vil du gøre indsigelse, er det nok at skrive til os på {contact} eller bruge "
        "formularen på {url}.",
    ),
    "n.complaint_where": (
        "Du når {authority} på {contact}.",
        "You can reach the {authority} at {contact}.",
        "Du kan kontakte {authority} på {contact}.",
    ),
    "n.complaint_where_post": (
        "Du når {authority} på {contact} eller på adressen {address}.",
        "You can reach the {authority} at {contact} or by post at {address}.",
        "Du kan kontakte {authority} på {contact} eller på adressen {address}.",
    ),
    "n.complaint_local": (
        "Du kan också klaga hos dataskyddsmyndigheten i det land där du bor eller arbetar.",
        "You can also complain to the data protection authority of the country where you "
        "live or work.",
        "Du kan også klage til databeskyttelsesmyndigheden i det land, hvor du bor eller arbejder.",
    ),
    # --- Art. 9(2) conditions, completing "artikel 9.2 (x): …" ---------------------------
    "art9.explicit_consent": (
        "ditt uttryckliga samtycke",
        "your explicit consent",
        "dit udtrykkelige samtykke",
    ),
    "art9.employment": (
        "skyldigheter inom arbetsrätten och den sociala tryggheten",
        "obligations in employment and social security law",
        "forpligtelser inden for arbejds- og socialret",
    ),
    "art9.vital_interests": (
        "att skydda ditt eller någon annans liv",
        "protecting your vital interests or someone else's",
        "at beskytte dine eller andres vitale interesser",
    ),
    "art9.not_for_profit": (
        "behandling inom en ideell organisation",
        "processing by a not-for-profit body",
        "behandling i en almennyttig organisation",
    ),
    "art9.made_public": (
        "uppgifter som du själv har offentliggjort",
        "data you have made public yourself",
        "oplysninger, som du selv har offentliggjort",
    ),
    "art9.legal_claims": (
        "att fastställa, göra gällande eller försvara rättsliga anspråk",
        "establishing, exercising or defending legal claims",
        "at fastlægge, gøre gældende eller forsvare retskrav",
    ),
    "art9.public_interest": (
        "ett viktigt allmänt intresse",
        "substantial public interest",
        "væsentlige samfundsinteresser",
    ),
    "art9.health_care": ("hälso- och sjukvård", "health or social care", "sundhed og pleje"),
    "art9.public_health": ("folkhälsa", "public health", "folkesundhed"),
    "art9.archiving_research": (
        "arkiv, forskning eller statistik",
        "archiving, research or statistics",
        "arkiv, forskning eller statistik",
    ),
    # --- durations in running text -------------------------------------------------------
    "unit.hour": ("{n} timmar", "{n} hours", "{n} timer"),
    "unit.hour.1": ("1 timme", "1 hour", "1 time"),
    "unit.minute": ("{n} minuter", "{n} minutes", "{n} minutter"),
    "unit.minute.1": ("1 minut", "1 minute", "1 minut"),
    "unit.second": ("{n} sekunder", "{n} seconds", "{n} sekunder"),
    "unit.second.1": ("1 sekund", "1 second", "1 sekund"),
    # --- what changed between two versions (skydd notice diff) ----------------------------
    "d.none": (
        "Inget i innehållet har ändrats.",
        "Nothing in the content has changed.",
        "Intet i indholdet er ændret.",
    ),
    "d.purpose_added": ("Nytt ändamål: {label}.", "New purpose: {label}.", "Nyt formål: {label}."),
    "d.purpose_removed": (
        "Ändamålet {label} har tagits bort.",
        "The purpose {label} has been removed.",
        "Formålet {label} er fjernet.",
    ),
    "d.basis_changed": (
        "{label}: den rättsliga grunden har ändrats från {old} till {new}.",
        "{label}: the legal basis changed from {old} to {new}.",
        "{label}: retsgrundlaget er ændret fra {old} til {new}.",
    ),
    "d.interest_changed": (
        "{label}: beskrivningen av vårt berättigade intresse har ändrats.",
        "{label}: the legitimate interest relied on is described differently.",
        "{label}: beskrivelsen af vores legitime interesse er ændret.",
    ),
    "d.automated_added": (
        "{label}: nu med ett automatiserat beslut.",
        "{label}: now includes an automated decision.",
        "{label}: omfatter nu en automatisk afgørelse.",
    ),
    "d.automated_removed": (
        "{label}: inget automatiserat beslut längre.",
        "{label}: no longer includes an automated decision.",
        "{label}: omfatter ikke længere en automatisk afgørelse.",
    ),
    "d.retention_added": (
        "Ny lagringstid för {what}: {how}.",
        "New retention period for {what}: {how}.",
        "Ny opbevaringsperiode for {what}: {how}.",
    ),
    "d.retention_removed": (
        "Lagringstiden för {what} gäller inte längre.",
        "The retention period for {what} no longer applies.",
        "Opbevaringsperioden for {what} gælder ikke længere.",
    ),
    "d.retention_changed": (
        "{what}: lagringstiden har ändrats från {old} till {new}.",
        "{what}: the retention period changed from {old} to {new}.",
        "{what}: opbevaringsperioden er ændret fra {old} til {new}.",
    ),
    "d.anchor_changed": (
        "{what}: lagringstiden räknas nu från en annan tidpunkt.",
        "{what}: the retention period now runs from a different date.",
        "{what}: opbevaringsperioden regnes nu fra et andet tidspunkt.",
    ),
    "d.scope_changed": (
        "Lagringstiden gäller nu andra uppgifter: {what}.",
        "The retention period now covers other data: {what}.",
        "Opbevaringsperioden omfatter nu andre oplysninger: {what}.",
    ),
    "d.categories_added": (
        "Nya slags uppgifter: {categories}.",
        "New kinds of data: {categories}.",
        "Nye typer oplysninger: {categories}.",
    ),
    "d.categories_removed": (
        "Vi behandlar inte längre: {categories}.",
        "We no longer process: {categories}.",
        "Vi behandler ikke længere: {categories}.",
    ),
    "d.sources_changed": (
        "Varifrån vi får uppgifter har ändrats.",
        "Where we get data from has changed.",
        "Hvor vi får oplysninger fra, er ændret.",
    ),
    "d.recipient_added": (
        "Ny mottagare: {name} i {country}.",
        "New recipient: {name} in {country}.",
        "Ny modtager: {name} i {country}.",
    ),
    "d.recipient_removed": (
        "{name} får inte längre ta del av uppgifter.",
        "{name} no longer receives data.",
        "{name} modtager ikke længere oplysninger.",
    ),
    "d.recipient_moved": (
        "{name}: behandlar nu uppgifterna i {new} i stället för {old}.",
        "{name}: now processes the data in {new} instead of {old}.",
        "{name}: behandler nu oplysningerne i {new} i stedet for {old}.",
    ),
    "d.transfer_changed": (
        "{name}: skyddsåtgärden för överföringen har ändrats från {old} till {new}.",
        "{name}: the transfer safeguard changed from {old} to {new}.",
        "{name}: garantien for overførslen er ændret fra {old} til {new}.",
    ),
    "d.recipient_data": (
        "{name} får nu andra uppgifter än tidigare.",
        "{name} now receives different data.",
        "{name} modtager nu andre oplysninger end før.",
    ),
    "d.cookie_added": (
        "Ny cookie: {name} ({category}), livslängd {lifetime}.",
        "New cookie: {name} ({category}), lifetime {lifetime}.",
        "Ny cookie: {name} ({category}), levetid {lifetime}.",
    ),
    "d.cookie_removed": (
        "Cookien {name} används inte längre.",
        "The cookie {name} is no longer used.",
        "Cookien {name} bruges ikke længere.",
    ),
    "d.cookie_lifetime": (
        "Cookien {name}: livslängden har ändrats från {old} till {new}.",
        "The cookie {name}: its lifetime changed from {old} to {new}.",
        "Cookien {name}: levetiden er ændret fra {old} til {new}.",
    ),
    "d.cookie_category": (
        "Cookien {name} hör nu till {new} i stället för {old}.",
        "The cookie {name} is now {new} instead of {old}.",
        "Cookien {name} hører nu til {new} i stedet for {old}.",
    ),
    "d.controller_changed": (
        "Uppgifterna om {controller} har ändrats.",
        "The details of {controller} have changed.",
        "Oplysningerne om {controller} er ændret.",
    ),
    "d.contacts_changed": (
        "Kontaktuppgifterna för dataskyddsfrågor har ändrats.",
        "The contact details for data protection questions have changed.",
        "Kontaktoplysningerne for spørgsmål om databeskyttelse er ændret.",
    ),
    "d.authority_changed": (
        "Tillsynsmyndigheten är nu {authority}.",
        "The supervisory authority is now {authority}.",
        "Tilsynsmyndigheden er nu {authority}.",
    ),
    "d.texts_changed": (
        "Texter som {controller} själv har skrivit har ändrats.",
        "Texts written by {controller} itself have changed.",
        "Tekster, som {controller} selv har skrevet, er ændret.",
    ),
}

# Numbers one to twelve as words, as careful prose writes them ("sju år", "six months").
# Swedish and Danish "one" agrees with the noun: ett år / en månad, et år / en måned.
NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "sv": (
        "",
        "en",
        "två",
        "tre",
        "fyra",
        "fem",
        "sex",
        "sju",
        "åtta",
        "nio",
        "tio",
        "elva",
        "tolv",
    ),
    "en": (
        "",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ),
    "da": (
        "",
        "en",
        "to",
        "tre",
        "fire",
        "fem",
        "seks",
        "syv",
        "otte",
        "ni",
        "ti",
        "elleve",
        "tolv",
    ),
}
NEUTER_ONE = {("sv", "year"): "ett", ("da", "year"): "et", ("da", "minute"): "et",
              ("da", "second"): "et"}  # fmt: skip


def t(lang: str, key: str, **values: Any) -> str:
    """A notice phrase, else a document phrase, in ``lang`` (English if unknown)."""
    if values.get("n") == 1 and f"{key}.1" in NOTICE:
        key = f"{key}.1"
    texts = NOTICE.get(key)
    if texts is None:
        return phrase(lang, key, **values) if key in PHRASES else key
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 1
    return texts[index].format(**values)

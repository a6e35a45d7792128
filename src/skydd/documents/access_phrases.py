"""The texts of the registerutdrag, the answer to an access request (Art. 15).

Part of the catalogue in `skydd.documents.phrases`, kept apart so each file stays
readable; see there for the conventions (sv, en, da; ``.1`` keys are singulars).
"""

from __future__ import annotations

# Each key maps to (sv, en, da).
ACCESS: dict[str, tuple[str, str, str]] = {
    "doc.title": ("Registerutdrag", "Your personal data", "Indsigt i dine personoplysninger"),
    "doc.subtitle": (
        "Svar på din begäran om tillgång till dina personuppgifter",
        "Our response to your request for access to your personal data",
        "Svar på din anmodning om indsigt i dine personoplysninger",
    ),
    "doc.intro": (
        "Här är de personuppgifter som {controller} har om dig: var de finns, varför vi har "
        "dem, vem som får ta del av dem och hur länge vi sparar dem. Först kommer en "
        "sammanfattning och sedan alla detaljer.",
        "This is the personal data {controller} holds about you: where it is, why we have it, "
        "who receives it and how long we keep it. A summary comes first, then the full detail.",
        "Her er de personoplysninger, som {controller} har om dig: hvor de findes, hvorfor vi "
        "har dem, hvem der modtager dem, og hvor længe vi opbevarer dem. Først kommer et kort "
        "overblik og derefter alle detaljerne.",
    ),
    "doc.reference": ("Ärendenummer", "Reference", "Sagsnummer"),
    "doc.prepared": ("Upprättat", "Prepared on", "Udarbejdet"),
    "doc.searched_by": ("Sökt med", "Searched by", "Søgt på"),
    "doc.summary": ("I korthet", "In brief", "Kort fortalt"),
    "doc.confirm": (
        "Ja, {controller} behandlar personuppgifter om dig. Vi har sökt i alla våra system och "
        "hittat {records} i {systems}.",
        "Yes, {controller} processes personal data about you. We searched all our systems and "
        "found {records} in {systems}.",
        "Ja, {controller} behandler personoplysninger om dig. Vi har søgt i alle vores systemer "
        "og fundet {records} i {systems}.",
    ),
    "doc.nothing": (
        "Vi har sökt i alla våra system med de uppgifter du gav oss och hittade inga "
        "personuppgifter om dig.",
        "We searched all our systems with the details you gave us and found no personal data "
        "about you.",
        "Vi har søgt i alle vores systemer med de oplysninger, du gav os, og fandt ingen "
        "personoplysninger om dig.",
    ),
    "doc.where": ("Var dina uppgifter finns", "Where your data is", "Hvor dine oplysninger findes"),
    "doc.system": ("System", "System", "System"),
    "doc.what": ("Vad vi har", "What we hold", "Hvad vi har"),
    "doc.kinds": ("Slags uppgifter", "Kinds of data", "Typer af oplysninger"),
    "doc.fact_transfers": (
        "En del uppgifter förs över till länder {outside}: {countries}. Hur de skyddas "
        "står vid respektive register nedan.",
        "Some data is transferred to countries {outside}: {countries}. How it is "
        "protected is set out under each register below.",
        "Nogle oplysninger overføres til lande {outside}: {countries}. Hvordan de "
        "beskyttes, fremgår under hvert register nedenfor.",
    ),
    "doc.fact_holds": (
        "En del uppgifter måste vi enligt lag spara under en viss tid: {holds}.",
        "Some data we must keep for a set time by law: {holds}.",
        "Nogle oplysninger skal vi efter loven opbevare i en bestemt periode: {holds}.",
    ),
    "doc.fact_recipients": (
        "Uppgifterna lämnas ut till {n} mottagare, till exempel {names}.",
        "The data is disclosed to {n} recipients, for example {names}.",
        "Oplysningerne videregives til {n} modtagere, f.eks. {names}.",
    ),
    "doc.fact_recipients.1": (
        "Uppgifterna lämnas ut till en mottagare: {names}.",
        "The data is disclosed to one recipient: {names}.",
        "Oplysningerne videregives til én modtager: {names}.",
    ),
    "doc.fact_automated": (
        "Vi fattar beslut om dig som enbart grundas på automatiserad behandling. Läs mer under "
        "”Automatiserade beslut”.",
        "We make decisions about you based solely on automated processing. See ‘Automated "
        "decision-making’.",
        "Vi træffer afgørelser om dig, der alene er baseret på automatisk behandling. Læs mere "
        "under »Automatiske afgørelser«.",
    ),
    "doc.fact_contact": (
        "Vill du ändra något eller har du frågor? Kontakta oss på {contact}.",
        "Want something changed, or have a question? Contact us at {contact}.",
        "Vil du have noget ændret, eller har du spørgsmål? Kontakt os på {contact}.",
    ),
    "doc.details": (
        "Dina uppgifter i detalj",
        "Your data in detail",
        "Dine oplysninger i detaljer",
    ),
    "doc.details_intro": (
        "Här är alla uppgifter vi har om dig, system för system. Vid varje register står "
        "varför vi har uppgifterna, vilka som får ta del av dem, hur länge vi sparar dem och "
        "varifrån de kommer.",
        "Here is all the data we hold about you, system by system. Each register says why we "
        "have the data, who receives it, how long we keep it and where it comes from.",
        "Her er alle de oplysninger, vi har om dig, system for system. Ved hvert register står "
        "der, hvorfor vi har oplysningerne, hvem der modtager dem, hvor længe vi opbevarer dem, "
        "og hvor de kommer fra.",
    ),
    "doc.stored_in": ("Lagras i {country}.", "Stored in {country}.", "Opbevares i {country}."),
    "doc.purposes": (
        "Varför vi har uppgifterna",
        "Why we have the data",
        "Hvorfor vi har oplysningerne",
    ),
    "doc.legal_basis": ("Rättslig grund", "Legal basis", "Retsgrundlag"),
    "doc.interest": (
        "Vårt berättigade intresse",
        "Our legitimate interest",
        "Vores legitime interesse",
    ),
    "doc.law": ("Lag", "Law", "Lov"),
    "doc.withdraw_short": (
        "Du kan när som helst ta tillbaka ditt samtycke.",
        "You can withdraw your consent at any time.",
        "Du kan til enhver tid trække dit samtykke tilbage.",
    ),
    "doc.automated_short": ("Automatiserat beslut", "Automated decision", "Automatisk afgørelse"),
    "doc.categories": ("Vilka slags uppgifter", "What kinds of data", "Hvilke typer oplysninger"),
    "doc.recipients": ("Vilka som får ta del av dem", "Who receives it", "Hvem der modtager dem"),
    "doc.recipients_heading": (
        "Vilka som får ta del av dina uppgifter",
        "Who receives your data",
        "Hvem der modtager dine oplysninger",
    ),
    "doc.recipients_intro": (
        "Här är alla som får ta del av uppgifterna i registren ovan: vad de gör, var de "
        "finns och hur uppgifterna skyddas när de förs över till ett land {outside}.",
        "These are all the recipients of the data in the registers above: what they do, "
        "where they are, and how the data is protected when it goes to a country {outside}.",
        "Her er alle, der modtager oplysningerne i registrene ovenfor: hvad de gør, hvor de "
        "befinder sig, og hvordan oplysningerne beskyttes, når de overføres til et land "
        "{outside}.",
    ),
    "doc.no_recipients": (
        "Uppgifterna lämnas inte ut till någon annan.",
        "This data is not disclosed to anyone else.",
        "Oplysningerne videregives ikke til andre.",
    ),
    "doc.retention": (
        "Hur länge vi sparar dem",
        "How long we keep it",
        "Hvor længe vi opbevarer dem",
    ),
    "doc.source": ("Varifrån de kommer", "Where it comes from", "Hvor de kommer fra"),
    "doc.your_records": ("Uppgifterna", "The data", "Oplysningerne"),
    "doc.record_n": ("Post {i} av {n}", "Record {i} of {n}", "Registrering {i} af {n}"),
    "doc.undeclared": ("ej dokumenterad", "not documented", "ikke dokumenteret"),
    "doc.shared": (
        "Uppgifter som du delar med andra",
        "Data you share with others",
        "Oplysninger, du deler med andre",
    ),
    "doc.shared_intro": (
        "De här uppgifterna hör inte bara till dig. De gäller till exempel företaget du arbetar "
        "på, och flera personer är kopplade till dem. Vi visar dem för att du ska se helheten.",
        "This data is not yours alone. It concerns, for example, the company you work for, "
        "and several people are linked to it. We show it so that you can see the whole "
        "picture.",
        "Disse oplysninger er ikke kun dine. De vedrører f.eks. den virksomhed, du arbejder "
        "for, og flere personer er knyttet til dem. Vi viser dem, så du kan se det samlede "
        "billede.",
    ),
    "doc.automated": (
        "Automatiserade beslut",
        "Automated decision-making",
        "Automatiske afgørelser",
    ),
    "doc.automated_intro": (
        "Vi fattar beslut om dig som enbart grundas på automatiserad behandling. Här beskriver "
        "vi logiken bakom besluten, vilken betydelse de har och vilka följder de kan få för dig.",
        "We make decisions about you based solely on automated processing. Here we describe "
        "the logic involved, and the significance and likely consequences for you.",
        "Vi træffer afgørelser om dig, der alene er baseret på automatisk behandling. Her "
        "beskriver vi logikken bag dem, og hvilken betydning og hvilke konsekvenser de kan få "
        "for dig.",
    ),
    "doc.no_automated": (
        "Vi fattar inga beslut om dig som enbart grundas på automatiserad behandling, "
        "inklusive profilering.",
        "We make no decisions about you based solely on automated processing, including profiling.",
        "Vi træffer ingen afgørelser om dig, der alene er baseret på automatisk behandling, "
        "herunder profilering.",
    ),
    "doc.rights": ("Dina rättigheter", "Your rights", "Dine rettigheder"),
    "doc.rights_intro": (
        "Du har följande rättigheter. Det kostar ingenting att använda dem.",
        "You have the following rights. Using them costs you nothing.",
        "Du har følgende rettigheder. Det er gratis at bruge dem.",
    ),
    "right.access": ("Rätt till tillgång", "Right of access", "Ret til indsigt"),
    "right.access.text": (
        "Det här utdraget är vårt svar på din begäran om att få veta vilka personuppgifter vi "
        "har om dig.",
        "This report is our answer to your request to know what personal data we hold about you.",
        "Denne oversigt er vores svar på din anmodning om at få at vide, hvilke "
        "personoplysninger vi har om dig.",
    ),
    "right.rectification": ("Rätt till rättelse", "Right to rectification", "Ret til berigtigelse"),
    "right.rectification.text": (
        "Är något fel eller ofullständigt kan du be oss rätta eller komplettera det.",
        "If anything is wrong or incomplete, you can ask us to correct or complete it.",
        "Hvis noget er forkert eller ufuldstændigt, kan du bede os om at rette eller supplere det.",
    ),
    "right.erasure": ("Rätt till radering", "Right to erasure", "Ret til sletning"),
    "right.erasure.text": (
        "Du kan be oss radera dina uppgifter, till exempel om de inte längre behövs för det "
        "ändamål de samlades in för eller om du tar tillbaka ditt samtycke.",
        "You can ask us to erase your data, for example if it is no longer needed for the "
        "purpose it was collected for, or if you withdraw your consent.",
        "Du kan bede os om at slette dine oplysninger, f.eks. hvis de ikke længere er "
        "nødvendige til det formål, de blev indsamlet til, eller hvis du trækker dit samtykke "
        "tilbage.",
    ),
    "right.erasure.holds": (
        "Uppgifter som vi enligt lag måste spara ({holds}) raderar vi först när den tiden har "
        "gått ut.",
        "Data we must keep by law ({holds}) is erased only once that period has ended.",
        "Oplysninger, som vi efter loven skal opbevare ({holds}), sletter vi først, når den "
        "periode er udløbet.",
    ),
    "right.restriction": ("Rätt till begränsning", "Right to restriction", "Ret til begrænsning"),
    "right.restriction.text": (
        "Du kan be oss begränsa behandlingen, till exempel medan vi kontrollerar om en uppgift "
        "stämmer. Då sparar vi uppgifterna men använder dem inte till något annat.",
        "You can ask us to restrict processing, for example while we check whether some data "
        "is accurate. We then store the data but do not otherwise use it.",
        "Du kan bede os om at begrænse behandlingen, f.eks. mens vi undersøger, om en "
        "oplysning er korrekt. Så opbevarer vi oplysningerne, men bruger dem ikke til andet.",
    ),
    "right.portability": (
        "Rätt till dataportabilitet",
        "Right to data portability",
        "Ret til dataportabilitet",
    ),
    "right.portability.text": (
        "Uppgifter som du själv har lämnat och som vi behandlar med stöd av ditt samtycke "
        "eller ett avtal med dig kan du få i ett maskinläsbart format (JSON och CSV), så att du "
        "kan flytta dem till någon annan.",
        "You can receive the data you gave us, where we process it on the basis of your "
        "consent or a contract with you, in a machine-readable format (JSON and CSV), and take "
        "it to someone else.",
        "Oplysninger, som du selv har givet os, og som vi behandler på grundlag af dit "
        "samtykke eller en aftale med dig, kan du få udleveret i et maskinlæsbart format (JSON "
        "og CSV), så du kan tage dem med til en anden.",
    ),
    "right.withdraw": (
        "Rätt att ta tillbaka ditt samtycke",
        "Right to withdraw consent",
        "Ret til at trække dit samtykke tilbage",
    ),
    "right.withdraw.intro": (
        "Du har gett ditt samtycke till:",
        "You have given your consent to:",
        "Du har givet samtykke til:",
    ),
    "right.withdraw.text": (
        "Du kan när som helst ta tillbaka samtycket, lika enkelt som du gav det. Det påverkar "
        "inte lagligheten i den behandling som skett innan du tog tillbaka det.",
        "You can withdraw your consent at any time, as easily as you gave it. This does not "
        "affect the lawfulness of processing before you withdrew it.",
        "Du kan til enhver tid trække samtykket tilbage, lige så let som du gav det. Det "
        "påvirker ikke lovligheden af den behandling, der er sket, inden du trak det tilbage.",
    ),
    "right.object": ("Rätt att invända", "Right to object", "Ret til indsigelse"),
    "right.object.text": (
        "Se avsnittet ”Din rätt att invända” ovan.",
        "See ‘Your right to object’ above.",
        "Se afsnittet »Din ret til indsigelse« ovenfor.",
    ),
    "doc.terms": (
        "Ord som används i utdraget",
        "Terms used in this report",
        "Begreber i denne oversigt",
    ),
    "doc.object": ("Din rätt att invända", "Your right to object", "Din ret til indsigelse"),
    "object.interest_intro": (
        "Vi behandlar en del uppgifter om dig med stöd av en intresseavvägning, för de här "
        "ändamålen:",
        "We process some of your data on the basis of our legitimate interests, for these "
        "purposes:",
        "Vi behandler nogle af dine oplysninger på grundlag af en interesseafvejning til disse "
        "formål:",
    ),
    "object.interest": (
        "Du har rätt att när som helst invända mot det, av skäl som har att göra med din "
        "särskilda situation. Då måste vi sluta, om vi inte kan visa tvingande berättigade "
        "skäl som väger tyngre än dina intressen, rättigheter och friheter, eller om "
        "behandlingen behövs för att fastställa, göra gällande eller försvara rättsliga "
        "anspråk.",
        "You have the right to object to this at any time, on grounds relating to your "
        "particular situation. We must then stop, unless we can show compelling legitimate "
        "grounds that override your interests, rights and freedoms, or we need the data to "
        "establish, exercise or defend legal claims.",
        "Du har til enhver tid ret til at gøre indsigelse mod det af grunde, der vedrører din "
        "særlige situation. Så skal vi stoppe, medmindre vi kan påvise vægtige legitime "
        "grunde, der går forud for dine interesser, rettigheder og frihedsrettigheder, eller "
        "behandlingen er nødvendig, for at retskrav kan fastlægges, gøres gældende eller "
        "forsvares.",
    ),
    "object.marketing_intro": (
        "Vi använder dina uppgifter för direktmarknadsföring:",
        "We use your data for direct marketing:",
        "Vi bruger dine oplysninger til direkte markedsføring:",
    ),
    "object.marketing": (
        "Du har rätt att när som helst invända mot det, utan att ange något skäl. Gör du det "
        "slutar vi omedelbart.",
        "You have the right to object to this at any time, without giving a reason. If you "
        "do, we stop at once.",
        "Du har til enhver tid ret til at gøre indsigelse mod det uden at give en begrundelse. "
        "Gør du det, stopper vi straks.",
    ),
    "object.none": (
        "Vi behandlar inga uppgifter om dig med stöd av en intresseavvägning eller för "
        "direktmarknadsföring. Skulle vi börja göra det kan du när som helst invända.",
        "We do not process any of your data on the basis of legitimate interests or for "
        "direct marketing. Should we start to, you can object at any time.",
        "Vi behandler ingen af dine oplysninger på grundlag af en interesseafvejning eller til "
        "direkte markedsføring. Skulle vi begynde på det, kan du til enhver tid gøre "
        "indsigelse.",
    ),
    "object.how": (
        "Vill du invända räcker det att du skriver till oss på {contact}.",
        "To object, simply write to us at {contact}.",
        "Vil du gøre indsigelse, er det nok at skrive til os på {contact}.",
    ),
    "doc.how": (
        "Så använder du dina rättigheter",
        "How to use your rights",
        "Sådan bruger du dine rettigheder",
    ),
    "doc.how_text": (
        "Kontakta oss på något av sätten nedan och ange ärendenummer {id}. Vi svarar utan "
        "onödigt dröjsmål och senast inom en månad. Är ärendet särskilt komplicerat kan tiden "
        "förlängas med högst två månader. I så fall får du veta det, och varför, inom den "
        "första månaden.",
        "Contact us in any of the ways below and quote reference {id}. We will reply without "
        "undue delay and within one month at the latest. If your request is particularly "
        "complex, we may extend this by up to two further months; if so, we will tell you, "
        "and why, within the first month.",
        "Kontakt os på en af måderne nedenfor, og oplys sagsnummer {id}. Vi svarer uden "
        "unødig forsinkelse og senest inden for en måned. Er sagen særligt kompliceret, kan "
        "fristen forlænges med højst to måneder. I så fald får du besked om det, og om "
        "hvorfor, inden for den første måned.",
    ),
    "doc.email": ("E-post", "Email", "E-mail"),
    "doc.phone": ("Telefon", "Phone", "Telefon"),
    "doc.address": ("Postadress", "Postal address", "Postadresse"),
    "doc.website": ("Webbplats", "Website", "Hjemmeside"),
    "doc.org_number": ("Organisationsnummer", "Company number", "Registreringsnummer"),
    "doc.org_number.DK": ("CVR-nummer", "CVR number", "CVR-nummer"),
    "doc.complaint_form": ("Formulär för klagomål", "Complaint form", "Klageformular"),
    "doc.dpo": ("Dataskyddsombud", "Data protection officer", "Databeskyttelsesrådgiver"),
    "doc.privacy_contact": (
        "Kontakt för dataskyddsfrågor",
        "Privacy contact",
        "Kontakt om databeskyttelse",
    ),
    "doc.controller": ("Personuppgiftsansvarig", "Controller", "Dataansvarlig"),
    "doc.controller_heading": (
        "Vem som ansvarar för dina uppgifter",
        "Who is responsible for your data",
        "Hvem der er ansvarlig for dine oplysninger",
    ),
    "doc.controller_text": (
        "{controller} är personuppgiftsansvarig, det vill säga ansvarar för att dina uppgifter "
        "behandlas enligt lagen.",
        "{controller} is the controller: the organisation responsible for handling your data "
        "lawfully.",
        "{controller} er dataansvarlig, dvs. ansvarlig for, at dine oplysninger behandles lovligt.",
    ),
    "doc.complaint": (
        "Klagomål till tillsynsmyndigheten",
        "Complaining to the supervisory authority",
        "Klage til tilsynsmyndigheden",
    ),
    "doc.complaint_text": (
        "Om du är missnöjd med hur vi behandlar dina personuppgifter har du rätt att lämna in "
        "ett klagomål till {authority}. Du får gärna höra av dig till oss först, så försöker vi "
        "lösa det.",
        "If you are unhappy with how we handle your personal data, you have the right to "
        "complain to {authority}. You are welcome to contact us first, and we will try to put "
        "things right.",
        "Hvis du er utilfreds med den måde, vi behandler dine personoplysninger på, har du ret "
        "til at klage til {authority}. Du er også velkommen til at kontakte os først, så "
        "prøver vi at løse det.",
    ),
    "doc.authority_ref": ("{name}", "the {name}", "{name}"),
    "doc.ambiguous": (
        "En del uppgifter kan höra till en annan person. En handläggare går igenom dem innan "
        "de lämnas ut, och du får dem i så fall separat.",
        "Some records may belong to someone else. A member of staff will check them before "
        "they are released; if they are yours, you will receive them separately.",
        "Nogle oplysninger kan tilhøre en anden person. En medarbejder gennemgår dem, før de "
        "udleveres, og hvis de er dine, får du dem særskilt.",
    ),
    "doc.page": ("Sida", "Page", "Side"),
    "doc.page_of": ("av", "of", "af"),
    "doc.contents_page": ("sidan", "page", "side"),
}

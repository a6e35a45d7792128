"""The words of breach notifications, in Swedish, English and Danish.

Each language uses its authority's own term: *personuppgiftsincident* (IMY),
*brud på persondatasikkerheden* (Datatilsynet), *personal data breach* (ICO).
The message to the people affected is written to be read by anyone: short
sentences, no article numbers, what happened, what it means, what to do.
"""

from __future__ import annotations

from typing import Any

LANGS = ("sv", "en", "da")

# key -> (sv, en, da)
TEXTS: dict[str, tuple[str, str, str]] = {
    # --- To the supervisory authority (Art. 33(3)) -----------------------------------
    "a.title": (
        "Anmälan av personuppgiftsincident till {authority}",
        "Personal data breach report to the {authority}",
        "Anmeldelse af brud på persondatasikkerheden til {authority}",
    ),
    "a.draft": (
        "Utkast från Skydd, {date}. Granska och komplettera innan anmälan lämnas till "
        "{short} ({url}).",
        "Draft from Skydd, {date}. Check and complete it before reporting to the {short} ({url}).",
        "Udkast fra Skydd, {date}. Gennemgå og supplér det, før anmeldelsen indgives til "
        "{short} ({url}).",
    ),
    "a.at": ("{date} kl. {time} {zone}", "{date}, {time} {zone}", "{date} kl. {time} {zone}"),
    "a.ref": ("Vår referens: {id}", "Our reference: {id}", "Vores reference: {id}"),
    "a.controller": ("Personuppgiftsansvarig", "Controller", "Dataansvarlig"),
    "a.contact": (
        "Kontaktpunkt eller dataskyddsombud (artikel 33.3 b)",
        "Contact point or data protection officer (Article 33(3)(b))",
        "Kontaktpunkt eller databeskyttelsesrådgiver (artikel 33, stk. 3, litra b)",
    ),
    "a.times": ("Tidpunkter", "Times", "Tidspunkter"),
    "a.occurred": ("Incidenten inträffade", "The breach happened", "Bruddet skete"),
    "a.aware": (
        "Vi fick kännedom om incidenten",
        "We became aware of the breach",
        "Vi fik kendskab til bruddet",
    ),
    "a.deadline": (
        "Anmälan senast (72 timmar efter att vi fick kännedom)",
        "Report due by (72 hours after we became aware)",
        "Anmeldelse senest (72 timer efter, at vi fik kendskab)",
    ),
    "a.notified": ("Anmälan lämnad", "Reported", "Anmeldt"),
    "a.late": (
        "Skäl till att anmälan lämnas senare än 72 timmar (artikel 33.1)",
        "Reasons for reporting later than 72 hours (Article 33(1))",
        "Begrundelse for, at anmeldelsen indgives senere end 72 timer (artikel 33, stk. 1)",
    ),
    "a.nature": (
        "Incidentens art (artikel 33.3 a)",
        "Nature of the breach (Article 33(3)(a))",
        "Bruddets karakter (artikel 33, stk. 3, litra a)",
    ),
    "a.subjects": (
        "Kategorier av registrerade och ungefärligt antal",
        "Categories and approximate number of data subjects",
        "Kategorier af registrerede og omtrentligt antal",
    ),
    "a.records": (
        "Kategorier av personuppgifter och ungefärligt antal poster",
        "Categories and approximate number of personal data records",
        "Kategorier af personoplysninger og omtrentligt antal registreringer",
    ),
    "a.about": ("cirka {n}", "about {n}", "ca. {n}"),
    "a.consequences": (
        "Sannolika konsekvenser (artikel 33.3 c)",
        "Likely consequences (Article 33(3)(c))",
        "Sandsynlige konsekvenser (artikel 33, stk. 3, litra c)",
    ),
    "a.measures": (
        "Åtgärder som vidtagits eller föreslagits, även för att mildra de negativa effekterna "
        "(artikel 33.3 d)",
        "Measures taken or proposed, including to mitigate possible adverse effects "
        "(Article 33(3)(d))",
        "Foranstaltninger, der er truffet eller foreslås, også for at begrænse de mulige "
        "skadevirkninger (artikel 33, stk. 3, litra d)",
    ),
    "a.taken": ("Vidtagna", "Taken", "Truffet"),
    "a.proposed": ("Planerade", "Proposed", "Foreslået"),
    "a.people": (
        "Information till de registrerade (artikel 34)",
        "Telling the data subjects (Article 34)",
        "Underretning af de registrerede (artikel 34)",
    ),
    "a.people.yes": (
        "De registrerade informeras utan onödigt dröjsmål.",
        "The data subjects are told without undue delay.",
        "De registrerede underrettes uden unødig forsinkelse.",
    ),
    "a.people.done": (
        "De registrerade informerades {date}.",
        "The data subjects were told on {date}.",
        "De registrerede blev underrettet den {date}.",
    ),
    "a.people.no": (
        "De registrerade informeras inte: {reason}",
        "The data subjects are not told: {reason}",
        "De registrerede underrettes ikke: {reason}",
    ),
    "a.people.open": (
        "Beslut om information till de registrerade är ännu inte fattat.",
        "Whether to tell the data subjects is not yet decided.",
        "Der er endnu ikke truffet beslutning om underretning af de registrerede.",
    ),
    "a.exception.encrypted": (
        "uppgifterna var skyddade, t.ex. krypterade, så att de är obegripliga för obehöriga "
        "(artikel 34.3 a)",
        "the data was protected, e.g. encrypted, so that it is unintelligible to anyone not "
        "authorised (Article 34(3)(a))",
        "oplysningerne var beskyttet, f.eks. krypteret, så de er uforståelige for "
        "uvedkommende (artikel 34, stk. 3, litra a)",
    ),
    "a.exception.mitigated": (
        "åtgärder i efterhand gör att den höga risken sannolikt inte längre uppstår "
        "(artikel 34.3 b)",
        "later measures ensure that the high risk is no longer likely to materialise "
        "(Article 34(3)(b))",
        "efterfølgende foranstaltninger sikrer, at den høje risiko sandsynligvis ikke længere "
        "opstår (artikel 34, stk. 3, litra b)",
    ),
    "a.exception.disproportionate": (
        "det skulle kräva oproportionerligt stor ansträngning; ett offentligt meddelande "
        "lämnas i stället (artikel 34.3 c)",
        "it would involve disproportionate effort; a public communication is made instead "
        "(Article 34(3)(c))",
        "det ville kræve en uforholdsmæssig stor indsats; der gives i stedet en offentlig "
        "meddelelse (artikel 34, stk. 3, litra c)",
    ),
    "a.phased": (
        "Uppgifter som lämnas senare (artikel 33.4)",
        "Information to follow (Article 33(4))",
        "Oplysninger, der gives senere (artikel 33, stk. 4)",
    ),
    "a.phased.text": (
        "Alla uppgifter finns inte ännu. Vi kompletterar anmälan så snart vi har dem: {items}.",
        "Not all information is available yet. We will complete this report as soon as we "
        "have it: {items}.",
        "Ikke alle oplysninger foreligger endnu. Vi supplerer anmeldelsen, så snart vi har "
        "dem: {items}.",
    ),
    "a.risk": ("Riskbedömning", "Risk assessment", "Risikovurdering"),
    "risk.unlikely": (
        "Incidenten medför sannolikt ingen risk för de registrerades rättigheter och friheter.",
        "The breach is unlikely to result in a risk to the rights and freedoms of individuals.",
        "Bruddet indebærer sandsynligvis ikke en risiko for de registreredes rettigheder og "
        "frihedsrettigheder.",
    ),
    "risk.risk": (
        "Incidenten kan medföra en risk för de registrerades rättigheter och friheter.",
        "The breach may result in a risk to the rights and freedoms of individuals.",
        "Bruddet kan indebære en risiko for de registreredes rettigheder og frihedsrettigheder.",
    ),
    "risk.high": (
        "Incidenten medför sannolikt en hög risk för de registrerades rättigheter och friheter.",
        "The breach is likely to result in a high risk to the rights and freedoms of individuals.",
        "Bruddet indebærer sandsynligvis en høj risiko for de registreredes rettigheder og "
        "frihedsrettigheder.",
    ),
    "missing": (
        "[saknas – lämnas senare]",
        "[not yet known – to follow]",
        "[mangler – gives senere]",
    ),
    # --- To the people affected (Art. 34(2)) -----------------------------------------
    "p.subject": (
        "Information om en personuppgiftsincident som berör dig",
        "Important information about your personal data",
        "Vigtig information om dine personoplysninger",
    ),
    "p.hello": ("Hej,", "Hello,", "Hej"),
    "p.intro": (
        "Vi på {controller} vill berätta att vi har haft en säkerhetsincident som berör "
        "dina personuppgifter. Vi upptäckte den {date}.",
        "We are writing to tell you about a security incident at {controller} that involves "
        "your personal data. We found out about it on {date}.",
        "Vi skriver til dig, fordi vi hos {controller} har haft en sikkerhedshændelse, der "
        "vedrører dine personoplysninger. Vi opdagede den {date}.",
    ),
    "p.what": ("Vad har hänt?", "What happened?", "Hvad er der sket?"),
    "p.which": (
        "Vilka uppgifter om dig gäller det?",
        "What information about you is involved?",
        "Hvilke oplysninger om dig drejer det sig om?",
    ),
    "p.means": (
        "Vad kan det innebära för dig?",
        "What could this mean for you?",
        "Hvad kan det betyde for dig?",
    ),
    "p.done": ("Vad har vi gjort?", "What have we done?", "Hvad har vi gjort?"),
    "p.can": ("Vad kan du göra?", "What can you do?", "Hvad kan du gøre?"),
    "p.can.default": (
        "Var extra uppmärksam på e-post, sms och samtal som ber om dina uppgifter eller "
        "lösenord, även om de verkar komma från oss. Vi ber aldrig om ditt lösenord.",
        "Be extra careful with emails, text messages and calls that ask for your details or "
        "passwords, even if they seem to come from us. We will never ask for your password.",
        "Vær ekstra opmærksom på e-mails, sms'er og opkald, der beder om dine oplysninger "
        "eller adgangskoder, også selvom de ser ud til at komme fra os. Vi beder aldrig om "
        "din adgangskode.",
    ),
    "p.questions": ("Har du frågor?", "Questions?", "Har du spørgsmål?"),
    "p.contact": (
        "Kontakta oss: {contact}.",
        "Please contact us: {contact}.",
        "Kontakt os: {contact}.",
    ),
    "p.complain": (
        "Du har också rätt att lämna klagomål till {authority}, {url}.",
        "You also have the right to complain to the {authority}, {url}.",
        "Du har også ret til at klage til {authority}, {url}.",
    ),
    "p.sorry": (
        "Vi ber om ursäkt för det som har hänt.",
        "We are sorry that this has happened.",
        "Vi beklager det, der er sket.",
    ),
    "p.regards": ("Vänliga hälsningar", "Yours sincerely", "Med venlig hilsen"),
}


def tr(lang: str, key: str, **values: Any) -> str:
    text = TEXTS[key][LANGS.index(lang)]
    return text.format(**values) if values else text

"""What a data subject reads on the web pages and in the mails, in Swedish, English and Danish.

One catalogue, so a test can prove every text exists in every language with the
same placeholders. Written as each country writes to the public (IMY, the ICO,
Datatilsynet), not translated word for word.
"""

from __future__ import annotations

from collections.abc import Callable

from skydd.datamap.models import LANGS

# key → (sv, en, da)
TEXTS: dict[str, tuple[str, str, str]] = {
    "lang.name": ("Svenska", "English", "Dansk"),
    "site.title": (
        "Dina personuppgifter hos {controller}",
        "Your personal data at {controller}",
        "Dine personoplysninger hos {controller}",
    ),
    "form.heading": (
        "Gör en begäran om dina personuppgifter",
        "Make a request about your personal data",
        "Send en anmodning om dine personoplysninger",
    ),
    "form.intro": (
        "Du kan be oss om en kopia av dina uppgifter, att rätta eller radera dem, eller att "
        "sluta använda dem. Vi svarar inom en månad. Först skickar vi en kod till din "
        "e-postadress, så att vi vet att adressen är din.",
        "You can ask us for a copy of your data, to correct or erase it, or to stop using it. "
        "We reply within one month. First we send a code to your email address, so that we "
        "know the address is yours.",
        "Du kan bede os om en kopi af dine oplysninger, om at rette eller slette dem eller om "
        "at holde op med at bruge dem. Vi svarer inden for en måned. Først sender vi en kode "
        "til din e-mailadresse, så vi ved, at adressen er din.",
    ),
    "form.kind": (
        "Vad vill du göra?",
        "What would you like to do?",
        "Hvad drejer din anmodning sig om?",
    ),
    "kind.access": (
        "Få veta vilka uppgifter ni har om mig (registerutdrag)",
        "See the data you hold about me (subject access)",
        "Indsigt i de oplysninger, I har om mig",
    ),
    "kind.export": (
        "Få mina uppgifter i ett maskinläsbart format (dataportabilitet)",
        "Get my data in a machine-readable format (data portability)",
        "Mine oplysninger i et maskinlæsbart format (dataportabilitet)",
    ),
    "kind.erase": (
        "Radera mina uppgifter",
        "Erase my data",
        "Sletning af mine oplysninger",
    ),
    "kind.rectify": (
        "Rätta felaktiga uppgifter",
        "Correct inaccurate data",
        "Rettelse af forkerte oplysninger",
    ),
    "kind.restrict": (
        "Begränsa hur ni använder mina uppgifter",
        "Restrict how you use my data",
        "Begrænsning af, hvordan I bruger mine oplysninger",
    ),
    "kind.object": (
        "Invända mot att ni använder mina uppgifter (till exempel för marknadsföring)",
        "Object to how you use my data (for example for marketing)",
        "Indsigelse mod, at I bruger mine oplysninger (for eksempel til markedsføring)",
    ),
    "kind.withdraw": (
        "Ta tillbaka ett samtycke jag har gett",
        "Withdraw consent I have given",
        "Tilbagetrækning af et samtykke, jeg har givet",
    ),
    "form.email": ("Din e-postadress", "Your email address", "Din e-mailadresse"),
    "form.email.help": (
        "Vi skickar koden hit och svarar hit.",
        "We send the code here and reply here.",
        "Vi sender koden hertil og svarer hertil.",
    ),
    "form.others": (
        "Andra uppgifter vi kan känna igen dig på (frivilligt)",
        "Other details we may know you by (optional)",
        "Andre oplysninger, vi kan kende dig på (frivilligt)",
    ),
    "form.phone": ("Telefonnummer", "Phone number", "Telefonnummer"),
    "form.personnummer": (
        "Personnummer",
        "Swedish personal identity number (personnummer)",
        "Svensk personnummer",
    ),
    "form.cpr": ("Danskt personnummer (CPR-nummer)", "Danish CPR number", "CPR-nummer"),
    "form.others.help": (
        "Vi använder dem bara om de hör till samma person som e-postadressen.",
        "We use them only if they belong to the same person as the email address.",
        "Vi bruger dem kun, hvis de hører til samme person som e-mailadressen.",
    ),
    "form.lang": (
        "Vilket språk vill du ha svaret på?",
        "Which language would you like our reply in?",
        "Hvilket sprog vil du have svaret på?",
    ),
    "form.submit": ("Skicka", "Send", "Send"),
    "form.invalid": (
        "Kontrollera uppgifterna och försök igen.",
        "Please check what you entered and try again.",
        "Kontrollér oplysningerne, og prøv igen.",
    ),
    "form.expired": (
        "Sidan var för gammal. Fyll i formuläret igen.",
        "The page had expired. Please fill in the form again.",
        "Siden var udløbet. Udfyld formularen igen.",
    ),
    "sent.heading": ("Titta i din e-post", "Check your email", "Se i din indbakke"),
    "sent.body": (
        "Om adressen är riktig har vi skickat en kod och en länk dit. Skriv in koden nedan "
        "eller klicka på länken i mejlet. Koden gäller i {minutes} minuter.",
        "If the address is right, we have sent a code and a link to it. Enter the code below "
        "or click the link in the email. The code is valid for {minutes} minutes.",
        "Hvis adressen er rigtig, har vi sendt en kode og et link dertil. Skriv koden "
        "herunder, eller klik på linket i mailen. Koden gælder i {minutes} minutter.",
    ),
    "verify.code": ("Kod (sex siffror)", "Code (six digits)", "Kode (seks cifre)"),
    "verify.submit": ("Bekräfta", "Confirm", "Bekræft"),
    "verify.wrong": (
        "Koden stämmer inte. Du har {left} försök kvar.",
        "That code is not right. You have {left} attempts left.",
        "Koden passer ikke. Du har {left} forsøg tilbage.",
    ),
    "verify.spent": (
        "Koden har gått ut eller använts för många gånger. Skicka in din begäran igen.",
        "The code has expired or been tried too many times. Please send your request again.",
        "Koden er udløbet eller prøvet for mange gange. Send din anmodning igen.",
    ),
    "verify.done": (
        "Tack! Din e-postadress är bekräftad och vi har börjat med din begäran.",
        "Thank you. Your email address is confirmed and we have started on your request.",
        "Tak! Din e-mailadresse er bekræftet, og vi er gået i gang med din anmodning.",
    ),
    "status.heading": ("Din begäran", "Your request", "Din anmodning"),
    "status.reference": ("Ärendenummer", "Reference", "Sagsnummer"),
    "status.state": ("Läge", "Status", "Status"),
    "status.received": ("Mottagen", "Received", "Modtaget"),
    "status.kind": ("Gäller", "Request", "Vedrører"),
    "status.deadline": ("Svar senast", "Reply due by", "Svar senest"),
    "status.bookmark": (
        "Spara adressen till den här sidan om du vill följa ärendet.",
        "Keep the address of this page if you would like to follow your request.",
        "Gem adressen på denne side, hvis du vil følge sagen.",
    ),
    "state.received": (
        "Väntar på att du bekräftar din e-postadress",
        "Waiting for you to confirm your email address",
        "Venter på, at du bekræfter din e-mailadresse",
    ),
    "state.verified": (
        "E-postadressen är bekräftad, vi arbetar med din begäran",
        "Email address confirmed; we are working on your request",
        "E-mailadressen er bekræftet; vi arbejder på din anmodning",
    ),
    "state.in_progress": ("Vi arbetar med din begäran", "In progress", "Under behandling"),
    "state.extended": (
        "Vi behöver längre tid; vi har skrivit till dig om varför",
        "We need more time; we have written to you to explain why",
        "Vi har brug for mere tid; vi har skrevet til dig om hvorfor",
    ),
    "state.done": ("Klar", "Completed", "Afsluttet"),
    "state.refused": (
        "Avslagen; vi har skrivit till dig om skälen",
        "Refused; we have written to you with the reasons",
        "Afvist; vi har skrevet til dig med begrundelsen",
    ),
    "download.heading": ("Hämta ditt svar", "Download your reply", "Hent dit svar"),
    "download.gone": (
        "Länken har gått ut. Kontakta oss om du behöver svaret igen.",
        "This link has expired. Please contact us if you need the reply again.",
        "Linket er udløbet. Kontakt os, hvis du har brug for svaret igen.",
    ),
    "error.heading": ("Något gick fel", "Something went wrong", "Noget gik galt"),
    "error.not_found": (
        "Sidan finns inte, eller länken har gått ut.",
        "This page does not exist, or the link has expired.",
        "Siden findes ikke, eller linket er udløbet.",
    ),
    "error.rate": (
        "Du har skickat för många förfrågningar. Vänta en stund och försök igen.",
        "You have sent too many requests. Please wait a moment and try again.",
        "Du har sendt for mange anmodninger. Vent lidt, og prøv igen.",
    ),
    "error.server": (
        "Ett fel uppstod hos oss. Försök igen senare.",
        "Something went wrong on our side. Please try again later.",
        "Der opstod en fejl hos os. Prøv igen senere.",
    ),
    "footer.contact": (
        "Frågor? Skriv till {email}.",
        "Questions? Write to {email}.",
        "Spørgsmål? Skriv til {email}.",
    ),
    "mail.code.subject": (
        "Din kod: {code}",
        "Your code: {code}",
        "Din kode: {code}",
    ),
    "mail.code.body": (
        "Hej!\n\nNågon, förhoppningsvis du, har skickat en begäran om personuppgifter till "
        "{controller} med den här e-postadressen.\n\nDin kod är {code}. Den gäller i {minutes} "
        "minuter. Du kan också bekräfta med den här länken:\n{link}\n\nÄrendenummer: {reference}\n"
        "Följ ärendet här: {status}\n\nHar du inte skickat någon begäran kan du bortse från "
        "det här mejlet.\n\nVänliga hälsningar\n{controller}\n",
        "Hello,\n\nSomeone, we hope you, has sent a request about personal data to {controller} "
        "using this email address.\n\nYour code is {code}. It is valid for {minutes} minutes. "
        "You can also confirm with this link:\n{link}\n\nReference: {reference}\nFollow your "
        "request here: {status}\n\nIf you did not send a request, you can ignore this email.\n\n"
        "Kind regards,\n{controller}\n",
        "Hej\n\nNogen, forhåbentlig dig, har sendt en anmodning om personoplysninger til "
        "{controller} med denne e-mailadresse.\n\nDin kode er {code}. Den gælder i {minutes} "
        "minutter. Du kan også bekræfte med dette link:\n{link}\n\nSagsnummer: {reference}\n"
        "Følg sagen her: {status}\n\nHar du ikke sendt en anmodning, kan du se bort fra denne "
        "mail.\n\nVenlig hilsen\n{controller}\n",
    ),
    "mail.ready.subject": (
        "Ditt svar från {controller}",
        "Your reply from {controller}",
        "Dit svar fra {controller}",
    ),
    "mail.ready.body": (
        "Hej!\n\nSvaret på din begäran ({reference}) är klart. Hämta det här:\n{link}\n\n"
        "Länken gäller till och med {until}. Därefter raderar vi filen hos oss.\n\n"
        "Vänliga hälsningar\n{controller}\n",
        "Hello,\n\nThe reply to your request ({reference}) is ready. Download it here:\n{link}\n\n"
        "The link works until {until}. After that we delete the file.\n\n"
        "Kind regards,\n{controller}\n",
        "Hej\n\nSvaret på din anmodning ({reference}) er klar. Hent det her:\n{link}\n\n"
        "Linket virker til og med {until}. Derefter sletter vi filen.\n\n"
        "Venlig hilsen\n{controller}\n",
    ),
    "login.heading": ("Logga in som personal", "Staff sign-in", "Log ind som medarbejder"),
    "login.token": ("Din åtkomsttoken", "Your access token", "Dit adgangstoken"),
    "login.submit": ("Logga in", "Sign in", "Log ind"),
    "login.wrong": (
        "Token gäller inte.",
        "That token is not valid.",
        "Tokenet er ikke gyldigt.",
    ),
    "login.done": (
        "Du är inloggad som {name}.",
        "You are signed in as {name}.",
        "Du er logget ind som {name}.",
    ),
    "login.logout": ("Logga ut", "Sign out", "Log ud"),
}


def lookup(lang: str) -> Callable[..., str]:
    """A ``t(key, **values)`` for one language; an unknown language falls back to English."""
    index = LANGS.index(lang) if lang in LANGS else 1

    def t(key: str, **values: object) -> str:
        text = TEXTS[key][index]
        return text.format(**values) if values else text

    return t

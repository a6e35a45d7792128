"""Each company's Swedish notice covers every topic its seed policy covers, with the content.

One test per company. Each topic is named by its promise id (shared/PROMISES.md) and
checked for its concrete content: AX-1's seven years and end of year, AS-6's cookie
names and lifetimes, EN-8's _ga/_gat/_gid. The seed policies are the hand-written
versions of these notices; the generated one must say at least what they said, and say
it as the map enforces it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from skydd.notice.phrases import t

MD = Callable[[str, str], str]


def _flat(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _section(text: str, heading: str) -> str:
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    found = {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    assert heading in found, f"no section '{heading}' in {list(found)}"
    return found[heading]


def _purpose(text: str, label: str) -> str:
    parts = re.split(r"^### (.+)$", text, flags=re.MULTILINE)
    found = {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    assert label in found, f"no purpose '{label}'"
    return found[label]


def _row(text: str, name: str) -> list[str]:
    """The cells of the Markdown table row whose first cell holds ``name``."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("|") and name in cells[0]:
            return cells
    raise AssertionError(f"no table row for {name}")


def test_axsensor_notice_covers_ax_1_to_ax_12(md: MD) -> None:
    sv = _flat(md("axsensor", "sv"))
    why = _section(sv, t("sv", "n.h.purposes"))
    order = _purpose(
        why, "Leverera beställda produkter och tjänster, hantera garanti och betalning"
    )
    # AX-1 seven years after the last contact, deleted at the end of that year
    assert (
        "Kontaktpersoner, order och orderrader: sju år efter den senaste kontakten, "
        "raderas vid årets slut." in order
    )
    # AX-2 financial transactions kept under the Bookkeeping Act, counted per year
    holds = _section(sv, t("sv", "n.h.holds"))
    assert (
        "Fakturor och betalningar: sju år efter räkenskapsårets slut, till och med utgången av "
        "det kalenderåret (Bokföringslagen (1999:1078) 7 kap. 2 §)." in holds
    )
    # AX-3 a cloud account with no traffic for seven years is deleted with all its data
    assert (
        "Tjänstekonton, användare, kundens AXsensorer och trafikmetadata: sju år efter den "
        "senaste trafiken, raderas sedan." in why
    )
    # AX-4 CRM data kept seven years from the latest activity
    crm = _purpose(why, "Kundrelationer, offerter och uppföljning (CRM)")
    assert "sju år efter den senaste kontakten, händelsens tidpunkt eller offertdatumet" in crm
    # AX-5 support cases anonymised seven years after the last contact
    support = _purpose(why, "Teknisk support")
    assert "Supportärenden och meddelanden i ärenden: sju år efter den senaste kontakten, " in (
        support
    )
    assert "anonymiseras sedan, så att de inte längre kan kopplas till dig" in support
    # AX-6 web server logs six months
    assert "Åtkomstlogg: sex månader efter tidpunkten för besöket, raderas sedan." in why
    # AX-7 no advertising cookies; the session cookie is necessary
    cookies = _section(sv, t("sv", "n.h.cookies"))
    assert t("sv", "n.cookies_necessary_only") in cookies
    assert t("sv", "n.cookie.marketing") not in cookies
    assert _row(cookies, "ASP.NET_SessionId")[-1] == "tills du stänger webbläsaren"
    assert _row(cookies, "cookieconsent_status")[-1] == "1 år"
    # AX-8 carriers get address and contact details, distributors contact details; never sold
    recipients = _section(sv, t("sv", "doc.recipients_heading"))
    assert re.search(r"\badress\b", _row(recipients, "PostNord")[3])
    assert not re.search(r"\badress\b", _row(recipients, "Avtalade AXsensor-distributörer")[3])
    assert "Vi säljer aldrig dina uppgifter till någon tredje part." in recipients
    # AX-9 processors act on instructions only
    assert _row(recipients, "Microsoft Ireland")[1] == "Personuppgiftsbiträde"
    assert "får bara använda dem enligt våra instruktioner" in recipients
    # AX-10 transfers only under adequacy or standard contractual clauses
    transfers = _section(sv, t("sv", "n.h.transfers", outside="utanför EU/EES"))
    assert "Microsoft Corporation (USA).** Överföringen sker med stöd av " in transfers
    assert "EU-kommissionens standardavtalsklausuler (modul 3)" in transfers
    assert "ett beslut om adekvat skyddsnivå (artikel 45)" in transfers
    # AX-11 rights, withdrawal without effect on earlier processing, identity, one month
    rights = _section(sv, t("sv", "doc.rights"))
    for right in ("Rätt till tillgång", "Rätt till rättelse", "Rätt till radering",
                  "Rätt till dataportabilitet", "Rätt att ta tillbaka ditt samtycke"):  # fmt: skip
        assert right in rights
    assert "Det påverkar inte lagligheten i den behandling som skett innan" in rights
    assert "senast inom en månad" in rights and "styrka din identitet" in rights
    # AX-12 only authorised employees
    security = _section(sv, t("sv", "n.h.security"))
    assert "Endast behöriga anställda som behöver uppgifterna" in security
    # SE-2: the authority by its current name, never the one the policy still gives
    complaint = _section(sv, t("sv", "doc.complaint"))
    assert "Integritetsskyddsmyndigheten (IMY)" in complaint
    assert "datainspektionen" not in sv.lower()


def test_entrack_notice_covers_en_1_to_en_8(md: MD) -> None:
    sv = _flat(md("entrack", "sv"))
    data = _section(sv, t("sv", "n.h.data"))
    # EN-1 what is collected, and the credit report's source (Art. 14)
    customer = _purpose(data, "Kund")
    for word in ("personnummer", "organisationsnummer", "adress", "e-postadress",
                 "telefonnummer", "fakturauppgifter", "bankkontouppgifter",
                 "bankgironummer", "plusgironummer", "kreditupplysning", "IP-adress"):  # fmt: skip
        assert word in customer, word
    visitor = _purpose(data, "Besökare på webbplatsen")
    for word in ("webbhistorik", "enhetsuppgifter", "ungefärlig position"):
        assert word in visitor, word
    assert "Kreditupplysning från UC AB" in customer
    # EN-2 suppliers, authorities (police, tax, anti-money-laundering), a buyer; never sold
    recipients = _section(sv, t("sv", "doc.recipients_heading"))
    for name in ("Skatteverket", "Polismyndigheten, Finanspolisen", "Schenker AB",
                 "Potentiell köpare eller säljare av verksamheten"):  # fmt: skip
        assert _row(recipients, name)
    assert "Entrack säljer inte dina personuppgifter till tredje part utan ditt samtycke." in (
        recipients
    )
    # EN-3 processing in the EEA; the one transfer rests on the DPF
    transfers = _section(sv, t("sv", "n.h.transfers", outside="utanför EU/EES"))
    assert "Google LLC (USA).** Överföringen sker med stöd av EU–US Data Privacy Framework" in (
        transfers
    )
    assert "Vi behandlar personuppgifter inom EU/EES." in transfers
    # EN-4 kept for the contract and as long as the law requires
    why = _section(sv, t("sv", "n.h.purposes"))
    assert "tre år efter den senaste kontakten, raderas vid årets slut" in why
    holds = _section(sv, t("sv", "n.h.holds"))
    assert "Fakturor och inbetalningar: sju år efter räkenskapsårets slut" in holds
    assert "fem år efter transaktionsdagen (Lag (2017:630) om åtgärder mot penningtvätt" in holds
    # EN-5 a copy is free every time, not "once a year"
    rights = _section(sv, t("sv", "doc.rights"))
    assert "Det kostar ingenting" in rights
    assert "en gång per år" not in sv
    # EN-6 data kept by law is blocked from every other use
    assert "Under den tiden är de spärrade" in holds
    # EN-7 opt out of all communication not needed for the contract
    objection = _section(sv, t("sv", "doc.object"))
    assert "avsäga dig all kommunikation som inte krävs för avtalet" in objection
    # EN-8 the six cookies, each with its lifetime in Swedish
    cookies = _section(sv, t("sv", "n.h.cookies"))
    lifetimes = {"_ga": "2 år", "_gid": "24 timmar", "_gat": "1 minut",
                 "has_js": "tills du stänger webbläsaren", "Drupal.toolbar.collapsed": "100 år",
                 "SSESS<hash>": "23 dagar"}  # fmt: skip
    for name, lifetime in lifetimes.items():
        assert _row(cookies, f"`{name}`")[-1] == lifetime, name
    assert "Att säga nej är lika enkelt som att säga ja." in cookies
    assert "Integritetsskyddsmyndigheten (IMY)" in _section(sv, t("sv", "doc.complaint"))


def test_astrak_notice_covers_as_1_to_as_10(md: MD) -> None:
    sv = _flat(md("astrak", "sv"))
    data = _section(sv, t("sv", "n.h.data"))
    # AS-1 what is collected; AS-2 card details never stored
    customer = _purpose(data, "Kundkontakt")
    for word in ("namn", "e-postadress", "telefonnummer", "organisation", "adress",
                 "produktintressen", "maskinpark"):  # fmt: skip
        assert word in customer, word
    assert "Dina kortuppgifter lagras inte någonstans hos oss" in data and "PCI-DSS" in data
    # AS-3 marketing only after a yes by phone; AS-5 channels unless opted out or on TPS/MPS
    objection = _section(sv, t("sv", "doc.object"))
    assert "bara om du har sagt ja när vi ringde dig först" in objection
    assert "per post, telefon, e-post eller sms" in objection
    assert "Telephone eller Mailing Preference Service" in objection
    # AS-4 Mailchimp receives the email address and nothing else; unsubscribe three ways
    recipients = _section(sv, t("sv", "doc.recipients_heading"))
    assert _row(recipients, "Mailchimp")[3] == "E-postadress"
    assert "länken i varje utskick" in objection and "sales@astrakgroup.com" in objection
    # AS-6 cookies with purpose, party and lifetime; non-essential only after consent
    cookies = _section(sv, t("sv", "n.h.cookies"))
    assert _row(cookies, "`F24_autoID`")[-1] == "6 månader"
    assert "raderas efter 6 månader om det inte kopplas till en person" in cookies
    assert _row(cookies, "`F24_personID`")[-1] == "10 år"
    assert _row(cookies, "Force24 tracking pixel") and _row(cookies, "Force24 link tracking")
    assert _row(cookies, "`_ga`")[1] == "Google (Google Analytics)"
    assert "Övriga använder vi bara om du har sagt ja till dem" in cookies
    # AS-7 the CRM is kept while the relationship lasts, with regular reviews
    why = _section(sv, t("sv", "n.h.purposes"))
    assert "gås sedan igenom, och det som inte längre behövs raderas" in why
    # AS-8 rights: objection to marketing and to legitimate interests, withdrawal, channel
    assert t("sv", "object.marketing") in objection and t("sv", "object.interest") in objection
    rights = _section(sv, t("sv", "doc.rights"))
    assert "Rätt att ta tillbaka ditt samtycke" in rights and "ändra hur vi når dig" in rights
    # AS-9 complaints to the ICO (or the person's own authority)
    complaint = _section(sv, t("sv", "doc.complaint"))
    assert "Information Commissioner's Office (ICO)" in complaint
    assert t("sv", "n.complaint_local") in complaint
    # AS-10 transfers outside the UK and the EEA only with safeguards
    transfers = _section(sv, t("sv", "n.h.transfers", outside="utanför Storbritannien och EES"))
    assert "tawk.to inc. (USA).** Överföringen sker med stöd av det brittiska tillägget" in (
        transfers
    )
    assert "UK GDPR" in why


def test_acte_notice_covers_ac_1_to_ac_7(md: MD) -> None:
    sv = _flat(md("acte", "sv"))
    why = _section(sv, t("sv", "n.h.purposes"))
    # AC-1 purposes: contracts, statistics and surveys, improvement, marketing, legal duties
    for label in ("Fullgöra avtal, administrera ditt konto och leverera produkter och tjänster",
                  "Statistik och kundundersökningar", "Förbättra produkter och tjänster",
                  "Marknadsföring och nyhetsbrev", "Bokföring och redovisning",
                  "Uppgifter till myndigheter"):  # fmt: skip
        assert f"### {label}" in why, label
    # AC-2 consent, contract, legal obligation and legitimate interest, each cited
    for basis in ("Samtycke (artikel 6.1 a", "Avtal (artikel 6.1 b",
                  "Rättslig förpliktelse (artikel 6.1 c",
                  "Intresseavvägning (artikel 6.1 f"):  # fmt: skip
        assert basis in why, basis
    # AC-3 no sensitive data
    assert "Vi behandlar inga känsliga personuppgifter om dig." in sv
    assert "artikel 9.2" not in sv
    # AC-4 only those who need the data
    security = _section(sv, t("sv", "n.h.security"))
    assert "har behörighet till dem" in security
    # AC-5 kept while a customer, then as long as the law requires, then deleted
    assert "två år efter den dag du slutade vara kund, raderas vid årets slut" in why
    assert "sju år efter räkenskapsårets slut" in _section(sv, t("sv", "n.h.holds"))
    # AC-6 rights, erasure refused where the law requires keeping, restriction, objection
    rights = _section(sv, t("sv", "doc.rights"))
    for right in ("Rätt till tillgång", "Rätt till rättelse", "Rätt till radering",
                  "Rätt till begränsning", "Rätt att invända"):  # fmt: skip
        assert right in rights
    assert "Uppgifter som vi enligt lag måste spara" in rights
    # AC-7 analytics, statistics and marketing cookies only with consent
    cookies = _section(sv, t("sv", "n.h.cookies"))
    assert "**Statistik och analys**. Används bara med ditt samtycke." in cookies
    assert "**Marknadsföring**. Används bara med ditt samtycke." in cookies
    assert _row(cookies, "`_ga`")[-1] == "2 år"


def test_advansor_notice_covers_ad_1_to_ad_5(md: MD) -> None:
    sv = _flat(md("advansor", "sv"))
    data = _section(sv, t("sv", "n.h.data"))
    # AD-1 what is collected, and the sources shown to the person (Art. 14)
    for word in ("bankkontouppgifter", "kundkännedom (KYC)", "e-postadress"):
        assert word in data, word
    assert "Från offentliga register. EU:s och FN:s sanktionslistor, PEP-listor och " in data
    assert "Från en samarbetspartner. Gemensamma marknadsföringspartner" in data
    assert t("sv", "n.source_timing") in data
    # AD-2 each purpose with its legal basis
    why = _section(sv, t("sv", "n.h.purposes"))
    kyc = _purpose(why, "Kundkännedom och granskning av kunder, leverantörer och affärspartner")
    assert "Rättslig förpliktelse (artikel 6.1 c i dataskyddsförordningen)" in kyc
    claims = _purpose(why, "Fastställa, göra gällande eller försvara rättsliga anspråk")
    assert "Intresseavvägning (artikel 6.1 f" in claims
    # AD-3 group subsidiaries, service providers, partners, authorities, advisers
    recipients = _section(sv, t("sv", "doc.recipients_heading"))
    assert _row(recipients, "Advansor A/S subsidiaries in the EU")[1] == "Bolag i samma koncern"
    assert "professionella rådgivare" in recipients
    # AD-4 rights; inaccurate data corrected or deleted; erasure unless a legal ground remains
    rights = _section(sv, t("sv", "doc.rights"))
    assert "Felaktiga eller inaktuella uppgifter rättas eller raderas" in rights
    assert "Rätt till begränsning" in rights and "Rätt att invända" in rights
    # AD-5 complaints to the local authority: Datatilsynet, or where the person lives
    complaint = _section(sv, t("sv", "doc.complaint"))
    assert "Datatilsynet" in complaint and t("sv", "n.complaint_local") in complaint
    # The Danish notice is Danish and names Datatilsynet as the Danes do
    da = _flat(md("advansor", "da"))
    assert "klage til Datatilsynet" in da and "CVR-nummer" in da

"""Words and note templates for the demo, in Swedish, English and Danish.

Free text is where real databases hide personal data: a note that names the caller
and their number. Some templates here do that on purpose ({first}, {phone}); none
contains a national identity or card number, which are planted separately (and
recorded in demo-facts.json) so that a scanner's findings are exactly the planted ones.
"""

from __future__ import annotations

NOTES = {
    "sv": (
        "Kunden hörde av sig om leveranstiden för {product}.",
        "Genomgång av offert, återkommer efter budgetmöte.",
        "Frågade om reservdelar till {product}. Skickat prislista.",
        "{first} vill ha en demo av {product} i vår.",
        "Ring {first} på {phone} när leveransen är klar.",
        "Fakturan har fel referens, ny skickad.",
        "Service utförd enligt avtal, inga anmärkningar.",
        "Möte på plats hos {company}, visade nya modellen.",
        "{first} {last} är ny kontaktperson för {company}.",
        "Kunden nöjd med installationen.",
        "Påminnelse om serviceavtalet skickad per e-post.",
        "Reklamation: {product} ur funktion efter två veckor.",
    ),
    "en": (
        "Customer asked about the delivery time for {product}.",
        "Went through the quote, will come back after the budget meeting.",
        "Asked for spare parts for {product}. Price list sent.",
        "{first} would like a demo of {product} in the spring.",
        "Call {first} on {phone} when the delivery is ready.",
        "The invoice had the wrong reference, a new one was sent.",
        "Service carried out as agreed, nothing to report.",
        "Site visit at {company}, showed the new model.",
        "{first} {last} is the new contact at {company}.",
        "Customer happy with the installation.",
        "Reminder about the service agreement sent by email.",
        "Complaint: {product} stopped working after two weeks.",
    ),
    "da": (
        "Kunden spurgte til leveringstiden for {product}.",
        "Gennemgang af tilbud, vender tilbage efter budgetmødet.",
        "Spurgte efter reservedele til {product}. Prisliste sendt.",
        "{first} ønsker en demo af {product} i foråret.",
        "Ring til {first} på {phone}, når leverancen er klar.",
        "Fakturaen havde forkert reference, ny sendt.",
        "Service udført efter aftale, ingen bemærkninger.",
        "Møde hos {company}, viste den nye model.",
        "{first} {last} er ny kontaktperson hos {company}.",
        "Kunden er tilfreds med installationen.",
        "Påmindelse om serviceaftalen sendt pr. e-mail.",
        "Reklamation: {product} holdt op med at virke efter to uger.",
    ),
}
SUBJECTS = {
    "sv": (
        "Fråga om leverans",
        "Offertförfrågan",
        "Felanmälan {product}",
        "Reservdelar",
        "Fakturafråga",
        "Serviceavtal",
        "Uppföljning",
        "Installation",
    ),
    "en": (
        "Delivery question",
        "Request for quote",
        "Fault report {product}",
        "Spare parts",
        "Invoice query",
        "Service agreement",
        "Follow-up",
        "Installation",
    ),
    "da": (
        "Spørgsmål om levering",
        "Tilbudsforespørgsel",
        "Fejlmelding {product}",
        "Reservedele",
        "Fakturaspørgsmål",
        "Serviceaftale",
        "Opfølgning",
        "Installation",
    ),
}
SHORT = {  # comments, reasons, captions, hints: one line
    "sv": (
        "Bra service.",
        "Fel modell levererad.",
        "Snabb leverans, tack!",
        "Trasig vid leverans.",
        "Behövs inte längre.",
        "Från mässan i Göteborg.",
        "Hundens namn + år",
        "Tank 3, norra lagret",
        "Betalningsvillkor 60 dagar.",
    ),
    "en": (
        "Great service.",
        "Wrong model delivered.",
        "Quick delivery, thanks!",
        "Damaged on arrival.",
        "No longer needed.",
        "From the trade show in Birmingham.",
        "Dog's name + year",
        "Tank 3, north warehouse",
        "Payment terms 60 days.",
    ),
    "da": (
        "God service.",
        "Forkert model leveret.",
        "Hurtig levering, tak!",
        "Beskadiget ved levering.",
        "Ikke længere nødvendig.",
        "Fra messen i Herning.",
        "Hundens navn + år",
        "Tank 3, nordlageret",
        "Betalingsbetingelser 60 dage.",
    ),
}
HINTS = {
    "sv": ("Hundens namn + år", "Första bilen", "Mormors gata", "Favoritlaget"),
    "en": ("Dog's name + year", "First car", "Grandmother's street", "Favourite team"),
    "da": ("Hundens navn + år", "Første bil", "Mormors gade", "Yndlingshold"),
}
LABELS = {
    "sv": ("Tank", "Silo", "Container", "Cistern", "Behållare"),
    "en": ("Tank", "Silo", "Container", "Cistern", "Bin"),
    "da": ("Tank", "Silo", "Container", "Cisterne", "Beholder"),
}
# What a note says when a person dictated their personal data into it (planted).
PII_NOTE = {
    "sv": "{name} ringde från {phone} och vill bli uppringd om {product}.",
    "en": "{name} called from {phone} and would like a call back about {product}.",
    "da": "{name} ringede fra {phone} og vil gerne ringes op om {product}.",
}
ID_NOTE = {  # a national identity number in a note: a policy breach for the scanner
    "sv": "Kunden uppgav sitt personnummer {number} vid kreditkontrollen.",
    "en": "Customer gave their National Insurance number {number} on the phone.",
    "da": "Kunden oplyste sit CPR-nummer {number} ved kreditvurderingen.",
}

STAFF_EMAIL = ("support", "sales", "info", "order")
CURRENCY = {"SE": "SEK", "DK": "DKK", "GB": "GBP"}
TIMEZONE = {"SE": "Europe/Stockholm", "DK": "Europe/Copenhagen", "GB": "Europe/London"}
CARRIERS = {
    "SE": ("PostNord", "DHL", "DB Schenker", "Bring"),
    "DK": ("PostNord", "GLS", "DAO", "DHL"),
    "GB": ("Royal Mail", "DPD", "DHL", "Parcelforce"),
}
BANKS = {
    "SE": ("Swedbank", "SEB", "Handelsbanken", "Nordea"),
    "DK": ("Danske Bank", "Nordea", "Jyske Bank", "Sydbank"),
    "GB": ("Barclays", "HSBC UK", "Lloyds Bank", "NatWest"),
}
BICS = {
    "SE": ("SWEDSESS", "ESSESESS", "HANDSESS"),
    "DK": ("DABADKKK", "NDEADKKK", "JYBADKKK"),
    "GB": ("BARCGB22", "HBUKGB4B", "LOYDGB2L"),
}
INDUSTRY = (
    "Construction",
    "Manufacturing",
    "Agriculture",
    "Food retail",
    "Logistics",
    "Property management",
    "Utilities",
    "Mining",
    "Pharmaceuticals",
    "Public sector",
)
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0 Safari/537.36 Edg/125.0",
)
PATHS = (
    "/",
    "/products",
    "/products/{sku}",
    "/contact",
    "/about",
    "/support",
    "/news",
    "/careers",
    "/privacy",
    "/login",
    "/cart",
    "/downloads/manual.pdf",
    "/service",
)
REFERRERS = (
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://www.linkedin.com/",
    "",
    "",
    "https://duckduckgo.com/",
    "https://www.facebook.com/",
)

# Values of operational columns, by column name. A tuple is drawn from uniformly.
VOCAB: dict[str, tuple[str, ...]] = {
    "kind": ("call", "meeting", "email", "visit", "call", "email"),
    "channel": ("email", "phone", "web", "email", "phone", "chat"),
    "method": ("invoice", "card", "bank transfer", "invoice"),
    "payment_method": ("invoice", "card", "bank transfer", "invoice"),
    "bureau": ("UC", "Creditsafe", "Dun & Bradstreet"),
    "category": ("installation", "connectivity", "battery", "billing", "app", "hardware"),
    "customer_type": ("company", "company", "company", "sole trader", "private"),
    "id_document_type": ("passport", "driving licence", "national id card"),
    "risk_level": ("low", "low", "low", "medium", "high"),
    "result": ("clear", "clear", "clear", "clear", "review"),
    "decision": ("false positive", "false positive", "escalated"),
    "lists_checked": ("EU, UN, OFAC, PEP", "EU, UN, PEP"),
    "list_name": ("EU consolidated list", "OFAC SDN", "PEP register", "UN sanctions"),
    "role": ("admin", "user", "user", "viewer", "user"),
    "agreement_type": ("framework agreement", "service agreement", "distribution agreement"),
    "survey_name": ("NPS 2023", "NPS 2024", "Product survey", "Delivery survey"),
    "campaign": ("spring-news", "product-launch", "webinar-invite", "autumn-offer"),
    "campaign_id": ("cmp-1041", "cmp-1077", "cmp-1102", "cmp-1130"),
    "list_id": ("main", "products", "events"),
    "lead_source": ("website", "trade show", "referral", "phone", "partner"),
    "interest_level": ("low", "medium", "high"),
    "purpose": ("newsletter", "product offers", "events"),
    "withdrawal_method": ("unsubscribe link", "email", "phone", "web page"),
    "tps_register": ("TPS", "CTPS"),
    "event_name": ("Spring seminar", "Trade show stand", "Customer day", "Webinar"),
    "event_type": ("seminar", "trade show", "webinar", "training"),
    "media_type": ("photo", "photo", "video"),
    "content_type": ("application/pdf", "image/jpeg", "image/png", "text/plain"),
    "feature": ("dashboard", "alarms", "reports", "settings", "map", "export"),
    "topic": ("product news", "events", "offers", "service"),
    "segment": ("customer", "prospect", "partner", "lapsed"),
    "interests": ("new products", "service", "events", "training"),
    "interest": ("new products", "service", "events", "training"),
    "event_type_email": ("sent", "open", "click", "open", "sent"),
    "device_type": ("desktop", "mobile", "tablet"),
    "device_category": ("desktop", "mobile", "tablet"),
    "email_client": ("Outlook", "Gmail", "Apple Mail"),
    "browser": ("Chrome", "Safari", "Edge", "Firefox"),
    "operating_system": ("Windows", "macOS", "iOS", "Android"),
    "platform": ("web", "web", "app"),
    "os_version": ("iOS 17.5", "Android 14", "Windows 11", "macOS 14"),
    "hardware_model": ("iPhone 15", "Galaxy S23", "Pixel 8", "ThinkPad T14"),
    "app_version": ("3.2.1", "3.3.0", "3.4.2"),
    "screen_resolution": ("1920x1080", "2560x1440", "390x844", "1366x768"),
    "track_size": ("300x52.5x78", "400x72.5x74", "450x71x82", "230x48x70"),
    "action": ("allowed", "allowed", "blocked", "rate-limited"),
    "form": ("contact", "quote", "brochure", "newsletter"),
    "sender": ("visitor", "agent"),
    "party_type": ("customer", "supplier"),
    "relationship": ("customer",),
    "distributor": ("direct", "direct", "Nordic Sensors AS", "Sensor Supply Ltd", "Tankmätning AB"),
    "manufacturer": ("JCB", "Kubota", "Takeuchi", "Volvo", "Bobcat", "Yanmar"),
    "product_line": ("standard", "premium", "heavy duty"),
    "attended": (),
}
STATUS: dict[str, tuple[str, ...]] = {
    "order": ("delivered", "delivered", "delivered", "shipped", "cancelled"),
    "quote": ("sent", "accepted", "declined", "expired"),
    "payment": ("settled", "settled", "settled", "refunded"),
    "return": ("requested", "approved", "refunded", "rejected"),
    "account": ("active", "active", "active", "suspended"),
    "": ("active", "active", "inactive"),
}

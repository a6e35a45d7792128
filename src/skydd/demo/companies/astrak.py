"""Astrak Group Ltd: rubber tracks, UK with EU subsidiaries (promises AS-1 … AS-10)."""

from __future__ import annotations

from datetime import date, datetime, time

from skydd.demo import formats
from skydd.demo.plant import PlantContext
from skydd.demo.population import YEAR
from skydd.demo.row import Product

PRODUCTS = (
    Product("RT-300x52.5x78", "Rubber track 300x52.5x78", 39_500),
    Product("RT-400x72.5x74", "Rubber track 400x72.5x74", 61_000),
    Product("RT-450x71x82", "Rubber track 450x71x82", 72_500),
    Product("RT-230x48x70", "Rubber track 230x48x70", 24_900),
    Product("SP-SPROCKET", "Drive sprocket", 18_500),
    Product("SP-IDLER", "Front idler", 22_000),
    Product("SP-ROLLER", "Bottom roller", 9_500),
    Product("ST-STEEL-400", "Steel track 400 mm", 145_000),
)
CARD_NOTE = "Customer read out card {card} exp 09/27 so we could take payment - please call back."


def plant(ctx: PlantContext) -> None:
    """AS-2: card details are never to be stored, yet one sits in a chat message."""
    customer = ctx.built.planted.breach
    card = formats.card_number(ctx.rng)
    rows = list(ctx.free_text_rows(customer, prefer=("chat", "message")))
    for key, column, row in rows:
        text = CARD_NOTE.format(card=card)
        ctx.update(key, row, {column: text})
        ctx.record(
            "card_number",
            "a payment card number in a free-text message: AS-2 says "
            "card details are never stored, so the scanner must find it",
            key,
            column,
            row,
            card,
            customer,
        )
        break
    _anonymous_visitors(ctx)
    _consent_by_phone(ctx)


def _consent_by_phone(ctx: PlantContext) -> None:
    """AS-3: Astrak asks for marketing consent by phone only, so every consent record it
    holds was taken on a call (the generator draws channels for every table alike)."""
    table = ctx.built.tables.get("crm.marketing_consents")
    if table is None or "channel" not in table.c:
        return
    conn = ctx.built.sinks["crm"].conn
    with conn.begin():
        conn.execute(table.update().values(channel="phone"))


def _anonymous_visitors(ctx: PlantContext) -> None:
    """AS-6: F24_autoID visitors never linked to a person; old ones are due after 6 months."""
    table = ctx.built.tables.get("marketing.visitors")
    if table is None or "auto_id" not in table.c:
        return
    rows = []
    for n in range(5):
        day = date.fromordinal(ctx.pop.as_of - (30 if n < 2 else YEAR))
        seen = datetime.combine(day, time(10 + n, 15))
        rows.append(
            {
                "auto_id": f"anon-{ctx.rng.getrandbits(64):016x}",
                "person_id": None,
                "first_seen": seen,
                "last_seen": seen,
                "pages_viewed": 1 + n,
            }
        )
    ctx.insert("marketing.visitors", [{k: v for k, v in r.items() if k in table.c} for r in rows])
    ctx.extra["anonymous_visitors"] = {
        "table": "marketing.visitors",
        "rows": len(rows),
        "why": "F24_autoID cookies never linked to a person; three are older than six months",
    }

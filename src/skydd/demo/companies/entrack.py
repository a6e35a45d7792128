"""Entrack AB: machinery, sold to companies and sole traders (promises EN-1 … EN-8)."""

from __future__ import annotations

from skydd.demo.plant import PlantContext
from skydd.demo.row import Product

PRODUCTS = (
    Product("ET-1500", "Entrack 1500 tracked carrier", 18_900_000),
    Product("ET-2000", "Entrack 2000 tracked dumper", 24_500_000),
    Product("ET-MD400", "Minidumper MD400", 6_900_000),
    Product("ET-SERV", "Service, 500 hours", 1_250_000),
    Product("ET-TRACK", "Rubber track 180x72", 450_000),
    Product("ET-BUCKET", "Tipping bucket", 1_890_000),
    Product("ET-FINANCE", "Leasing arrangement fee", 150_000),
)


def plant(ctx: PlantContext) -> None:
    """EN-7: a customer who opted out of all communication not needed for the contract."""
    for colleague in ctx.built.planted.colleagues[:1]:
        for key, row in ctx.rows_of(colleague):
            if key == "erp.customers" and "communication_opt_out" in row:
                ctx.update(key, row, {"communication_opt_out": True})
                ctx.extra["communication_opt_out"] = {
                    "email": ctx.pop.email[colleague],
                    "why": "opted out of everything not needed for the contract (EN-7)",
                }
                return

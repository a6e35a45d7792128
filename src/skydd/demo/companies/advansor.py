"""Advansor A/S: CO2 refrigeration systems, with subsidiaries (promises AD-1 … AD-5)."""

from __future__ import annotations

from skydd.demo.plant import PlantContext
from skydd.demo.row import Product

PRODUCTS = (
    Product("ADV-VB-XS", "value:XS CO2 booster", 42_000_000),
    Product("ADV-VB-S", "value:S CO2 booster", 68_000_000),
    Product("ADV-COMP", "compSUPER CO2 unit", 95_000_000),
    Product("ADV-HR", "Heat recovery module", 12_500_000),
    Product("ADV-SERV", "Service agreement, one year", 3_600_000),
    Product("ADV-CTRL", "Controller upgrade kit", 1_850_000),
    Product("ADV-GAS", "Gas detection kit", 950_000),
)


def plant(ctx: PlantContext) -> None:
    """AD-1: KYC screening found a politically exposed person (a true hit, kept)."""
    held = ctx.built.planted.held
    for key, row in ctx.rows_of(held):
        if key == "kyc.screenings" and "is_pep" in row:
            ctx.update(key, row, {"is_pep": True, "result": "review"})
            ctx.extra["pep_screening"] = {
                "email": ctx.pop.email[held],
                "why": "KYC screening marked a politically exposed person (AD-1, AD-2)",
            }
            return

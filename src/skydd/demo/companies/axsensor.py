"""AXsensor AB: level sensors and a cloud service (promises AX-1 … AX-12)."""

from __future__ import annotations

from datetime import date, datetime, time

from skydd.demo.plant import PlantContext
from skydd.demo.population import YEAR
from skydd.demo.row import Product

PRODUCTS = (
    Product("AXS-LVL-2", "AX Level 2 tank sensor", 395_000),
    Product("AXS-LVL-3", "AX Level 3 tank sensor", 495_000),
    Product("AXS-BIN", "AX Bin fill-level sensor", 345_000),
    Product("AXS-GPS", "AX GPS tracker", 245_000),
    Product("AXS-TEMP", "AX Temperature sensor", 195_000),
    Product("AXS-CLOUD-1Y", "AXcloud subscription, one year", 120_000),
    Product("AXS-MOUNT", "Mounting kit", 35_000),
    Product("AXS-BATT", "Battery pack", 45_000),
)


def plant(ctx: PlantContext) -> None:
    """AX-3: a cloud account without traffic for eight years, due for permanent deletion."""
    due = ctx.built.planted.due
    for key, row in ctx.rows_of(due):
        if key == "cloud.users" and row.get("account_id") is not None:
            accounts = ctx.built.tables.get("cloud.accounts")
            if accounts is None or "last_traffic" not in accounts.c:
                return
            silent = datetime.combine(date.fromordinal(ctx.pop.as_of - 8 * YEAR), time(3, 12))
            account = {"id": row["account_id"]}
            ctx.update("cloud.accounts", account, {"last_traffic": silent, "status": "inactive"})
            ctx.extra["silent_cloud_account"] = {
                "account_id": row["account_id"],
                "last_traffic": silent.isoformat(),
                "why": "no traffic for eight years: deleted with all its data under AX-3",
            }
            return

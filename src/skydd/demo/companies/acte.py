"""ACTE Solutions AB: electronics distribution (promises AC-1 … AC-7)."""

from __future__ import annotations

from skydd.demo.plant import PlantContext
from skydd.demo.row import Product

PRODUCTS = (
    Product("AC-CAP-100U", "Capacitor 100 uF 50 V (reel)", 89_000),
    Product("AC-MCU-M4", "Microcontroller Cortex-M4", 4_500),
    Product("AC-CONN-RJ45", "RJ45 connector, shielded", 1_200),
    Product("AC-PSU-24V", "Power supply 24 V 5 A", 79_000),
    Product("AC-CBL-ASSY", "Cable assembly, customer specific", 24_000),
    Product("AC-DISP-7", "Display module 7 inch", 189_000),
    Product("AC-SENS-T", "Temperature sensor module", 12_500),
    Product("AC-RELAY", "Industrial relay 230 V", 8_900),
)


def plant(ctx: PlantContext) -> None:
    """AC-6 (objection): a contact who objected to newsletters, marked in the ERP."""
    for colleague in ctx.built.planted.colleagues[:1]:
        for key, row in ctx.rows_of(colleague):
            if key == "erp.contacts" and "newsletter_opt_out" in row:
                ctx.update(key, row, {"newsletter_opt_out": True})
                ctx.extra["newsletter_objection"] = {
                    "email": ctx.pop.email[colleague],
                    "why": "objected to marketing: no newsletters (AC-6)",
                }
                return

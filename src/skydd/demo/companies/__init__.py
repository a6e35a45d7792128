"""What only one example company's policy implies, planted after the generic cases.

Each example in ``examples/<company>/`` may have a module here of the same name with
``PRODUCTS`` (what the company sells, for order lines and notes) and ``plant(ctx)``,
called with a `skydd.demo.plant.PlantContext` once the databases are filled. Any
other map gets generic products and no hook.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from skydd.demo.plant import Hook
from skydd.demo.row import Product

COMPANIES = ("axsensor", "entrack", "acte", "astrak", "advansor")

GENERIC_PRODUCTS = (
    Product("P-100", "Standard unit", 495_000),
    Product("P-200", "Large unit", 1_290_000),
    Product("P-300", "Spare part kit", 89_000),
    Product("P-400", "Service agreement, one year", 240_000),
    Product("P-500", "Installation", 350_000),
)


def _module(company: str | None) -> ModuleType | None:
    if company not in COMPANIES:
        return None
    return importlib.import_module(f"skydd.demo.companies.{company}")


def company_hook(company: str | None) -> Hook | None:
    module = _module(company)
    hook: Hook | None = getattr(module, "plant", None)
    return hook


def products_for(company: str | None) -> tuple[Product, ...]:
    module = _module(company)
    products: tuple[Product, ...] = getattr(module, "PRODUCTS", GENERIC_PRODUCTS)
    return products

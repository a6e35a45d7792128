"""Skydd: make a company's privacy policy true, from one data map."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from skydd.consent.default import may as may


def __getattr__(name: str) -> Any:
    # Lazy, so `import skydd` stays cheap: the decision API loads its store on first use.
    if name == "may":
        from skydd.consent.default import may

        return may
    raise AttributeError(f"module 'skydd' has no attribute {name!r}")

"""The breach register (LEGAL.md BR-1 to BR-4): every personal data breach, notified or not.

The engine API takes an open store: `open_breach`, `update_breach`, `close_breach`,
`get_breach`, `list_breaches`; `breach_clock` and `notification_deadline` are pure.
`draft_authority` and `draft_people` write the notifications. `skydd.breach.service`
wraps them for the CLI (map file and store URL in, one call).
"""

from __future__ import annotations

from skydd.breach.drafts import draft_authority, draft_people
from skydd.breach.model import (
    Breach,
    BreachError,
    Clock,
    breach_clock,
    controller_zone,
    notification_deadline,
    parse_time,
)
from skydd.breach.register import (
    close_breach,
    get_breach,
    list_breaches,
    open_breach,
    update_breach,
)

__all__ = [
    "Breach",
    "BreachError",
    "Clock",
    "breach_clock",
    "close_breach",
    "controller_zone",
    "draft_authority",
    "draft_people",
    "get_breach",
    "list_breaches",
    "notification_deadline",
    "open_breach",
    "parse_time",
    "update_breach",
]

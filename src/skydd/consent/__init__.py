"""Consent and preferences: the proof-keeping ledger, the person's standing, the decision.

- ``ConsentBook`` (book.py): record choices (staff, forms, the banner's visitors), channel
  preferences and register checks; read a person's standing; decide with ``may``.
- ``rights`` : restriction, objection and withdrawal as requests, audited.
- ``may`` (default.py): ``skydd.may(identity, purpose, channel)`` for applications.
- ``marketing.audience``: what a marketing tool may receive.
- ``stats.consent_rates``: accept and refuse rates for the dashboard.
- ``tokens``: signed unsubscribe and preference-centre links.
"""

from skydd.consent.book import VISITOR, Choice, ConsentBook, Person
from skydd.consent.decision import Decision
from skydd.consent.default import book_for, may
from skydd.consent.ledger import Proof
from skydd.consent.rights import (
    RightResult,
    decide_objection,
    object_to,
    open_book,
    restrict,
    unrestrict,
    withdraw,
)

__all__ = [
    "VISITOR",
    "Choice",
    "ConsentBook",
    "Decision",
    "Person",
    "Proof",
    "RightResult",
    "book_for",
    "decide_objection",
    "may",
    "object_to",
    "open_book",
    "restrict",
    "unrestrict",
    "withdraw",
]

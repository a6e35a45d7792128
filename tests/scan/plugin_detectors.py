"""A detector as a third party would ship it: the UK NHS number (mod 11)."""

from __future__ import annotations

from skydd.scan import Ctx, Detector


def _nhs(text: str, ctx: Ctx) -> bool:
    digits = [int(c) for c in text if c.isdigit()]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
    return (0 if check == 11 else check) == digits[9] and check != 10


NHS = Detector(
    "nhs_number",
    "user.health.insurance_beneficiary_id",
    r"(?<![\w-])\d{3} \d{3} \d{4}(?![\w])",
    _nhs,
    starts="[0-9]",
    description="UK NHS number (mod 11).",
)


def make_nhs() -> Detector:
    return NHS


NOT_A_DETECTOR = "nope"

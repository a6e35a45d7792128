"""The forms in which an identity is commonly stored, so that lookups use the index.

A phone number normalised to +46701234567 may sit in a CRM as `070-123 45 67`.
Searching every common written form with `IN (…)` keeps the search on the
column's index; `--thorough` reads and normalises whole columns instead, for
forms nobody foresaw.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers


@lru_cache(maxsize=4096)
def _phone_variants(e164: str, region: str) -> tuple[str, ...]:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return (e164,)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    nsn = phonenumbers.national_significant_number(number)
    cc = str(number.country_code)
    trunk = "0" if cc in ("46", "44", "358") else ""
    compact_national = trunk + nsn
    forms = {
        e164,
        e164[1:],
        "00" + e164[1:],
        national,
        international,
        international.replace(" ", "-"),
        compact_national,
        national.replace(" ", ""),
        national.replace("-", " "),
        f"+{cc} ({trunk}){nsn}" if trunk else f"+{cc} {nsn}",
        f"+{cc} {nsn}",
    }
    if trunk and len(nsn) >= 7:
        area, rest = compact_national[:3], compact_national[3:]
        grouped = f"{rest[:3]} {rest[3:5]} {rest[5:]}"
        forms |= {
            f"{area}-{rest}",
            f"{area} {rest}",
            f"{area}-{grouped}",
            f"{area} {grouped}",
            f"({area}) {grouped}",
            f"({area}) {rest}",
            f"+{cc} (0){area[1:]}-{grouped}",
            f"+{cc} (0){area[1:]} {grouped}",
        }
    if not trunk and len(nsn) == 8:  # Danish and Norwegian: pairs of digits
        forms.add(" ".join(nsn[i : i + 2] for i in range(0, 8, 2)))
    return tuple(sorted(f for f in forms if f))


def _email_variants(value: str) -> tuple[str, ...]:
    """As given, lower case, upper case, and 'Anna.Svensson@Example.se' style capitals."""
    local, _, domain = value.partition("@")
    titled = ".".join(part.capitalize() for part in local.split("."))
    dom_titled = domain.capitalize()
    forms = [value, value.lower(), value.upper()]
    for loc in (local, titled):
        for dom in (domain, dom_titled):
            forms.append(f"{loc}@{dom}")
    return tuple(dict.fromkeys(forms))


def _personnummer_variants(value: str) -> tuple[str, ...]:
    # canonical YYYYMMDDNNNN → the 10 and 12 digit forms, with and without separator
    if len(value) != 12 or not value.isdigit():
        return (value,)
    short = value[2:]
    return (
        value,
        f"{value[:8]}-{value[8:]}",
        short,
        f"{short[:6]}-{short[6:]}",
        f"{short[:6]}+{short[6:]}",
    )


def stored_variants(kind: str, value: str, region: str = "SE") -> tuple[str, ...]:
    """Common stored forms of a normalised identity value."""
    if kind == "phone":
        return _phone_variants(value, region)
    if kind == "email":
        return _email_variants(value)
    if kind == "personnummer":
        return _personnummer_variants(value)
    if kind == "cpr" and len(value) == 11:
        return (value, value.replace("-", ""))
    if kind == "orgnr" and len(value) == 11:
        return (value, value.replace("-", ""), "16" + value.replace("-", ""))
    if kind == "customer_number" and value.isdigit():
        return (value, str(int(value)))
    return (value,)

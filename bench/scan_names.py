"""Generate src/skydd/scan/data/names.json: first and last names (sv, da, en) and street
suffixes, taken once from Faker's locales. Run again only when Faker's lists should be
taken up again; the output is committed, so Skydd needs no Faker at run time.

    .venv/bin/python bench/scan_names.py
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from faker.providers.address.da_DK import Provider as DaAddress
from faker.providers.address.en_GB import Provider as EnAddress
from faker.providers.address.sv_SE import Provider as SvAddress
from faker.providers.person.da_DK import Provider as DaPerson
from faker.providers.person.en_GB import Provider as EnPerson
from faker.providers.person.sv_SE import Provider as SvPerson

OUT = Path(__file__).resolve().parents[1] / "src" / "skydd" / "scan" / "data" / "names.json"


def _names(values: Iterable[str]) -> list[str]:
    """Capitalised single words only; Faker's weights (dict values) are dropped."""
    keep = set()
    for value in values:
        for part in str(value).replace("-", " ").split():
            if part[:1].isupper() and part.isalpha() and len(part) > 1:
                keep.add(part)
    return sorted(keep)


def main() -> None:
    data: dict[str, object] = {"source": "Faker locales sv_SE, da_DK, en_GB (bench/scan_names.py)"}
    first: dict[str, list[str]] = {}
    last: dict[str, list[str]] = {}
    for lang, person in (("sv", SvPerson), ("da", DaPerson), ("en", EnPerson)):
        first[lang] = _names([*person.first_names_female, *person.first_names_male])
        last[lang] = _names(person.last_names)
    data["first"] = first
    data["last"] = last
    data["en_street_suffixes"] = sorted(
        {s.title() for s in EnAddress.street_suffixes if s.isalpha()}
    )
    data["sv_street_suffixes"] = sorted({s.lower() for s in SvAddress.street_suffixes})
    data["da_street_suffixes"] = sorted(
        {s.lower() for s in getattr(DaAddress, "street_suffixes", ()) if s.isalpha()}
    )
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    print(f"{OUT}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()

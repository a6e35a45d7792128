"""The facts a notice is written from, in no language: what a version stores for diffs.

A published version keeps these beside the hash of its texts, so `skydd notice diff`
compares what was declared (a purpose, a retention period, a recipient's country),
not two texts whose wording may shift for reasons that change nothing.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel

from skydd.datamap.authorities import AuthorityError, for_country
from skydd.datamap.models import DataMap, Text
from skydd.datamap.validate import taxonomy_for
from skydd.notice.content import rolled_up, table_key


def _labels(text: Text | None) -> dict[str, str] | None:
    return text.model_dump(exclude_none=True) if text else None


def _dump(model: BaseModel | None) -> Any:
    return model.model_dump(mode="json", exclude_none=True) if model else None


def _authority(country: str) -> str | None:
    try:
        a = for_country(country)
    except AuthorityError:
        return None
    return a.official_name


def facts(m: DataMap) -> dict[str, Any]:
    """Everything the notice states, as plain JSON-ready data."""
    c = m.controller
    taxonomy = taxonomy_for(m)
    categories = {
        rolled_up(col.category)
        for _, _, table in m.tables()
        if table.personal is not False
        for col in table.columns.values()
        if taxonomy.is_personal(col.category)
    }
    return {
        "controller": c.model_dump(
            mode="json",
            include={"name", "org_number", "address", "email", "phone", "website", "country"},
        ),
        "contacts": {"dpo": _dump(c.dpo), "privacy_contact": _dump(c.privacy_contact)},
        "authority": _authority(c.country),
        "purposes": {
            k: {
                "labels": _labels(p.labels),
                "legal_basis": str(p.legal_basis) if p.legal_basis else None,
                "legitimate_interest": _labels(p.legitimate_interest),
                "law": p.law,
                "art9": p.art9_condition.value if p.art9_condition else None,
                "marketing": p.marketing,
                "automated": _labels(p.automated_decision),
            }
            for k, p in m.purposes.items()
        },
        "retention": {k: _dump(r) for k, r in m.retention.rules.items()},
        "holds": {k: _dump(h) for k, h in m.retention.holds.items()},
        "recipients": {
            k: {
                "name": r.name,
                "kind": r.kind,
                "country": r.country,
                "locations": sorted(set(r.locations) - {r.country}),
                "categories": sorted(r.categories),
                "transfer": r.transfer.mechanism.value if r.transfer else None,
                "scc_module": r.transfer.scc_module if r.transfer else None,
            }
            for k, r in m.recipients.items()
        },
        "cookies": {
            c.name: {
                "category": c.category.value,
                "lifetime": c.lifetime,
                "party": c.party,
                "kind": c.kind,
            }
            for c in m.cookies
        },
        "categories": sorted(categories),
        "category_labels": {
            k: {x: taxonomy.labels(k, x) for x in ("sv", "en", "da")} for k in sorted(categories)
        },
        "sources": {
            table_key(s, t): table.source.kind
            for s, t, table in m.tables()
            if table.source and table.source.kind != "subject"
        },
        "tables": {table_key(s, t): _labels(table.labels) for s, t, table in m.tables()},
        "texts": digest(_dump(m.notice)),
    }


def digest(data: Any) -> str:
    """sha256 of data as canonical JSON (sorted keys, no spaces)."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()

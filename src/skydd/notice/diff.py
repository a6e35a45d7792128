"""What changed between two notice versions, in plain words, from their facts.

"Nytt ändamål: Nyhetsbrev." "Order: the retention period changed from seven years,
deleted at the end of that year to three years, …" "New recipient: Mailchimp in the
United States." Computed from the structured facts each version stores
(`skydd.notice.facts`), never from a text diff.
"""

from __future__ import annotations

from typing import Any

from skydd.documents.display import display
from skydd.notice.durations import duration, lifetime
from skydd.notice.phrases import t


def _label(labels: dict[str, str] | None, lang: str, default: str) -> str:
    labels = labels or {}
    return labels.get(lang) or labels.get("en") or default


def _what(facts: dict[str, Any], tables: list[str], lang: str) -> str:
    names = [_label(facts["tables"].get(k), lang, k.split(".", 1)[-1]) for k in tables]
    names = list(dict.fromkeys(names))
    return display(lang).join([names[0], *(n[:1].lower() + n[1:] for n in names[1:])])


def _how(rule: dict[str, Any], lang: str) -> str:
    if rule.get("period"):
        action = rule.get("action", "delete")
        text = duration(lang, rule["period"])
        if action:  # a rule; a hold has no action, only an alignment
            return f"{text}, " + t(lang, f"n.then.{action}.{rule.get('align', 'none')}")
        if rule.get("align", "none") != "none":
            text += ", " + t(lang, f"align.{rule['align']}")
        return text
    return _label(rule.get("criterion"), lang, "–").rstrip(".")


def _purposes(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    out = []
    a, b = old["purposes"], new["purposes"]
    for key in b.keys() - a.keys():
        out.append(t(lang, "d.purpose_added", label=_label(b[key]["labels"], lang, key)))
    for key in a.keys() - b.keys():
        out.append(t(lang, "d.purpose_removed", label=_label(a[key]["labels"], lang, key)))
    for key in a.keys() & b.keys():
        p, q = a[key], b[key]
        label = _label(q["labels"], lang, key)
        if p["legal_basis"] != q["legal_basis"]:
            was = t(lang, f"basis.{p['legal_basis']}") if p["legal_basis"] else "–"
            now = t(lang, f"basis.{q['legal_basis']}") if q["legal_basis"] else "–"
            out.append(t(lang, "d.basis_changed", label=label, old=was, new=now))
        elif p["legitimate_interest"] != q["legitimate_interest"]:
            out.append(t(lang, "d.interest_changed", label=label))
        if bool(p["automated"]) != bool(q["automated"]):
            key_ = "d.automated_added" if q["automated"] else "d.automated_removed"
            out.append(t(lang, key_, label=label))
    return sorted(out)


def _rules(old: dict[str, Any], new: dict[str, Any], section: str, lang: str) -> list[str]:
    out = []
    a, b = old[section], new[section]
    for key in b.keys() - a.keys():
        what = _what(new, b[key]["tables"], lang) if b[key].get("tables") else key
        out.append(t(lang, "d.retention_added", what=what, how=_how(b[key], lang)))
    for key in a.keys() - b.keys():
        what = _what(old, a[key]["tables"], lang) if a[key].get("tables") else key
        out.append(t(lang, "d.retention_removed", what=what))
    for key in a.keys() & b.keys():
        was, now = _how(a[key], lang), _how(b[key], lang)
        what = _what(new, b[key]["tables"], lang) if b[key].get("tables") else key
        if was != now:
            out.append(t(lang, "d.retention_changed", what=what, old=was, new=now))
        elif a[key].get("anchor") != b[key].get("anchor"):
            out.append(t(lang, "d.anchor_changed", what=what))
        elif a[key].get("tables") != b[key].get("tables"):
            out.append(t(lang, "d.scope_changed", what=what))
    return sorted(out)


def _mechanism(recipient: dict[str, Any], lang: str) -> str:
    mech = recipient["transfer"]
    if not mech or mech == "none":
        return t(lang, "transfer.none_short")
    text = t(lang, f"transfer.{mech}")
    if mech == "scc" and recipient.get("scc_module"):
        text += " (" + t(lang, "transfer.module", n=recipient["scc_module"]) + ")"
    return text


def _recipients(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    d = display(lang)
    out = []
    a, b = old["recipients"], new["recipients"]
    for key in b.keys() - a.keys():
        r = b[key]
        text = t(lang, "d.recipient_added", name=r["name"], country=d.country(r["country"]))
        if r["transfer"]:
            text += " " + t(lang, "transfer.relies", mechanism=_mechanism(r, lang))
        out.append(text)
    for key in a.keys() - b.keys():
        out.append(t(lang, "d.recipient_removed", name=a[key]["name"]))
    for key in a.keys() & b.keys():
        p, q = a[key], b[key]
        where_p = [p["country"], *p["locations"]]
        where_q = [q["country"], *q["locations"]]
        if where_p != where_q:
            out.append(
                t(
                    lang,
                    "d.recipient_moved",
                    name=q["name"],
                    old=d.countries(where_p),
                    new=d.countries(where_q),
                )
            )
        if (p["transfer"], p["scc_module"]) != (q["transfer"], q["scc_module"]):
            out.append(
                t(
                    lang,
                    "d.transfer_changed",
                    name=q["name"],
                    old=_mechanism(p, lang),
                    new=_mechanism(q, lang),
                )
            )
        if p["categories"] != q["categories"]:
            out.append(t(lang, "d.recipient_data", name=q["name"]))
    return sorted(out)


def _cookies(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    out = []
    a, b = old["cookies"], new["cookies"]
    for name in b.keys() - a.keys():
        out.append(
            t(
                lang,
                "d.cookie_added",
                name=name,
                category=t(lang, f"n.cookie.{b[name]['category']}").lower(),
                lifetime=lifetime(lang, b[name]["lifetime"]),
            )
        )
    for name in a.keys() - b.keys():
        out.append(t(lang, "d.cookie_removed", name=name))
    for name in a.keys() & b.keys():
        p, q = a[name], b[name]
        if p["lifetime"] != q["lifetime"]:
            out.append(
                t(
                    lang,
                    "d.cookie_lifetime",
                    name=name,
                    old=lifetime(lang, p["lifetime"]),
                    new=lifetime(lang, q["lifetime"]),
                )
            )
        if p["category"] != q["category"]:
            out.append(
                t(
                    lang,
                    "d.cookie_category",
                    name=name,
                    old=t(lang, f"n.cookie.{p['category']}").lower(),
                    new=t(lang, f"n.cookie.{q['category']}").lower(),
                )
            )
    return sorted(out)


def _categories(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    d = display(lang)
    out = []

    def names(facts: dict[str, Any], keys: list[str]) -> str:
        labels = [_label(facts["category_labels"].get(k), lang, k) for k in sorted(keys)]
        return d.join([x[:1].lower() + x[1:] if x[1:2].islower() else x for x in labels])

    added = sorted(set(new["categories"]) - set(old["categories"]))
    removed = sorted(set(old["categories"]) - set(new["categories"]))
    if added:
        out.append(t(lang, "d.categories_added", categories=names(new, added)))
    if removed:
        out.append(t(lang, "d.categories_removed", categories=names(old, removed)))
    if old["sources"] != new["sources"]:
        out.append(t(lang, "d.sources_changed"))
    return out


def _who(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    out = []
    if old["controller"] != new["controller"]:
        out.append(t(lang, "d.controller_changed", controller=new["controller"]["name"]))
    if old["contacts"] != new["contacts"]:
        out.append(t(lang, "d.contacts_changed"))
    if old["authority"] != new["authority"] and new["authority"]:
        out.append(t(lang, "d.authority_changed", authority=new["authority"]))
    if old["texts"] != new["texts"]:
        out.append(t(lang, "d.texts_changed", controller=new["controller"]["name"]))
    return out


def describe(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    """Each change from ``old`` to ``new`` facts as one sentence; none: one sentence saying so."""
    changes = [
        *_who(old, new, lang),
        *_purposes(old, new, lang),
        *_rules(old, new, "retention", lang),
        *_rules(old, new, "holds", lang),
        *_categories(old, new, lang),
        *_recipients(old, new, lang),
        *_cookies(old, new, lang),
    ]
    return changes or [t(lang, "d.none")]

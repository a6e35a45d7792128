"""A demo page for the banner: scripts held back per category, and a link that reopens it."""

from __future__ import annotations

from typing import Any

import jinja2

from skydd.datamap.models import DataMap

_TEXTS = {
    "sv": {
        "title": "Kakfältet – demo",
        "intro": "Den här sidan visar Skydds kakfält för {controller}. Skripten nedan väntar "
        "tills deras kategori har godkänts.",
        "ran": "Har körts",
        "open": "Ändra dina kakinställningar",
    },
    "en": {
        "title": "The cookie banner – demo",
        "intro": "This page shows Skydd's cookie banner for {controller}. The scripts below "
        "wait until their category has been accepted.",
        "ran": "Has run",
        "open": "Change your cookie settings",
    },
    "da": {
        "title": "Cookiebanneret – demo",
        "intro": "Denne side viser Skydds cookiebanner for {controller}. Scriptsene nedenfor "
        "venter, indtil deres kategori er accepteret.",
        "ran": "Er kørt",
        "open": "Skift dine cookieindstillinger",
    },
}

_PAGE = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t.title }}</title>
<script src="/consent/banner.js?lang={{ lang }}" defer></script>
</head>
<body>
<main>
<h1>{{ t.title }}</h1>
<p>{{ t.intro }}</p>
<table>
<thead><tr><th scope="col">{{ cfg.t.cookies }}</th><th scope="col">{{ t.ran }}</th></tr></thead>
<tbody>
{% for c in cats %}<tr><td>{{ c.label }}</td><td><output id="ran-{{ c.id }}">–</output></td></tr>
{% endfor %}
</tbody>
</table>
<p><a href="#skydd-consent" data-skydd-consent-open>{{ t.open }}</a></p>
</main>
{% for c in cats %}<script type="text/plain" data-category="{{ c.id }}" \
src="/consent/demo.js?c={{ c.id }}"></script>
{% endfor %}
</body>
</html>
"""
)


def page(datamap: DataMap, cfg: dict[str, Any]) -> str:
    lang = cfg["lang"]
    t = {k: v.format(controller=datamap.controller.name) for k, v in _TEXTS[lang].items()}
    cats = [c for c in cfg["cats"] if not c["required"]]
    return _PAGE.render(lang=lang, t=t, cfg=cfg, cats=cats)

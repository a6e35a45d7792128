"""Values as a person reads them: dates, numbers, yes/no and countries in their language.

The report keeps values as JSON holds them (ISO dates, decimal strings), so that
data.json and the CSV files are exact. Only the pages a person reads format them,
through one :class:`Display` per language, with Babel's locale data.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from skydd.documents.phrases import phrase

# British English: day before month and a 24-hour clock, as people in Europe expect.
_LOCALES = {"sv": "sv_SE", "en": "en_GB", "da": "da_DK"}
DASH = "–"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"
)
_DECIMAL = re.compile(r"^-?\d+\.\d+$")

# A row fits across an A4 page in about this many characters of table text.
_TABLE_WIDTH = 112
# Countries whose English name takes "the" in a sentence.
_THE = frozenset({"US", "GB", "NL", "AE", "PH", "BS", "GM", "CZ", "DO", "CF", "KY", "FO", "VA"})
_TABLE_MAX_COLUMNS = 7
_CELL_MAX = 40
_DATES_KEPT = 20_000


class Display:
    """Formats values, countries and lists for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = _locale(lang)
        self._dates: dict[date, str] = {}

    def t(self, key: str, **values: Any) -> str:
        return phrase(self.lang, key, **values)

    def value(self, value: Any, column: dict[str, Any] | None = None) -> str:
        """A cell as text: '–' for nothing, Ja/Nej, dates and numbers in the language."""
        kind = (column or {}).get("type")
        if value is None or value == "":
            return DASH
        if isinstance(value, bool) or (kind == "boolean" and value in (0, 1, "0", "1")):
            return self.t("value.yes" if value in (True, 1, "1") else "value.no")
        if isinstance(value, datetime):
            return self.datetime(value)
        if isinstance(value, date):
            return self.date(value)
        if isinstance(value, time):
            return format_time(value, "short", locale=self.locale)
        if isinstance(value, Decimal):
            return self._decimal(value)
        if isinstance(value, float):
            return format_decimal(value, locale=self.locale)
        if isinstance(value, int):
            return format_decimal(value, locale=self.locale) if kind == "numeric" else str(value)
        if isinstance(value, str):
            return self._text(value, kind)
        if isinstance(value, bytes | bytearray | memoryview):
            return self.t("value.binary", n=len(bytes(value)))
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def _text(self, value: str, kind: str | None) -> str:
        if value.startswith("base64:"):
            return self.t("value.binary", n=len(value[7:]) * 3 // 4)
        if kind in ("date", "timestamp", None) and _ISO_DATE.match(value):
            try:
                return self.date(date.fromisoformat(value))
            except ValueError:
                return value
        if kind in ("date", "timestamp", None) and _ISO_DATETIME.match(value):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
            return self.date(moment.date()) if kind == "date" else self.datetime(moment)
        if kind == "numeric" and _DECIMAL.match(value):
            try:
                return self._decimal(Decimal(value))
            except InvalidOperation:
                return value
        return value

    def _decimal(self, value: Decimal) -> str:
        """'12,50' for 12.50: the decimals stored are kept (an amount keeps its öre)."""
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        pattern = "#,##0." + "0" * places if places else "#,##0"
        return format_decimal(value, pattern, locale=self.locale)

    def date(self, value: date | str | None) -> str:
        """'5 mars 2026' / '5 March 2026' / '5. marts 2026'; ISO text is parsed first."""
        if value is None or value == "":
            return DASH
        if isinstance(value, str):
            try:
                day = date.fromisoformat(value[:10])
            except ValueError:
                return value
        else:
            day = value
        # Babel takes ~20 µs a date; a report repeats few distinct dates, and so do reports.
        text = self._dates.get(day)
        if text is None:
            if len(self._dates) >= _DATES_KEPT:
                self._dates.clear()
            text = self._dates[day] = format_date(day, "long", locale=self.locale)
        return text

    def datetime(self, value: datetime) -> str:
        clock = format_time(value, "short", locale=self.locale)
        if value.tzinfo is not None and value.utcoffset():
            clock += " " + value.strftime("%z")[:3] + ":" + value.strftime("%z")[3:]
        return self.t("value.datetime", date=self.date(value.date()), time=clock)

    def country(self, code: str | None, *, in_sentence: bool = False) -> str:
        """The country's name; ``in_sentence`` adds the article English needs
        ("based in the United States")."""
        if not code:
            return DASH
        name = str(self.locale.territories.get(code.upper(), code))
        if in_sentence and self.lang == "en" and code.upper() in _THE:
            return "the " + name
        return name

    def countries(self, codes: list[str], *, in_sentence: bool = False) -> str:
        return self.join([self.country(c, in_sentence=in_sentence) for c in codes])

    def join(self, items: list[str]) -> str:
        """'a, b och c' / 'a, b and c' / 'a, b og c'."""
        items = [i for i in items if i]
        if len(items) < 2:
            return "".join(items)
        return self.t("list.and", first=", ".join(items[:-1]), last=items[-1])

    def layout(self, section: dict[str, Any]) -> dict[str, Any]:
        """How to show a table's records: ``{"kind": "table", "widths": [...]}`` (one line
        per record, column widths in per cent) when they fit across the page, else
        ``{"kind": "fields"}`` (one line per field, up to three records side by side).

        ``cells`` holds every record's values formatted for the reader, one list per
        record in the order of the columns: each value is formatted once, here.
        """
        columns = section["columns"]
        value = self.value
        cells = [[value(row.get(c["name"]), c) for c in columns] for row in section["rows"]]
        if not columns or len(columns) > _TABLE_MAX_COLUMNS:
            return {"kind": "fields", "cells": cells}
        weights = []
        for i, c in enumerate(columns):
            longest = max([min(len(c["label"]), 14) * 0.9, 3, *(len(r[i]) for r in cells)])
            if longest > _CELL_MAX:
                return {"kind": "fields", "cells": cells}
            weights.append(longest + 2)
        total = sum(weights)
        if total > _TABLE_WIDTH:
            return {"kind": "fields", "cells": cells}
        widths = [round(100 * w / total, 1) for w in weights]
        return {"kind": "table", "widths": widths, "cells": cells}

    @staticmethod
    def chunks(rows: list[Any], size: int = 3) -> list[tuple[int, list[Any]]]:
        """Rows in groups of ``size``, each with the number of its first row (from 1)."""
        return [(i + 1, rows[i : i + size]) for i in range(0, len(rows), size)]


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES.get(lang, "en_GB"))


@cache
def display(lang: str) -> Display:
    """The formatter for a language (built once: Babel's locale data takes a moment)."""
    return Display(lang)

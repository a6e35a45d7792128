"""Values as the reader sees them: dates, numbers, yes/no, countries, in sv, en and da."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from skydd.documents.display import display

DATE = {"type": "date"}
STAMP = {"type": "timestamp"}
BOOL = {"type": "boolean"}
NUMERIC = {"type": "numeric"}


@pytest.mark.parametrize(
    "lang, day, moment, yes, no",
    [
        ("sv", "5 mars 2026", "5 mars 2026 kl. 14:03", "Ja", "Nej"),
        ("en", "5 March 2026", "5 March 2026, 14:03", "Yes", "No"),
        ("da", "5. marts 2026", "5. marts 2026 kl. 14.03", "Ja", "Nej"),
    ],
)
def test_dates_and_booleans_in_the_language(
    lang: str, day: str, moment: str, yes: str, no: str
) -> None:
    d = display(lang)
    assert d.value(date(2026, 3, 5)) == day
    assert d.value("2026-03-05", DATE) == day  # SQLite hands dates over as text
    assert d.value("2026-03-05") == day  # also when the map does not give the type
    assert d.value(datetime(2026, 3, 5, 14, 3)) == moment
    assert d.value("2026-03-05 14:03:59", STAMP) == moment
    assert d.value("2026-03-05T14:03:00", DATE) == day
    assert d.value(True) == yes and d.value(False) == no
    assert d.value(1, BOOL) == yes and d.value(0, BOOL) == no


def test_nothing_is_a_dash_in_every_language() -> None:
    for lang in ("sv", "en", "da"):
        assert display(lang).value(None) == "–"
        assert display(lang).value("") == "–"


def test_numbers_use_the_language_s_separators() -> None:
    amount = Decimal("1234.5")
    assert display("sv").value(amount).replace("\u00a0", " ") == "1 234,5"
    assert display("en").value(amount) == "1,234.5"
    assert display("da").value(amount) == "1.234,5"
    # The decimals stored are kept: an amount of 1234.50 reads 1 234,50, not 1 234,5.
    assert display("sv").value("1234.50", NUMERIC).replace("\u00a0", " ") == "1 234,50"
    # Identifiers and counts are not grouped.
    assert display("sv").value(46153) == "46153"


def test_text_stays_as_it_is() -> None:
    d = display("sv")
    assert d.value("070-123 45 67", {"type": "text"}) == "070-123 45 67"
    assert d.value("2026-03-05", {"type": "text"}) == "2026-03-05"
    assert d.value("not a date 2026-13-45") == "not a date 2026-13-45"
    assert d.value("2026-13-45", DATE) == "2026-13-45"


def test_binary_and_structured_values() -> None:
    assert display("sv").value(b"\x00\x01\x02") == "binära data (3 byte)"
    assert display("en").value("base64:AAEC") == "binary data (3 bytes)"
    assert display("da").value({"a": 1}) == '{"a": 1}'


def test_countries_by_name() -> None:
    assert display("sv").country("US") == "USA"
    assert display("sv").country("GB") == "Storbritannien"
    assert display("da").country("NL") == "Nederlandene"
    assert display("en").country("US") == "United States"
    assert display("en").country("US", in_sentence=True) == "the United States"
    assert display("en").countries(["SE", "NL"], in_sentence=True) == "Sweden and the Netherlands"


def test_lists_end_with_the_language_s_and() -> None:
    assert display("sv").join(["a", "b", "c"]) == "a, b och c"
    assert display("en").join(["a", "b"]) == "a and b"
    assert display("da").join(["a", "b", "c"]) == "a, b og c"
    assert display("da").join(["a"]) == "a"


def test_layout_puts_narrow_tables_across_and_wide_ones_down() -> None:
    d = display("sv")
    narrow = {
        "columns": [
            {"name": "id", "label": "Id", "type": "integer"},
            {"name": "amount", "label": "Belopp", "type": "numeric"},
        ],
        "rows": [{"id": 1, "amount": "12.50"}],
    }
    layout = d.layout(narrow)
    assert layout["kind"] == "table"
    assert sum(layout["widths"]) == pytest.approx(100, abs=0.5)
    assert layout["cells"] == [["1", "12,50"]]  # each value formatted once, for the reader
    wide = {"columns": [{"name": f"c{i}", "label": f"Column {i}"} for i in range(12)], "rows": [{}]}
    assert d.layout(wide) == {"kind": "fields", "cells": [["–"] * 12]}
    long_text = {"columns": [{"name": "body", "label": "Text"}], "rows": [{"body": "x " * 60}]}
    assert d.layout(long_text) == {"kind": "fields", "cells": [["x " * 60]]}
    assert d.chunks([1, 2, 3, 4]) == [(1, [1, 2, 3]), (4, [4])]

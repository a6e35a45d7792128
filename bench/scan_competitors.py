"""Presidio and datafog on the scanner corpus; runs in bench/.venv-scan only.

    bench/.venv-scan/bin/python bench/scan_competitors.py CORPUS.json > predictions.json

Presidio needs a spaCy pipeline, and spaCy's trained models are not on PyPI here and
nothing may be downloaded at run time. So Presidio runs on *blank* spaCy pipelines
(spacy.blank("sv"/"da"/"en"): tokenizer only, no NER, saved to a temporary folder and
loaded from there), with its pattern recognizers for every language of the corpus:
email, phone (regions SE, DK, GB), credit card, IBAN, IP, MAC, the Swedish personnummer
and organisationsnummer recognizers (off by default; switched on here) and the UK
postcode. Without a trained model it finds no PERSON or LOCATION, and is faster than
with one (the issue's ~100 strings/s figure is with a model).

datafog runs its default regex engine (`datafog.scan(text, engine="regex")`).

Printed: {"presidio"|"datafog": {"preds": [[[kinds], start, end], ...] per item,
"seconds": CPU seconds of the fastest of three timed passes, "covers": [our detector names it has a
counterpart for], "setup": what was run}}.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

Pred = list[Any]

PRESIDIO_MAP = {
    "EMAIL_ADDRESS": ["email"],
    "PHONE_NUMBER": ["phone"],
    "CREDIT_CARD": ["card_number"],
    "IBAN_CODE": ["iban"],
    "IP_ADDRESS": ["ipv4", "ipv6"],
    "MAC_ADDRESS": ["mac_address"],
    "SE_PERSONNUMMER": ["personnummer", "samordningsnummer"],
    "SE_ORGANISATIONSNUMMER": ["organisationsnummer"],
    "UK_POSTCODE": ["postcode"],
    "PERSON": ["person_name"],
    "LOCATION": ["street_address", "postcode"],
}
DATAFOG_MAP = {
    "EMAIL": ["email"],
    "PHONE": ["phone"],
    "CREDIT_CARD": ["card_number"],
    "IP_ADDRESS": ["ipv4", "ipv6"],
    "ZIP": ["postcode"],
}


def _timed(items: list[dict[str, Any]], run: Callable[[dict[str, Any]], list[Pred]],
           warm: int) -> tuple[list[list[Pred]], float]:  # fmt: skip
    for item in items[:warm]:
        run(item)
    seconds = float("inf")
    for _ in range(3):  # the fastest of three passes counts, as for Skydd
        began = time.process_time()
        preds = [run(item) for item in items]
        seconds = min(seconds, time.process_time() - began)
    return preds, seconds


def presidio(items: list[dict[str, Any]]) -> dict[str, Any]:
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        MacAddressRecognizer,
        PhoneRecognizer,
        SeOrganisationsnummerRecognizer,
        SePersonnummerRecognizer,
        SpacyRecognizer,
        UkPostcodeRecognizer,
    )

    langs = ["sv", "da", "en"]
    tmp = Path(tempfile.mkdtemp(prefix="blank-spacy-"))
    models = []
    for lang in langs:
        spacy.blank(lang).to_disk(tmp / lang)
        models.append({"lang_code": lang, "model_name": str(tmp / lang)})
    nlp = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": models})
    registry = RecognizerRegistry(supported_languages=langs)
    for lang in langs:
        for recognizer in (
            EmailRecognizer(supported_language=lang),
            PhoneRecognizer(supported_language=lang, supported_regions=("SE", "DK", "GB")),
            CreditCardRecognizer(supported_language=lang),
            IbanRecognizer(supported_language=lang),
            IpRecognizer(supported_language=lang),
            MacAddressRecognizer(supported_language=lang),
            SePersonnummerRecognizer(supported_language=lang),
            SeOrganisationsnummerRecognizer(supported_language=lang),
            UkPostcodeRecognizer(supported_language=lang),
            SpacyRecognizer(supported_language=lang),
        ):
            registry.add_recognizer(recognizer)
    engine = AnalyzerEngine(
        registry=registry, nlp_engine=nlp.create_engine(), supported_languages=langs
    )

    def run(item: dict[str, Any]) -> list[Pred]:
        found = engine.analyze(text=item["text"], language=item["lang"])
        return [[PRESIDIO_MAP[r.entity_type], r.start, r.end] for r in found
                if r.entity_type in PRESIDIO_MAP]  # fmt: skip

    preds, seconds = _timed(items, run, warm=200)
    from importlib.metadata import version as installed

    version = installed("presidio-analyzer")
    return {
        "preds": preds,
        "seconds": seconds,
        "covers": sorted(
            {k for v in PRESIDIO_MAP.values() for k in v} - {"person_name"} - {"street_address"}
        ),  # fmt: skip
        "setup": f"presidio-analyzer {version}, spaCy {spacy.__version__} blank sv/da/en "
        "pipelines (no NER model), pattern recognizers incl. SE personnummer and "
        "organisationsnummer, phone regions SE/DK/GB, default score threshold",
    }


def datafog(items: list[dict[str, Any]]) -> dict[str, Any]:
    import datafog as df

    def run(item: dict[str, Any]) -> list[Pred]:
        result = df.scan(item["text"], engine="regex")
        return [[DATAFOG_MAP[e.type], e.start, e.end] for e in result.entities
                if e.type in DATAFOG_MAP]  # fmt: skip

    preds, seconds = _timed(items, run, warm=len(items))
    return {
        "preds": preds,
        "seconds": seconds,
        "covers": sorted({k for v in DATAFOG_MAP.values() for k in v}),
        "setup": f"datafog {df.__version__}, datafog.scan(text, engine='regex')",
    }


def main() -> None:
    items = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    json.dump({"presidio": presidio(items), "datafog": datafog(items)}, sys.stdout)


if __name__ == "__main__":
    main()

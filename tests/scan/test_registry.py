"""Detectors are registered like connectors: entry points, the built-ins included."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from skydd.errors import SkyddError
from skydd.retention.anonymise import scrub
from skydd.scan import Detector, detect, registry

NHS_TEXT = "NHS 943 476 5919 på remissen"


@pytest.fixture
def clean_registry() -> Iterator[None]:
    yield
    for name in ("nhs_number", "broken", "misnamed", "email"):
        registry.unregister(name)
    registry.refresh()


def test_built_ins_are_entry_points_of_the_group() -> None:
    assert registry.ENTRY_POINT_GROUP == "skydd.detectors"
    names = registry.detector_names()
    assert names[:3] == ["email", "iban", "mac_address"]
    assert {"personnummer", "samordningsnummer", "cpr", "bankgiro", "plusgiro", "imei"} <= set(
        names
    )
    for name, target in registry.DEFAULT_DETECTORS.items():
        assert target.startswith("skydd.scan.builtin:"), name


def test_a_plugin_registered_at_run_time(clean_registry: None) -> None:
    assert detect(NHS_TEXT) == []
    registry.register("nhs_number", "plugin_detectors:NHS")
    assert [m.detector for m in detect(NHS_TEXT)] == ["nhs_number"]
    assert "[nhs_number]" in scrub(NHS_TEXT)
    registry.unregister("nhs_number")
    assert detect(NHS_TEXT) == []


def test_a_plugin_factory_and_an_override(clean_registry: None) -> None:
    registry.register("nhs_number", "plugin_detectors:make_nhs")
    assert [m.detector for m in detect(NHS_TEXT)] == ["nhs_number"]
    registry.register("email", "plugin_detectors:NHS")  # wrong name: refused
    with pytest.raises(SkyddError, match="calls itself 'nhs_number'"):
        detect("x")


def test_a_target_that_is_no_detector(clean_registry: None) -> None:
    registry.register("broken", "plugin_detectors:NOT_A_DETECTOR")
    with pytest.raises(SkyddError, match="is not a Detector"):
        detect("x")


def test_an_installed_plugin_is_found_through_package_metadata(
    clean_registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = tmp_path / "skydd_nhs-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: skydd-nhs\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[skydd.detectors]\nnhs_number = plugin_detectors:NHS\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    registry.refresh()
    assert "nhs_number" in registry.detector_names()
    assert [m.detector for m in detect(NHS_TEXT)] == ["nhs_number"]


def test_patterns_with_capturing_groups_are_refused() -> None:
    with pytest.raises(ValueError, match="capturing groups"):
        Detector("x", "user", r"(\d+)", lambda t, c: True)
    with pytest.raises(ValueError, match="exactly one of validate or refine"):
        Detector("x", "user", r"\d+")

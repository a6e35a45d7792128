"""Which detectors the scanner runs.

Built-in detectors are registered exactly as a third party's are: as entry points
(`module:attribute`) in the `skydd.detectors` group, named by detector. The built-ins
are listed in DEFAULT_DETECTORS instead of package metadata, so they work from a
source checkout too. A plugin may replace a built-in by registering the same name.

A plugin declares, in its pyproject.toml:

    [project.entry-points."skydd.detectors"]
    nhs_number = "skydd_nhs:NHS_NUMBER"

The target is a `Detector`, or a callable without arguments that returns one.
Plugins are tried after the built-ins, in name order.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from skydd.errors import SkyddError
from skydd.scan.detector import Detector

ENTRY_POINT_GROUP = "skydd.detectors"

DEFAULT_DETECTORS: dict[str, str] = {
    name: f"skydd.scan.builtin:{attr}"
    for name, attr in (
        ("email", "EMAIL"),
        ("iban", "IBAN"),
        ("mac_address", "MAC"),
        ("ipv6", "IPV6"),
        ("ipv4", "IPV4"),
        ("personnummer", "PERSONNUMMER"),
        ("samordningsnummer", "SAMORDNINGSNUMMER"),
        ("organisationsnummer", "ORGNR"),
        ("cpr", "CPR"),
        ("card_number", "CARD"),
        ("imei", "IMEI"),
        ("bankgiro", "BANKGIRO"),
        ("plusgiro", "PLUSGIRO"),
        ("phone", "PHONE"),
        ("postcode", "POSTCODE"),
        ("street_address", "STREET"),
        ("person_name", "PERSON_NAME"),
    )
}

_extra: dict[str, EntryPoint] = {}
_version = [0]


def _entry(name: str, target: str) -> EntryPoint:
    return EntryPoint(name=name, value=target, group=ENTRY_POINT_GROUP)


@cache
def _installed() -> dict[str, EntryPoint]:
    """Built-ins, then installed plugins (which may override a built-in)."""
    found = {name: _entry(name, target) for name, target in DEFAULT_DETECTORS.items()}
    plugins = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
    found.update({ep.name: ep for ep in plugins})
    return found


def register(name: str, target: str) -> None:
    """Register a detector at run time, e.g. in tests: `register("nhs", "pkg.mod:NHS")`."""
    _extra[name] = _entry(name, target)
    _version[0] += 1


def unregister(name: str) -> None:
    if _extra.pop(name, None) is not None:
        _version[0] += 1


def refresh() -> None:
    """Read the installed plugins again (after installing one in a running process)."""
    _installed.cache_clear()
    _version[0] += 1


def version() -> int:
    """Changes whenever a detector is registered or removed at run time."""
    return _version[0]


def _load(entry: EntryPoint) -> Detector:
    target = entry.load()
    detector = target() if callable(target) and not isinstance(target, Detector) else target
    if not isinstance(detector, Detector):
        raise SkyddError(
            f"the detector registered as '{entry.name}' ({entry.value}) is not a Detector",
            hint="an entry point in the 'skydd.detectors' group must name a "
            "skydd.scan.Detector or a function that returns one",
        )
    if detector.name != entry.name:
        raise SkyddError(
            f"the detector registered as '{entry.name}' calls itself '{detector.name}'",
            hint="register it under its own name",
        )
    return detector


def detectors() -> list[Detector]:
    """Every registered detector, built-ins first in their order, then plugins."""
    registry = {**_installed(), **_extra}
    return [_load(entry) for entry in registry.values()]


def detector_names() -> list[str]:
    return list({**_installed(), **_extra})

"""Demo databases for the example companies: `skydd demo`.

`build_demo` copies an example's data map into a folder and builds its databases
with plausible, deterministic data and the awkward cases real data has, recorded in
``demo-facts.json``. `skydd.demo.generate.generate` does the building for any data map.
"""

from __future__ import annotations

from skydd.demo.build import DEFAULT_DIR, DemoResult, build_demo, example_map, examples_dir
from skydd.demo.companies import COMPANIES
from skydd.demo.facts import FACTS_FILE, DemoFacts, PlantedPerson, PlantedValue

__all__ = [
    "COMPANIES",
    "DEFAULT_DIR",
    "FACTS_FILE",
    "DemoFacts",
    "DemoResult",
    "PlantedPerson",
    "PlantedValue",
    "build_demo",
    "example_map",
    "examples_dir",
]

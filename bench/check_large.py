"""How long `skydd check` takes on a large data map: 500 tables, 10,000 columns.

The goal is under a second for the whole command. The map is written to a
temporary folder, then three things are timed on the same file: PyYAML's C
loader alone (the floor), `run_check` in-process, and the `skydd` command as a
subprocess, which includes the interpreter's start-up and Skydd's imports.

    .venv/bin/python bench/check_large.py [--tables 500] [--columns 20] [--markdown]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from skydd.checking import run_check
from skydd.datamap.lint import lint
from skydd.datamap.loader import read_yaml
from skydd.datamap.models import DataMap
from skydd.datamap.validate import cross_check

SYSTEMS = ("crm", "erp", "shop", "support", "hr")
SUBJECTS = ("customer", "supplier", "employee", "visitor")
LANGS = ("sv", "en", "da")
# Categories a real map uses; each column takes one in turn.
CATEGORIES = (
    "user.name",
    "user.contact.phone_number",
    "user.contact.address",
    "user.financial",
    "user.demographic.date_of_birth",
    "user.device.ip_address",
    "system.operations",
    "system.operations",
    "system.operations",
    "user.behavior.purchase_history",
)


def _labels(text: str) -> dict[str, str]:
    return {lang: f"{text} ({lang})" for lang in LANGS}


def _purposes() -> dict[str, Any]:
    purposes: dict[str, Any] = {}
    for i in range(12):
        purpose: dict[str, Any] = {"labels": _labels(f"Purpose {i}"), "subjects": list(SUBJECTS)}
        match i % 3:
            case 0:
                purpose["legal_basis"] = "contract"
            case 1:
                purpose.update(legal_basis="legal_obligation", law="Bokföringslagen (1999:1078)")
            case _:
                purpose.update(
                    legal_basis="legitimate_interest",
                    legitimate_interest=_labels("Keeping customers informed"),
                )
        purposes[f"purpose_{i}"] = purpose
    return purposes


def _table(system: str, t: int, columns: int) -> dict[str, Any]:
    cols: dict[str, Any] = {
        "id": {"category": "user.unique_id", "identity": "customer_number"},
        "email": {"category": "user.contact.email", "identity": "email", "anonymise": "hash"},
        "member_no": {"category": "user.unique_id", "identity": "member_number"},
        "updated_at": {"category": "system.operations"},
    }
    refs: list[dict[str, Any]] = []
    if t > 0:
        cols["parent_id"] = {"category": "system.operations"}
        refs.append({"column": "parent_id", "to": f"t{t - 1:03d}.id", "on_delete": "cascade"})
    if system != SYSTEMS[0]:
        cols["crm_id"] = {"category": "user.unique_id"}
        refs.append({"column": "crm_id", "to": f"{SYSTEMS[0]}.t000.id", "shared": t % 2 == 0})
    for c in range(columns - len(cols)):
        cols[f"attr_{c:02d}"] = {"category": CATEGORIES[(t + c) % len(CATEGORIES)]}
    table: dict[str, Any] = {
        "labels": _labels(f"{system} table {t}"),
        "subjects": [SUBJECTS[t % len(SUBJECTS)]],
        "purposes": [f"purpose_{t % 12}", f"purpose_{(t + 1) % 12}"],
        "primary_key": "id",
        "columns": cols,
        "references": refs,
        "erasure": {"action": "hold", "hold": "bookkeeping"}
        if t % 10 == 0
        else {"action": "delete"},
    }
    return table


def build_map(tables: int, columns: int) -> dict[str, Any]:
    """A valid map: `tables` tables over five systems, `columns` columns each."""
    per_system = tables // len(SYSTEMS)
    systems = {
        name: {
            "url": f"sqlite:///{name}.db",
            "processor": "hosting" if name == "shop" else None,
            "tables": {f"t{t:03d}": _table(name, t, columns) for t in range(per_system)},
        }
        for name in SYSTEMS
    }
    for system in systems.values():
        if system["processor"] is None:
            del system["processor"]
    names = [f"{s}.t{t:03d}" for s in SYSTEMS for t in range(per_system)]
    rules = {
        f"rule_{i:02d}": {
            "labels": _labels(f"Rule {i}"),
            "tables": names[i : i + 10],
            "anchor": "updated_at",
            "period": f"{2 + i % 8} years",
            "align": "end_of_year",
            "holds": ["bookkeeping"],
        }
        for i in range(0, len(names), 10)
    }
    return {
        "version": 1,
        "controller": {
            "name": "Storföretaget AB",
            "org_number": "556000-0000",
            "email": "privacy@example.se",
            "address": "Storgatan 1, 111 22 Stockholm",
            "country": "SE",
            "dpo": {"name": "Dana Dataskydd", "email": "dpo@example.se"},
        },
        "subjects": {s: {"labels": _labels(s)} for s in SUBJECTS},
        "identities": {"member_number": {"labels": _labels("Member number")}},
        "purposes": _purposes(),
        "systems": systems,
        "retention": {
            "rules": rules,
            "holds": {
                "bookkeeping": {
                    "labels": _labels("Bookkeeping duty"),
                    "law": "Bokföringslagen (1999:1078) 7 kap. 2 §",
                    "tables": names[::10],
                    "anchor": "updated_at",
                    "period": "7 years",
                    "align": "end_of_year",
                }
            },
        },
        "recipients": {
            "hosting": {
                "name": "Hosting AB",
                "kind": "processor",
                "country": "SE",
                "categories": sorted({"user.unique_id", "user.contact.email", *CATEGORIES}),
                "purposes": ["purpose_0"],
                "dpa": {"reference": "DPA 2025", "signed": date(2025, 1, 1)},
            }
        },
    }


def _cpu() -> float:
    """CPU seconds of this process and its finished children: steadier than the wall clock
    on a shared machine."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _median(runs: int, func: Callable[[], object]) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `runs` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), _cpu()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _stages(file: Path) -> dict[str, tuple[float, float]]:
    """Where run_check spends its time, each stage as load_map runs it (cyclic GC paused)."""
    times: dict[str, tuple[float, float]] = {}
    state: dict[str, Any] = {}

    def stage(name: str, func: Callable[[], object], key: str, paused: bool = True) -> None:
        if paused:
            gc.disable()
        try:
            wall, cpu = time.perf_counter(), _cpu()
            state[key] = func()
            times[name] = (time.perf_counter() - wall, _cpu() - cpu)
        finally:
            gc.enable()

    stage("read YAML with lines (read_yaml)", lambda: read_yaml(file), "raw")
    raw, source, _ = state["raw"]
    stage("models (DataMap.model_validate)", lambda: DataMap.model_validate(raw), "map")
    stage("cross-references (cross_check)", lambda: cross_check(state["map"], source), "issues")
    stage("lint", lambda: lint(state["map"], source), "findings", paused=False)
    assert not state["issues"], state["issues"][:3]
    return times


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"PyYAML {yaml.__version__} with libyaml: {yaml.__with_libyaml__}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=500)
    parser.add_argument("--columns", type=int, default=20, help="columns per table")
    parser.add_argument("--markdown", action="store_true", help="print a RESULTS.md section")
    args = parser.parse_args()
    load = "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())

    skydd = shutil.which("skydd", path=str(Path(sys.executable).parent)) or "skydd"
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "privacy.yaml"
        data = build_map(args.tables, args.columns)
        file.write_text(
            yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        report = run_check(file)  # also warms up imports and caches
        if report.issues:
            for issue in report.issues[:10]:
                print(issue.render(), file=sys.stderr)
            raise SystemExit("the generated map is not valid")
        summary = report.summary()
        size = file.stat().st_size

        baseline = _median(5, lambda: yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader))
        gc.disable()
        floor = _median(5, lambda: yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader))
        gc.enable()
        in_process = _median(5, lambda: run_check(file))
        stages = _stages(file)

        def cli() -> None:
            done = subprocess.run([skydd, "check", "--map", str(file)], capture_output=True)
            assert done.returncode in (0, 1), done.stderr.decode()

        command = _median(3, cli)
        imports = [sys.executable, "-c", "import skydd.cli, skydd.checking"]
        startup = _median(3, lambda: subprocess.run(imports, check=True))

    rows = [
        ("yaml.load, CSafeLoader (baseline)", baseline),
        ("yaml.load, CSafeLoader, cyclic GC paused", floor),
        ("run_check in-process (median of 5)", in_process),
        *((f"  {name}", seconds) for name, seconds in stages.items()),
        ("skydd check, subprocess (median of 3)", command),
        ("  start-up alone: python -c 'import skydd.cli, skydd.checking'", startup),
    ]
    title = (
        f"{summary['tables']} tables, {summary['columns']} columns, "
        f"{summary['systems']} systems, {summary['purposes']} purposes; "
        f"{size / 1e6:.2f} MB; exit {report.exit_code} "
        f"({summary['error']} lint errors, {summary['warning']} warnings)"
    )
    if args.markdown:
        print(f"Map: {title}. Machine: {machine()}; {load} at the start.\n")
        print("| step | wall s | CPU s | wall × baseline |\n|---|---:|---:|---:|")
        for name, (wall, cpu) in rows:
            name = name.replace("  ", "↳ ", 1) if name.startswith("  ") else name
            print(f"| {name} | {wall:.3f} | {cpu:.3f} | {wall / baseline[0]:.2f} |")
    else:
        print(title)
        print(f"{machine()}; {load} at the start")
        width = max(len(name) for name, _ in rows)
        print(f"{'step':<{width}}  {'wall s':>7}  {'CPU s':>7}  {'× baseline':>10}")
        for name, (wall, cpu) in rows:
            print(f"{name:<{width}}  {wall:7.3f}  {cpu:7.3f}  {wall / baseline[0]:10.2f}")
        verdict = "meets" if command[0] < 1.0 else "MISSES"
        print(f"`skydd check` {command[0]:.2f} s: {verdict} the goal of under 1 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`skydd scan --full` on one system of a demo: values per second per core.

The whole 1,000,000-person demo holds tens of millions of values; one system of it
shows the full-read rate without taking an hour of a shared machine.

    .venv/bin/skydd demo astrak --people 1000000 --dir /tmp/scan1m --no-serve
    .venv/bin/python bench/scan_full.py --map /tmp/scan1m/privacy.yaml --system chat
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from skydd.datamap.loader import load_map
from skydd.scan.runner import scan_map


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--map", required=True)
    parser.add_argument("--system", required=True)
    args = parser.parse_args()
    loaded = load_map(args.map)
    only = {args.system: loaded.datamap.systems[args.system]}
    loaded = dataclasses.replace(
        loaded, datamap=loaded.datamap.model_copy(update={"systems": only})
    )
    began = time.process_time()
    report = scan_map(loaded, sample=None)
    cpu = time.process_time() - began
    stats = report.as_dict()["stats"]
    print(
        f"{args.system}: {stats['tables']} tables, {stats['columns']} columns, "
        f"{stats['values']:,} values in {stats['seconds']:.1f} s wall, {cpu:.1f} s CPU: "
        f"{stats['values_per_second_per_core']:,} values/s wall, "
        f"{stats['values'] / cpu:,.0f} values/s per CPU-second; "
        f"{len(report.findings)} findings"
    )


if __name__ == "__main__":
    main()

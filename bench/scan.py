"""Scanner accuracy and speed on the labelled corpus, side by side with Presidio and datafog.

Skydd runs in the project's venv. Presidio and datafog run in their own venv
(bench/.venv-scan, never the project's), through bench/scan_competitors.py, on the
same corpus file in the same run. Each item is one value (a column value or a piece
of free text); column values are given their column name as hints where the tool
takes any (Skydd does; the others do not).

Speed is CPU time of one process (time.process_time), the fastest of three passes over
the corpus after a first pass has loaded what each tool loads lazily: the machine is
shared, and wall-clock time would measure the neighbours.

Scoring is per detector and per span: a prediction counts when its span overlaps a
labelled span of the same kind; every other prediction is a false positive of its
kind, every labelled span left over a false negative. Entity types a tool has no
counterpart for in the corpus (datafog's SSN, DOB; Presidio's DATE_TIME, URL) are
dropped, not counted against it.

    python3 -m venv bench/.venv-scan && bench/.venv-scan/bin/pip install presidio-analyzer datafog
    .venv/bin/python bench/scan.py [--items 6000] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scan_corpus import corpus  # noqa: E402

from skydd.scan.engine import default_engine  # noqa: E402

BENCH_PYTHON = HERE / ".venv-scan" / "bin" / "python"
PASSES = 3  # timed passes per tool; the fastest counts (the machine is shared)
Pred = tuple[list[str], int, int]  # (kinds it may count as, start, end)


def run_skydd(items: list[dict[str, Any]]) -> tuple[list[list[Pred]], float]:
    engine = default_engine()
    hints = [engine.hints_for(i["column"]) if i["column"] else frozenset() for i in items]

    def once() -> list[Any]:
        return [
            engine.detect_value(i["text"], hints=h) if i["column"] else engine.detect(i["text"])
            for i, h in zip(items, hints, strict=True)
        ]

    once()  # warm up: phone metadata and name lists load on first use
    seconds = float("inf")
    for _ in range(PASSES):
        began = time.process_time()
        found = once()
        seconds = min(seconds, time.process_time() - began)
    return [[([m.detector], m.start, m.end) for m in f] for f in found], seconds


def run_competitors(path: Path) -> dict[str, Any]:
    if not BENCH_PYTHON.exists():
        print(f"no {BENCH_PYTHON}: skipping Presidio and datafog (see the docstring)")
        return {}
    out = subprocess.run(
        # -P: bench/ holds modules (queue.py) that would shadow the standard library
        [str(BENCH_PYTHON), "-P", str(HERE / "scan_competitors.py"), str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def score(items: list[dict[str, Any]], preds: list[list[Pred]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    for item, found in zip(items, preds, strict=True):
        gold = [tuple(g) for g in item["labels"]]
        used = [False] * len(gold)
        for kinds, start, end in found:
            hit = next(
                (
                    n
                    for n, (kind, s, e) in enumerate(gold)
                    if not used[n] and kind in kinds and start < e and s < end
                ),
                None,
            )
            if hit is None:
                counts[kinds[0]]["fp"] += 1
            else:
                used[hit] = True
                counts[gold[hit][0]]["tp"] += 1
        for n, (kind, _, _) in enumerate(gold):
            if not used[n]:
                counts[str(kind)]["fn"] += 1
    return counts


def prf(c: dict[str, int]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def micro(counts: dict[str, dict[str, int]], only: set[str] | None = None) -> tuple[float, ...]:
    total = {"tp": 0, "fp": 0, "fn": 0}
    for kind, c in counts.items():
        if only is None or kind in only:
            for k in total:
                total[k] += c[k]
    return prf(total)


def _fmt(c: dict[str, int] | None) -> str:
    if c is None or c["tp"] + c["fn"] + c["fp"] == 0:
        return "-"
    p, r, _ = prf(c)
    if c["tp"] + c["fp"] == 0:
        return f"– / {r:.3f}"  # predicted nothing of this kind: no precision to speak of
    return f"{p:.3f} / {r:.3f}"


def report(
    items: list[dict[str, Any]],
    tools: dict[str, tuple[dict[str, dict[str, int]], float, set[str] | None]],
) -> str:
    kinds = sorted({g[0] for i in items for g in i["labels"]})
    lines = [
        f"Corpus: {len(items)} values ({sum(1 for i in items if i['column'])} column values, "
        f"{sum(1 for i in items if not i['column'])} free texts), "
        f"{sum(len(i['labels']) for i in items)} labelled spans, "
        f"{sum(1 for i in items if i['near'])} near misses.",
        "",
        "| detector | labelled | " + " | ".join(f"{t} P / R" for t in tools) + " |",
        "|---|---:|" + "---:|" * len(tools),
    ]
    for kind in kinds:
        n = sum(1 for i in items for g in i["labels"] if g[0] == kind)
        cells = [_fmt(counts.get(kind)) for counts, _, _ in tools.values()]
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    lines += ["", "| tool | values/s | micro P | micro R | micro F1 | F1 on what it covers |",
              "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, (counts, seconds, covers) in tools.items():
        p, r, f = micro(counts)
        fc = micro(counts, covers)[2] if covers else f
        rate = len(items) / seconds if seconds else 0.0
        lines.append(f"| {name} | {rate:,.0f} | {p:.3f} | {r:.3f} | {f:.3f} | {fc:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skydd-only", action="store_true")
    parser.add_argument("--show-errors", type=str, default="")
    args = parser.parse_args()
    items = corpus(args.items, args.seed)
    preds, seconds = run_skydd(items)
    tools: dict[str, tuple[dict[str, dict[str, int]], float, set[str] | None]] = {
        "skydd": (score(items, preds), seconds, None)
    }
    if args.show_errors:
        _show(items, preds, args.show_errors)
    if not args.skydd_only:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "corpus.json"
            path.write_text(json.dumps(items, ensure_ascii=False))
            others = run_competitors(path)
        for name, result in others.items():
            found = [[(list(k), s, e) for k, s, e in row] for row in result["preds"]]
            tools[name] = (score(items, found), result["seconds"], set(result["covers"]))
            print(f"{name}: {result['setup']}")
    print(report(items, tools))


def _show(items: list[dict[str, Any]], preds: list[list[Pred]], kind: str) -> None:
    for item, found in zip(items, preds, strict=True):
        gold = {(g[0], g[1], g[2]) for g in item["labels"] if g[0] == kind}
        got = {(k[0], s, e) for k, s, e in found if k[0] == kind}
        if gold != got:
            print(repr(item["text"]), item["column"], "gold", gold, "got", got, file=sys.stderr)


if __name__ == "__main__":
    main()

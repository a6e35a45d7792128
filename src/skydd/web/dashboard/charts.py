"""Charts as inline SVG, drawn on the server: no script, no external asset.

Each chart carries a <title> and <desc> for screen readers, and the page shows the same
figures as a table beside it, so that nothing is only in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 220, 36
COLOURS = ("#1d4f7c", "#b35900", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    description: str,
    percent: bool = False,
) -> Markup:
    """Grouped bars: one group per label, one bar per series."""
    top = 1.0 if percent else _nice_max(max([v for _, vs in series for v in vs] or [0]))
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    group = inner_w / max(len(labels), 1)
    bar = max(group * 0.8 / max(len(series), 1), 1.0)
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>",
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#4d4d4d"/>',
    ]
    for tick in (0.0, 0.5, 1.0):
        y = HEIGHT - PAD - tick * inner_h
        text = f"{tick:.0%}" if percent else f"{top * tick:,.0f}"
        parts.append(
            f'<text x="{PAD - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{text}</text>'
        )
    for i, label in enumerate(labels):
        x0 = PAD + i * group + group * 0.1
        for j, (_, values) in enumerate(series):
            value = values[i] if i < len(values) else 0
            h = inner_h * (value / top if top else 0)
            x = x0 + j * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
        parts.append(
            f'<text x="{x0 + group * 0.4:.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle" '
            f'font-size="10">{escape(label)}</text>'
        )
    for j, (name, _) in enumerate(series):
        x = PAD + j * 150
        parts.append(
            f'<rect x="{x}" y="6" width="10" height="10" fill="{COLOURS[j % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="15" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))

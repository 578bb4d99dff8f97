"""The geometry of the site's two charts, as numbers for the SVG templates to draw.

- Cumulative flow: at each point (a month end, then the as-at day) the stages are stacked
  bottom to top Closed, Release, Opine, Refine, Define, then the modifications whose stage that
  day the register cannot say (a fact known only by a bound: ``unknown``, hatched, in the legend
  only when some point has one); each is one filled band.
- Assessment durations: one horizontal bar per DCC assessment (its actual or current duration in
  WD) with a mark at its target; only the most recent ``MAX_BARS`` are drawn (the table beside the
  chart lists them all).
Coordinates are rounded to one decimal so the output is stable and short.
"""

from __future__ import annotations

from typing import Any

STACK = ("closed", "release", "opine", "refine", "define", "unknown")
NAMES = {"unknown": "Stage not known"}
MAX_BARS = 40


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above ``value`` (at least 5)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= max(value, 5):
                return factor * step
        step *= 10


def _r(x: float) -> float:
    return round(x, 1)


def flow_chart(points: list[dict[str, Any]], width: int = 760, height: int = 320) -> dict[str, Any]:
    """Bands of a stacked area chart of stage counts over ``points``."""
    left, right, top, bottom = 48, 140, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max((sum(p["counts"][s] for s in STACK) for p in points), default=0))
    n = len(points)
    unknown = any(p["counts"]["unknown"] for p in points)

    def x(i: int) -> float:
        return _r(left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2))

    def y(value: int) -> float:
        return _r(top + plot_h - plot_h * value / peak)

    bands, below = [], [0] * n
    for stage in STACK:
        above = [below[i] + points[i]["counts"][stage] for i in range(n)]
        outline = [(x(i), y(above[i])) for i in range(n)] + [(x(i), y(below[i])) for i in reversed(range(n))]
        bands.append(
            {
                "stage": stage,
                "name": NAMES.get(stage, stage.title()),
                "points": " ".join(f"{px},{py}" for px, py in outline),
            }
        )
        below = above
    every = max(1, (n + 7) // 8)
    x_ticks = [{"x": x(i), "label": points[i]["label"]} for i in range(0, n, every)]
    y_ticks = [{"y": y(v), "label": str(v)} for v in range(0, peak + 1, max(1, peak // 5))]
    return {
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "plot_w": plot_w,
        "plot_h": plot_h,
        "bottom_y": top + plot_h,
        "bands": bands,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "legend_x": left + plot_w + 12,
        "legend": [
            {"stage": s, "name": NAMES.get(s, s.title()), "y": top + 4 + 18 * k}
            for k, s in enumerate(s for s in reversed(STACK) if s != "unknown" or unknown)
        ],
        "unknown": unknown,
    }


def duration_chart(rows: list[dict[str, Any]], width: int = 760) -> dict[str, Any]:
    """Bars of each charted assessment's duration against its target, both in WD."""
    charted = rows[-MAX_BARS:]
    left, right, top, bar, gap = 150, 24, 28, 14, 6
    plot_w = width - left - right
    peak = _nice_max(max([r["duration_wd"] or 0 for r in charted] + [r["target_wd"] for r in charted], default=0))
    height = top + len(charted) * (bar + gap) + 30

    def x(value: int) -> float:
        return _r(left + plot_w * value / peak)

    bars = []
    for k, r in enumerate(charted):
        y0 = top + k * (bar + gap)
        duration = r["duration_wd"] or 0
        bars.append(
            {
                "label": f"{r['id']} {r['assessment']}",
                "y": y0,
                "text_y": y0 + bar - 3,
                "height": bar,
                "x": left,
                "width": _r(x(duration) - left),
                "target_x": x(r["target_wd"]),
                "over": duration > r["target_wd"],
                "open": r["open"],
                "duration": duration,
                "target": r["target_wd"],
            }
        )
    ticks = [{"x": x(v), "label": str(v)} for v in range(0, peak + 1, max(1, peak // 5))]
    return {
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "plot_w": plot_w,
        "bottom_y": height - 30,
        "bars": bars,
        "ticks": ticks,
        "charted": len(charted),
        "total": len(rows),
    }

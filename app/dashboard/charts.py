"""Server-side SVG charts (no JavaScript; presentation attributes only, which the CSP allows)."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

COLORS = {"on_time": "#2e7d32", "late": "#ef6c00", "overdue": "#c62828", "open": "#90a4ae",
          "progress": "#1565c0", "line": "#c62828", "bar": "#90caf9"}


def _short(s: str, n: int = 44) -> str:
    return s if len(s) <= n else s[:n - 1] + "…"


def _text(x: float, y: float, s: str, anchor: str = "start", size: int = 12, fill: str = "#263238") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}">{escape(s)}</text>')


def stacked_bars(title: str, labels: list[str], series: list[tuple[str, str, list[int]]]) -> Markup:
    """Horizontal stacked bars, one per label; series = (name, color, values)."""
    label_w, bar_w, row_h, top = 330, 420, 26, 8
    height = top + row_h * len(labels) + 40
    total = max([sum(v[i] for _, _, v in series) for i in range(len(labels))] or [0]) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 60} {height}" '
           f'role="img" aria-label="{escape(title)}">']
    for i, label in enumerate(labels):
        y = top + i * row_h
        out.append(_text(label_w - 8, y + 16, _short(label), "end"))
        x = label_w
        for name, color, values in series:
            w = bar_w * values[i] / total
            if w > 0:
                out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{color}">'
                           f'<title>{escape(label)} · {escape(name)}: {values[i]}</title></rect>')
            x += w
        out.append(_text(x + 4, y + 16, str(sum(v[i] for _, _, v in series))))
    lx = label_w
    for name, color, _ in series:
        out.append(f'<rect x="{lx}" y="{height - 22}" width="12" height="12" fill="{color}"/>')
        out.append(_text(lx + 16, height - 12, name))
        lx += 16 + 8 * len(name) + 12
    out.append("</svg>")
    return Markup("".join(out))


def percent_bars(title: str, labels: list[str], ratios: list[float | None]) -> Markup:
    label_w, bar_w, row_h, top = 330, 420, 26, 8
    height = top + row_h * len(labels) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 70} {height}" '
           f'role="img" aria-label="{escape(title)}">']
    for i, (label, r) in enumerate(zip(labels, ratios)):
        y = top + i * row_h
        out.append(_text(label_w - 8, y + 16, _short(label), "end"))
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" fill="#eceff1"/>')
        if r:
            out.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * r:.1f}" height="{row_h - 8}" '
                       f'fill="{COLORS["progress"]}"/>')
        pct = "—" if r is None else f"{r * 100:.0f} %"
        out.append(_text(label_w + bar_w + 6, y + 16, pct))
    out.append("</svg>")
    return Markup("".join(out))


def burndown(title: str, labels: list[str], due: list[int], remaining: list[int]) -> Markup:
    """Bars: open tasks due each month; line: open tasks still due after it."""
    w, h, left, bottom, top = 700, 240, 40, 40, 12
    n = max(len(labels), 1)
    peak = max(due + remaining + [1])
    step = (w - left - 10) / n
    sy = (h - top - bottom) / peak

    def y(v):
        return h - bottom - v * sy

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
           f'aria-label="{escape(title)}">',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - 10}" y2="{h - bottom}" stroke="#90a4ae"/>',
           _text(left - 6, y(peak) + 4, str(peak), "end"), _text(left - 6, h - bottom + 4, "0", "end")]
    points = []
    every = -(-n // 14)  # past 14 months the labels would overlap: name every k-th month
    for i, label in enumerate(labels):
        x = left + i * step
        out.append(f'<rect x="{x + step * 0.2:.1f}" y="{y(due[i]):.1f}" width="{step * 0.6:.1f}" '
                   f'height="{due[i] * sy:.1f}" fill="{COLORS["bar"]}"><title>{escape(label)}: '
                   f'{due[i]} đến hạn</title></rect>')
        if i % every == 0:
            out.append(_text(x + step / 2, h - bottom + 16, label, "middle", 11))
        points.append(f"{x + step / 2:.1f},{y(remaining[i]):.1f}")
    if points:
        out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{COLORS["line"]}" stroke-width="2"/>')
    out.append(f'<rect x="{left}" y="{h - 14}" width="12" height="12" fill="{COLORS["bar"]}"/>')
    out.append(_text(left + 16, h - 4, "Đến hạn trong tháng"))
    out.append(f'<rect x="{left + 190}" y="{h - 10}" width="14" height="3" fill="{COLORS["line"]}"/>')
    out.append(_text(left + 210, h - 4, "Còn lại sau tháng"))
    out.append("</svg>")
    return Markup("".join(out))

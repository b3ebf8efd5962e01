"""A self-contained SVG bar chart of one run: req/s per scenario, p99 beside each bar."""

from xml.sax.saxutils import escape

ROW = 30
LABEL_WIDTH = 390
BAR_WIDTH = 430
RIGHT = 170
TOP = 56
COLORS = {"peer": "#9aa5b1", "ours": "#2b7bb9"}


def _nice_scale(value):
    """The axis maximum (1, 2, 2.5 or 5 times a power of ten) and its number of ticks."""
    step = 1
    while step * 10 <= value:
        step *= 10
    for mantissa, ticks in ((1, 5), (2, 4), (2.5, 5), (5, 5), (10, 5)):
        if mantissa * step >= value:
            return mantissa * step, ticks
    return 10 * step, 5


def render(results, title, subtitle):
    rows = [r for r in results if r["result"]["rps"] > 0]
    width = LABEL_WIDTH + BAR_WIDTH + RIGHT
    height = TOP + ROW * len(rows) + 50
    scale_max, ticks = _nice_scale(max((r["result"]["rps"] for r in rows), default=1))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="12" y="22" font-size="16" font-weight="bold">{escape(title)}</text>',
           f'<text x="12" y="42" fill="#555">{escape(subtitle)}</text>']
    for i in range(ticks + 1):
        x = LABEL_WIDTH + BAR_WIDTH * i / ticks
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" '
                   f'y2="{TOP + ROW * len(rows)}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP + ROW * len(rows) + 16}" text-anchor="middle" '
                   f'fill="#555">{scale_max * i / ticks:,.0f}</text>')
    for i, r in enumerate(rows):
        y = TOP + ROW * i
        rps = r["result"]["rps"]
        kind = "peer" if r["key"].startswith("nginx-") else "ours"
        length = BAR_WIDTH * rps / scale_max
        out.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end">'
                   f'{escape(r["label"])}</text>')
        out.append(f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{length:.1f}" height="{ROW - 10}" '
                   f'fill="{COLORS[kind]}"/>')
        out.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 18}">{rps:,.0f} req/s, '
                   f'p99 {r["result"]["p99_us"] / 1000:.2f} ms</text>')
    legend_y = TOP + ROW * len(rows) + 38
    out.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH / 2}" y="{legend_y}" text-anchor="middle">'
               f'requests per '
               f'second (wrk -t1 -c16)</text>')
    for j, (kind, label) in enumerate((("ours", "Mysfits"), ("peer", "nginx peer"))):
        x = 12 + 110 * j
        out.append(f'<rect x="{x}" y="{legend_y - 11}" width="12" height="12" '
                   f'fill="{COLORS[kind]}"/>')
        out.append(f'<text x="{x + 17}" y="{legend_y}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"

"""Charts rendered on the server with matplotlib as SVG (no JavaScript, no CDN), served as images.

Built on matplotlib's object API (``Figure`` with its own canvas), never ``pyplot``: pyplot keeps global state and is
not safe in a threaded server. Views return ``svg_response(...)``; pages embed them with ``<img src="...">``. An SVG
loaded as an image cannot run scripts, and its response carries its own strict Content-Security-Policy that only
allows the SVG's inline styles. Labels from users are plain text, never mathtext (``$...$``).

Numbers on the axes and beside bars are written in the active language (``core.numbers.format_number``: "82,56" in
Indonesian, "82.56" in English). A trend line may take numeric ``positions`` (years, fractional years) so that 2018,
2019, 2022 and 2024 stand at their true distances.
"""

import io
from collections.abc import Sequence
from decimal import Decimal

import matplotlib
from django.http import HttpResponse
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pantau.core.numbers import format_number

matplotlib.rcParams["text.parse_math"] = False  # set once at import: names and labels from users are never mathtext

SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"
PALETTE = {"hijau": "#1b7f3b", "kuning": "#d4a017", "merah": "#c0392b", "hitam": "#222222", "A": "#1b7f3b",
           "B": "#6aa84f", "C": "#d4a017", "D": "#c0392b", "default": "#0b4f6c"}


def _figure(width: float) -> tuple[Figure, Axes]:
    """A new figure (own canvas, no global state) and its one set of axes."""
    fig = Figure(figsize=(width, 3.0), dpi=100)
    FigureCanvasSVG(fig)
    return fig, fig.add_subplot()


def _svg(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def _text(value: object) -> str:
    """A label as plain text (``text.parse_math`` is off, so "$" stays a dollar sign)."""
    return str(value)


def _numbers(axis: object) -> None:
    """Tick labels of a value axis in the active language's number style (20 -> "20", 12.5 -> "12,5" in
    Indonesian)."""
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: format_number(float(value))))  # type: ignore[attr-defined]


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Decimal | float],
    *,
    title: str = "",
    colors: Sequence[str] | None = None,
    ymax: float = 100.0,
    thresholds: Sequence[tuple[float, str]] = (),
) -> bytes:
    """A vertical bar chart as SVG bytes. ``values`` on 0..``ymax``; ``colors`` keys of PALETTE or hex codes;
    ``thresholds`` draws dashed horizontal lines (value, label), e.g. grade bounds."""
    fig, ax = _figure(max(4.0, 0.6 * len(labels) + 1.5))
    palette = [PALETTE.get(c, c) for c in (colors or ["default"] * len(values))]
    ax.bar([_text(label) for label in labels], [float(v) for v in values], color=palette)
    for value, label in thresholds:
        ax.axhline(value, linestyle="--", linewidth=0.8, color="#666666")
        ax.annotate(_text(label), (len(labels) - 0.5, value), fontsize=7, ha="right", va="bottom", color="#444444")
    ax.set_ylim(0, ymax)
    _numbers(ax.yaxis)
    ax.set_title(_text(title), fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    return _svg(fig)


def line_chart(
    labels: Sequence[str], values: Sequence[Decimal | float | None], *, title: str = "", ymax: float = 100.0,
    thresholds: Sequence[tuple[float, str]] = (), positions: Sequence[float] | None = None,
) -> bytes:
    """A trend line (e.g. a score over years) as SVG bytes; None values leave a gap. ``positions``: the numeric x of
    each point (e.g. the years 2018, 2019, 2022, 2024, or fractional years for periods), so the time axis is true
    (gaps stand as gaps), each point labelled with its label; without them the points are evenly spaced."""
    span = (max(positions) - min(positions) + 1) if positions else len(labels)
    fig, ax = _figure(max(4.0, min(0.7 * span + 1.5, 9.0)))
    points = [float(v) if v is not None else float("nan") for v in values]
    xs = [float(x) for x in positions] if positions is not None else list(range(len(labels)))
    ax.plot(xs, points, marker="o", color=PALETTE["default"])
    ax.set_xticks(xs, [_text(label) for label in labels])
    if len(xs) == 1:
        ax.set_xlim(xs[0] - 1, xs[0] + 1)
    right = max(xs) if xs else 0
    for value, label in thresholds:
        ax.axhline(value, linestyle="--", linewidth=0.8, color="#666666")
        ax.annotate(_text(label), (right, value), fontsize=7, ha="right", va="bottom", color="#444444")
    ax.set_ylim(0, ymax)
    _numbers(ax.yaxis)
    ax.set_title(_text(title), fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    return _svg(fig)


def hbar_chart(
    labels: Sequence[str],
    values: Sequence[Decimal | float | int],
    *,
    title: str = "",
    colors: Sequence[str] | None = None,
    xmax: float | None = None,
    value_suffix: str = "",
) -> bytes:
    """A horizontal bar chart as SVG bytes, for long labels (agency names, statuses): first label on top, each bar
    with its value written beside it (``value_suffix`` such as " %"). ``xmax`` defaults to the largest value (at
    least 1); ``colors`` keys of PALETTE or hex codes."""
    fig = Figure(figsize=(6.5, max(1.6, 0.32 * len(labels) + 0.9)), dpi=100)
    FigureCanvasSVG(fig)
    ax = fig.add_subplot()
    numbers = [float(v) for v in values]
    palette = [PALETTE.get(c, c) for c in (colors or ["default"] * len(numbers))]
    positions = list(range(len(numbers)))[::-1]
    ax.barh(positions, numbers, color=palette)
    ax.set_yticks(positions, [_text(label) for label in labels])
    top = xmax if xmax is not None else max([1.0, *numbers])
    ax.set_xlim(0, top * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=top > 5))
    _numbers(ax.xaxis)
    for y, value, raw in zip(positions, numbers, values, strict=True):
        ax.annotate(_text(f"{format_number(raw)}{value_suffix}"), (value, y), xytext=(3, 0), textcoords="offset points",
                    fontsize=7, va="center", color="#222222")
    ax.set_title(_text(title), fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    return _svg(fig)


def svg_response(svg: bytes) -> HttpResponse:
    """An ``image/svg+xml`` response with a Content-Security-Policy that lets only the SVG's own styles apply."""
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = SVG_CSP
    response["Cache-Control"] = "private, max-age=300"
    response["Vary"] = "Cookie, Accept-Language"  # numbers and labels follow the user's language
    return response

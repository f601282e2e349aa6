"""Server-rendered SVG bar charts: geometry here, markup in the template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commerce.money import format_money

WIDTH = 640
HEIGHT = 220
PLOT_TOP = 16
PLOT_BOTTOM = 188  # baseline; month labels go below
PLOT_LEFT = 8
PLOT_RIGHT = WIDTH - 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # month, e.g. "Nov"
    label_x: float
    title: str  # tooltip and accessible text
    is_current: bool


@dataclass(frozen=True)
class BarChart:
    currency: str
    bars: list[Bar]
    peak_label: str
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = PLOT_BOTTOM


def revenue_chart(*, currency: str, months: list[dt.date], values: list[int]):
    """A bar per month; bar heights scale to the best month (negatives show as 0)."""
    peak = max([*values, 0])
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(months)
    bar_width = slot * 0.7
    plot_height = PLOT_BOTTOM - PLOT_TOP
    bars = []
    for i, (month, value) in enumerate(zip(months, values, strict=True)):
        height = plot_height * max(value, 0) / peak if peak else 0
        x = PLOT_LEFT + i * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(PLOT_BOTTOM - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                # The year shows where it changes, so "Nov" is never ambiguous.
                label=f"{month:%b} {month:%y}"
                if i == 0 or month.month == 1
                else f"{month:%b}",
                label_x=round(x + bar_width / 2, 1),
                title=f"{month:%B %Y}: {format_money(value, currency)}",
                is_current=i == len(months) - 1,
            )
        )
    return BarChart(
        currency=currency, bars=bars, peak_label=format_money(peak, currency)
    )

"""The reports' charts, drawn on the server as SVG by pygal: no CDN and no script (pygal's own tooltip
configuration is left out), served as images with the same figures in a table beside each."""
from __future__ import annotations

import re

import pygal
from flask_babel import gettext as _
from pygal.style import Style

# Colour-blind-safe (Okabe-Ito), dark enough on white; the print stylesheet keeps them.
STYLE = Style(background="white", plot_background="white", foreground="#1a1a1a", foreground_strong="#1a1a1a",
              foreground_subtle="#555555", opacity="1", opacity_hover="1",
              colors=("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"),
              font_family="system-ui, sans-serif", title_font_size=16, label_font_size=12,
              legend_font_size=12, major_label_font_size=12)
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def stacked_bars(title: str, labels: list[str], series: dict[str, list[float]], horizontal: bool = False) -> str:
    """A stacked bar chart: ``series`` name → one value per label."""
    chart = (pygal.HorizontalStackedBar if horizontal else pygal.StackedBar)(
        style=STYLE, js=[], disable_xml_declaration=True, width=720, height=360, legend_at_bottom=True,
        print_values=False, show_y_guides=True, truncate_label=-1, no_data_text=_("No data"))
    chart.title = title
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return SCRIPT.sub("", chart.render(is_unicode=True))


def lines(title: str, labels: list[str], series: dict[str, list[float | None]]) -> str:
    """A line chart (values over weeks): ``series`` name → one value (or None) per label."""
    chart = pygal.Line(style=STYLE, js=[], disable_xml_declaration=True, width=720, height=360,
                       legend_at_bottom=True, show_y_guides=True, truncate_label=-1, range=(0, 100),
                       x_label_rotation=30, no_data_text=_("No data"))
    chart.title = title
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return SCRIPT.sub("", chart.render(is_unicode=True))

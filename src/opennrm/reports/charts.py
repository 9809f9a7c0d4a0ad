"""Figures as the dashboard and the PDF report show them: each indicator table protected for its
audience, as a table and as an SVG chart (bars, or a tile map of Ukraine's oblasts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from opennrm.core.disclosure import Audience, Protected, configured_threshold, protect
from opennrm.reports.indicators import Indicators, Table

# A tile grid of Ukraine: (column, row) per oblast (ISO 3166-2:UA), west to east, north to south.
# fmt: off
TILES: dict[str, tuple[int, int]] = {
    "UA-07": (0, 0), "UA-56": (1, 0), "UA-18": (2, 0), "UA-32": (3, 0), "UA-74": (4, 0),
    "UA-59": (5, 0),
    "UA-46": (0, 1), "UA-61": (1, 1), "UA-68": (2, 1), "UA-30": (3, 1), "UA-53": (4, 1),
    "UA-63": (5, 1), "UA-09": (6, 1),
    "UA-21": (0, 2), "UA-26": (1, 2), "UA-05": (2, 2), "UA-71": (3, 2), "UA-12": (4, 2),
    "UA-14": (5, 2),
    "UA-77": (1, 3), "UA-35": (3, 3), "UA-23": (4, 3),
    "UA-51": (2, 4), "UA-48": (3, 4), "UA-65": (4, 4),
    "UA-40": (3, 5), "UA-43": (4, 5),
}
# fmt: on


UNITS = {
    "persons": gettext_lazy("Persons"),
    "applications": gettext_lazy("Applications"),
    "referrals": gettext_lazy("Referrals"),
    "services": gettext_lazy("Services"),
    "events": gettext_lazy("Trainings"),
    "participations": gettext_lazy("Participations"),
    "items": gettext_lazy("Items"),
    "cases": gettext_lazy("Cases"),
    "incidents": gettext_lazy("Incidents"),
    "participants": gettext_lazy("Participants"),
    "proceedings": gettext_lazy("Proceedings"),
}

# Colours as SVG attributes (not CSS classes): WeasyPrint draws the PDF's SVG from attributes.
TILE_FILLS: dict[int | str, str] = {
    0: "#eef1f5",
    1: "#cfe0f1",
    2: "#9fc1e3",
    3: "#5d97cf",
    4: "#0b4f8a",
    5: "#0b4f8a",
    "withheld": "#c7ced8",
}

# The bar chart's geometry (SVG user units): labels, then bars, then the count.
ROW_HEIGHT = 26
LABEL_WIDTH = 220
BAR_WIDTH = 270


@dataclass(frozen=True)
class ChartRow:
    code: str
    label: str
    count: int | None
    shown: str  # what the page prints: the count, or the withheld mark
    percent: str
    bar: float  # 0..1 of the longest bar
    short: str = ""  # the label cut to fit the chart
    y: int = 0
    width: int = 0


def _shown(count: int | None) -> str:
    return "—" if count is None else f"{count:,}".replace(",", "\u202f")


def chart(table: Table, audience: Audience) -> dict[str, Any]:
    protected: Protected = protect(
        [(row.code, row.count) for row in table.rows], table.total, audience=audience
    )
    longest = max((c.count or 0 for c in protected.cells), default=0) or 1
    rows = []
    for index, (row, cell) in enumerate(zip(table.rows, protected.cells, strict=True)):
        percent = ""
        if cell.count is not None and protected.total:
            percent = f"{100 * cell.count / protected.total:.0f}%"
        label = str(row.label)
        bar = (cell.count or 0) / longest
        rows.append(
            ChartRow(
                row.code,
                label,
                cell.count,
                _shown(cell.count),
                percent,
                bar,
                label if len(label) <= 26 else label[:25] + "…",
                index * ROW_HEIGHT,
                round(bar * BAR_WIDTH),
            )
        )
    view: dict[str, Any] = {
        "key": table.key,
        "title": str(table.title),
        "rows": rows,
        "total": _shown(protected.total),
        "total_count": protected.total,  # the number behind it (None: withheld)
        "overlapping": table.overlapping,
        "unit": UNITS.get(table.unit, table.unit),
        "note": str(table.note),
        "withheld": protected.suppressed,
        "height": ROW_HEIGHT * len(rows) + 4,
        "bar_x": LABEL_WIDTH,
    }
    if table.map:
        view["tiles"] = _tiles(rows)
    return view


# A tile shows its oblast by a short name (the oblast centre's, or the usual short form):
# (English, Ukrainian). The full name is the tile's title and the table's row.
# fmt: off
TILE_NAMES: dict[str, tuple[str, str]] = {
    "UA-05": ("Vinnytsia", "Вінниця"), "UA-07": ("Volyn", "Волинь"),
    "UA-09": ("Luhansk", "Луганськ"), "UA-12": ("Dnipro", "Дніпро"),
    "UA-14": ("Donetsk", "Донецьк"), "UA-18": ("Zhytomyr", "Житомир"),
    "UA-21": ("Zakarp.", "Закарп."), "UA-23": ("Zaporizh.", "Запоріж."),
    "UA-26": ("Iv.-Frank.", "Ів.-Франк."), "UA-30": ("Kyiv", "Київ"),
    "UA-32": ("Kyiv obl.", "Київ. обл."), "UA-35": ("Kirovohr.", "Кропивн."),
    "UA-40": ("Sevastop.", "Севастоп."), "UA-43": ("Crimea", "Крим"),
    "UA-46": ("Lviv", "Львів"), "UA-48": ("Mykolaiv", "Миколаїв"),
    "UA-51": ("Odesa", "Одеса"), "UA-53": ("Poltava", "Полтава"),
    "UA-56": ("Rivne", "Рівне"), "UA-59": ("Sumy", "Суми"),
    "UA-61": ("Ternopil", "Тернопіль"), "UA-63": ("Kharkiv", "Харків"),
    "UA-65": ("Kherson", "Херсон"), "UA-68": ("Khmeln.", "Хмельн."),
    "UA-71": ("Cherkasy", "Черкаси"), "UA-74": ("Chernihiv", "Чернігів"),
    "UA-77": ("Chernivtsi", "Чернівці"),
}
# fmt: on


def tile_name(code: str) -> str:
    """The oblast's short name for its tile, in the interface's language."""
    names = TILE_NAMES.get(code)
    if names is None:
        return code.removeprefix("UA-")
    return names[0] if (get_language() or "uk").startswith("en") else names[1]


def _tiles(rows: list[ChartRow]) -> list[dict[str, Any]]:
    counts = {row.code: row for row in rows}
    largest = max((row.count or 0 for row in rows), default=0) or 1
    tiles = []
    for code, (column, row_number) in TILES.items():
        item = counts.get(code)
        value = item.count if item else 0
        level = 0 if not value else 1 + min(4, int(4 * value / largest))
        tiles.append(
            {
                "fill": TILE_FILLS[level if value is not None else "withheld"],
                "ink": "#ffffff" if value is not None and level >= 3 else "#1b2430",
                "code": code,
                "label": item.label if item else code,
                "shown": item.shown if item else "0",
                "x": column * 62 + 2,
                "y": row_number * 50 + 2,
                "level": level if value is not None else "withheld",
                "short": tile_name(code),
            }
        )
    return tiles


def dashboard(indicators: Indicators, audience: Audience) -> dict[str, Any]:
    headline = protect([("persons", indicators.persons)], indicators.persons, audience=audience)
    band = indicators.count
    return {
        "persons": _shown(headline.cells[0].count),
        "persons_count": headline.cells[0].count,  # the plural form of the noun beside it
        "registrations": indicators.registrations,
        "band": (band.at_lower, band.at_higher) if audience is Audience.INTERNAL else None,
        "charts": [chart(table, audience) for table in indicators.tables],
        "exact": audience is Audience.INTERNAL,
        "withheld_note": _(
            "— withheld: fewer than %(threshold)s persons, or it would reveal such a cell"
        )
        % {"threshold": configured_threshold()},
    }

"""Render the sales-activity dashboard: one self-contained HTML page a sales manager can open offline.

Reads the built marts (read-only) from the DuckDB file and writes a single HTML file with every
script inlined (plotly.js included): no server, no CDN, nothing fetched when the page opens.

    python scripts/report.py                                  # latest complete period
    python scripts/report.py --period 2026-09 --out /tmp/september.html
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE = "target/published/sales_activity.duckdb"   # what BI tools read (make build)
DEFAULT_OUT = "target/report/index.html"
REQUIRED_MARTS = (
    "account_health", "dim_accounts", "dim_reps", "dim_periods", "pipeline_conversion_rollups",
    "stalled_deals", "speed_to_lead", "rep_scorecard",
)
PRIORITY_GAP_ROWS = 15
SPEED_TO_LEAD_PERIODS = 12

HEALTH_COLORS = {"green": "#2f9e5b", "yellow": "#e9b23a", "red": "#d64545"}
STATUS_COLORS = {**HEALTH_COLORS, "not_rated": "#9aa0a6"}
SEVERITY_COLORS = {"high": "#d64545", "medium": "#ef8a3c", "low": "#e9c46a", "none": "#b8c4ce"}
STALL_REASONS = (
    ("is_stalled_in_stage", "In stage longer than the segment's SLA"),
    ("has_no_recent_activity", "No touch in the recent-activity window"),
    ("is_past_close_date", "Past its close date"),
    ("has_close_date_pushed", "Close date pushed at least once"),
    ("is_single_threaded", "Single-threaded (too few contacts engaged)"),
)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"


class ReportError(Exception):
    """A problem the user can fix; the message says how."""


@dataclass(frozen=True)
class Period:
    period_type: str
    start: dt.date
    end: dt.date
    fiscal_year: int | None
    fiscal_quarter: int | None
    is_complete: bool

    @property
    def label(self) -> str:
        if self.period_type == "month":
            return self.start.strftime("%B %Y")
        if self.period_type == "quarter":
            return (f"FY{self.fiscal_year} Q{self.fiscal_quarter} "
                    f"({self.start:%b %d} – {self.end:%b %d, %Y})")
        return f"Week of {self.start:%b %d, %Y}"

    @property
    def short_label(self) -> str:
        if self.period_type == "month":
            return self.start.strftime("%b %Y")
        if self.period_type == "quarter":
            return f"FY{self.fiscal_year} Q{self.fiscal_quarter}"
        return f"wk {self.start:%Y-%m-%d}"


@dataclass
class Section:
    key: str
    title: str
    subtitle: str
    body: str
    wide: bool = True


# ---------------------------------------------------------------- command line

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Render the sales-activity dashboard (one self-contained HTML file, works offline) "
                    "from the built DuckDB marts.")
    parser.add_argument(
        "--database", type=Path,
        default=Path(os.environ.get("SALES_ACTIVITY_PUBLISHED_PATH") or DEFAULT_DATABASE),
        help=f"published marts file, or any built DuckDB file "
             f"(default: $SALES_ACTIVITY_PUBLISHED_PATH or {DEFAULT_DATABASE})")
    parser.add_argument("--out", type=Path, default=Path(DEFAULT_OUT),
                        help=f"HTML file to write (default: {DEFAULT_OUT})")
    parser.add_argument(
        "--period",
        help="report period to show, as a date inside it (YYYY-MM-DD) or a month (YYYY-MM); "
             "default: the latest complete report period")
    return parser.parse_args(argv)


def progress(message: str) -> None:
    print(f"report: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- data access

def connect(database: Path):
    import duckdb

    if not database.is_file():
        raise ReportError(
            f"no database at {database}: build and publish the marts first (`make build`), or pass "
            "--database or set SALES_ACTIVITY_PUBLISHED_PATH to a built sales_activity DuckDB file")
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        raise ReportError(f"cannot open {database} read-only ({error}); if a dbt build is writing "
                          "to it, read the published file instead (`make build` publishes it)") from None
    present = {row[0] for row in connection.execute(
        "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
    missing = [name for name in REQUIRED_MARTS if name not in present]
    if missing:
        raise ReportError(f"{database} lacks the marts {', '.join(missing)}: rebuild it with "
                          "`make build` (or `dbt build`) from this version of the project")
    return connection


def rows(connection, sql: str, params: list | None = None) -> list[tuple]:
    return connection.execute(sql, params or []).fetchall()


def report_period_type(connection) -> str:
    found = rows(connection, "select distinct period_type from main.pipeline_conversion_rollups")
    if not found:
        raise ReportError("pipeline_conversion_rollups is empty: the export has no activity to report on")
    return found[0][0]


def parse_period_argument(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ReportError(f"--period {text!r} is not a date: give YYYY-MM-DD (a day inside the period) "
                      "or YYYY-MM")


def choose_period(connection, period_type: str, requested: str | None) -> Period:
    columns = "period_type, period_start, period_end, fiscal_year, fiscal_quarter, is_complete"
    if requested is None:
        found = rows(connection, f"select {columns} from main.dim_periods where period_type = ? "
                                 "and is_complete order by period_start desc limit 1", [period_type])
        if not found:
            raise ReportError(f"no complete {period_type} yet in dim_periods: pass --period to "
                              "report the period in progress")
    else:
        day = parse_period_argument(requested)
        found = rows(connection, f"select {columns} from main.dim_periods where period_type = ? "
                                 "and ? between period_start and period_end", [period_type, day])
        if not found:
            first, last = rows(connection, "select min(period_start), max(period_end) "
                                            "from main.dim_periods where period_type = ?",
                               [period_type])[0]
            raise ReportError(f"--period {requested}: no {period_type} holds that date; the data "
                              f"covers {first} to {last}")
    return Period(*found[0])


def as_of_date(connection) -> dt.date:
    found = rows(connection, "select max(measured_on_date) from main.dim_accounts")[0][0]
    if found is None:
        found = rows(connection, "select max(period_end) from main.dim_periods where is_current")[0][0]
    return found


# ---------------------------------------------------------------- figures

def base_layout(height: int, **extra) -> dict:
    return {
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 10, "b": 40},
        "font": {"family": FONT, "size": 13, "color": "#1f2933"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        "hoverlabel": {"font": {"family": FONT}},
        **extra,
    }


def empty_figure(message: str):
    import plotly.graph_objects as go

    figure = go.Figure()
    figure.update_layout(**base_layout(160), xaxis={"visible": False}, yaxis={"visible": False},
                         annotations=[{"text": message, "showarrow": False, "font": {"size": 15}}])
    return figure


def health_by_rep_figure(connection, period: Period):
    import plotly.graph_objects as go

    data = rows(connection, """
        select coalesce(r.rep_name, '(no owner)') as rep,
               count(*) filter (where a.health_status = 'green') as green,
               count(*) filter (where a.health_status = 'yellow') as yellow,
               count(*) filter (where a.health_status = 'red') as red
        from main.account_health as a
        left join main.dim_reps as r on a.rep_id = r.rep_id
        where a.period_start = ?
        group by all
        order by red / count(*) asc, count(*) asc, rep desc
    """, [period.start])
    if not data:
        return empty_figure("No owned accounts in this period")
    reps = [row[0] for row in data]
    totals = [sum(row[1:]) for row in data]
    figure = go.Figure()
    for index, status in enumerate(("green", "yellow", "red"), start=1):
        counts = [row[index] for row in data]
        shares = [count / total for count, total in zip(counts, totals)]
        figure.add_bar(
            y=reps, x=counts, name=status, orientation="h", marker_color=HEALTH_COLORS[status],
            customdata=shares, text=[str(c) if c else "" for c in counts], textposition="inside",
            textangle=0,
            hovertemplate=f"%{{y}}: %{{x}} {status} accounts (%{{customdata:.0%}} of the book)"
                          "<extra></extra>")
    figure.update_layout(**base_layout(max(320, 26 * len(reps) + 90)), barmode="stack",
                         xaxis={"title": "accounts owned (current owner)", "gridcolor": "#eef1f4"},
                         yaxis={"automargin": True}, uniformtext={"minsize": 10, "mode": "hide"})
    figure.update_layout(legend={"traceorder": "normal"})
    return figure


def funnel_figure(connection, period: Period):
    import plotly.graph_objects as go

    found = rows(connection, """
        select dials, conversations, meetings_booked, meetings_held, opportunities_created,
               opportunities_qualified, opportunities_won,
               conversations_per_dial, meetings_booked_per_conversation,
               show_rate_held_over_held_and_no_show, opportunities_per_meeting_held,
               qualified_per_opportunity_created, won_per_qualified_opportunity
        from main.pipeline_conversion_rollups
        where rollup_level = 'company' and channel = 'all' and period_start = ?
    """, [period.start])
    if not found or not any(found[0][:7]):
        return empty_figure("No activity in this period")
    counts, rates = found[0][:7], found[0][7:]
    steps = ["Dials", "Conversations", "Meetings booked", "Meetings held", "Opportunities created",
             "Qualified", "Won"]
    rate_labels = ["", "per dial", "per conversation", "show rate (held ÷ held + no-show)",
                   "per meeting held", "of created", "of qualified"]
    texts = [f"{counts[0]:,}"] + [
        f"{count:,}  ·  {format_share(rate)} {label}"
        for count, rate, label in zip(counts[1:], rates, rate_labels[1:])]
    figure = go.Figure(go.Funnel(
        y=steps, x=list(counts), text=texts, textinfo="text", textposition="outside",
        marker={"color": ["#1f4e79", "#2b6cb0", "#3b82c4", "#5a9bd5", "#7fb3e0", "#a3c9ec",
                          "#2f9e5b"]},
        connector={"fillcolor": "#eef3f9"}, hovertemplate="%{y}: %{x:,}<extra></extra>"))
    figure.update_layout(**base_layout(380, margin={"l": 10, "r": 240, "t": 10, "b": 10}),
                         yaxis={"automargin": True})
    return figure


def format_share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def stalled_by_reason_figure(connection):
    import plotly.graph_objects as go

    selects = ", ".join(f"count(*) filter (where {column})" for column, _ in STALL_REASONS)
    found = rows(connection, f"select count(*), {selects} from main.stalled_deals")[0]
    open_deals, counts = found[0], found[1:]
    if not open_deals:
        return empty_figure("No open deals at the as-of date")
    labels = [label for _, label in STALL_REASONS]
    order = sorted(range(len(labels)), key=lambda i: counts[i])
    figure = go.Figure(go.Bar(
        y=[labels[i] for i in order], x=[counts[i] for i in order], orientation="h",
        marker_color="#d9822b", text=[f"{counts[i]} ({counts[i] / open_deals:.0%})" for i in order],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x} of " + f"{open_deals} open deals<extra></extra>"))
    figure.update_layout(**base_layout(300, margin={"l": 10, "r": 70, "t": 10, "b": 40}),
                         xaxis={"title": f"open deals flagged (of {open_deals})",
                                "gridcolor": "#eef1f4"},
                         yaxis={"automargin": True})
    return figure


def stalled_by_stage_figure(connection):
    import plotly.graph_objects as go

    data = rows(connection, """
        select stage_name, coalesce(min(stage_order), 999) as stage_position,
               count(*) filter (where stall_severity = 'high'),
               count(*) filter (where stall_severity = 'medium'),
               count(*) filter (where stall_severity = 'low'),
               count(*) filter (where stall_severity = 'none')
        from main.stalled_deals
        group by stage_name
        order by stage_position desc, stage_name desc
    """)
    if not data:
        return empty_figure("No open deals at the as-of date")
    stages = [row[0] or "(no stage)" for row in data]
    figure = go.Figure()
    for index, severity in enumerate(("high", "medium", "low", "none"), start=2):
        name = "not stalled" if severity == "none" else f"{severity} severity"
        figure.add_bar(y=stages, x=[row[index] for row in data], name=name, orientation="h",
                       marker_color=SEVERITY_COLORS[severity],
                       hovertemplate=f"%{{y}}: %{{x}} open deals, {name}<extra></extra>")
    figure.update_layout(**base_layout(300), barmode="stack",
                         xaxis={"title": "open deals in the stage", "gridcolor": "#eef1f4"},
                         yaxis={"automargin": True})
    figure.update_layout(legend={"traceorder": "normal"})
    return figure


def band_sort_key(band: str) -> tuple[int, float]:
    within = re.fullmatch(r"within_(\d+)_min", band)
    if within:
        return (0, float(within.group(1)))
    if band.startswith("over_"):
        return (1, 0.0)
    return (2, 0.0) if band == "touched_without_time" else (3, 0.0)


def band_label(band: str) -> str:
    match = re.fullmatch(r"(within|over)_(\d+)_min", band)
    if not match:
        return {"touched_without_time": "touched (time unknown)",
                "no_touch_yet": "not touched yet"}.get(band, band.replace("_", " "))
    minutes = int(match.group(2))
    span = f"{minutes // 60} h" if minutes >= 60 and minutes % 60 == 0 else f"{minutes} min"
    return f"within {span}" if match.group(1) == "within" else f"after {span}"


def band_color(band: str, timed_bands: list[str]) -> str:
    ramp = ["#1f7a4a", "#2f9e5b", "#8cc084", "#e9b23a", "#ef8a3c", "#d64545"]
    if band == "touched_without_time":
        return "#b8c4ce"
    if band == "no_touch_yet":
        return "#7a1f1f"
    position = timed_bands.index(band)
    step = (len(ramp) - 1) / max(len(timed_bands) - 1, 1)
    return ramp[round(position * step)]


def speed_to_lead_figure(connection, period: Period):
    import plotly.graph_objects as go

    data = rows(connection, """
        select period_start, sla_band, count(*)
        from main.speed_to_lead
        where period_start <= ? and period_start in (
            select period_start from main.dim_periods
            where period_type = ? and period_start <= ?
            order by period_start desc limit ?)
        group by all
    """, [period.start, period.period_type, period.start, SPEED_TO_LEAD_PERIODS])
    if not data:
        return empty_figure("No inbound leads up to this period")
    starts = sorted({row[0] for row in data})
    bands = sorted({row[1] for row in data}, key=band_sort_key)
    timed = [band for band in bands if band_sort_key(band)[0] < 2]
    counts = {(row[0], row[1]): row[2] for row in data}
    totals = {start: sum(counts.get((start, band), 0) for band in bands) for start in starts}
    labels = [period_axis_label(start, period.period_type) for start in starts]
    figure = go.Figure()
    for band in bands:
        values = [counts.get((start, band), 0) for start in starts]
        shares = [value / totals[start] if totals[start] else 0 for value, start in zip(values, starts)]
        figure.add_bar(
            x=labels, y=shares, name=band_label(band), marker_color=band_color(band, timed),
            customdata=values,
            hovertemplate="%{x}: %{customdata} leads " + band_label(band) + " (%{y:.0%})<extra></extra>")
    figure.update_layout(**base_layout(360), barmode="stack",
                         yaxis={"title": "share of inbound leads created", "tickformat": ".0%",
                                "gridcolor": "#eef1f4", "range": [0, 1]},
                         xaxis={"title": "period the lead was created in", "type": "category"})
    figure.update_layout(legend={"traceorder": "normal"})
    return figure


def period_axis_label(start: dt.date, period_type: str) -> str:
    return start.strftime("%b %Y") if period_type == "month" else start.isoformat()


def quadrant_figure(connection, period: Period) -> tuple[object, list[str]]:
    import plotly.graph_objects as go

    data = rows(connection, """
        select rep_name, rep_role, segment, worked_account_share,
               opp_creation_rate_per_worked_account, quota_attainment, overall_status,
               effort_status, execution_status, worked_accounts, owned_accounts
        from main.rep_scorecard
        where period_start = ?
        order by rep_name
    """, [period.start])
    plotted = [row for row in data if row[3] is not None and row[4] is not None]
    left_out = [f"{row[0]} ({row[1]} {row[2]})" for row in data
                if (row[3] is None or row[4] is None) and row[10]]
    if not plotted:
        return empty_figure("No rep worked an account in this period"), left_out
    positions = label_positions([(row[3], row[4], row[0]) for row in plotted])
    figure = go.Figure()
    for status in ("green", "yellow", "red", "not_rated"):
        indexes = [i for i, row in enumerate(plotted) if row[6] == status]
        points = [plotted[i] for i in indexes]
        if not points:
            continue
        figure.add_scatter(
            x=[row[3] for row in points], y=[row[4] for row in points], mode="markers+text",
            name=status.replace("_", " ") + " overall", text=[row[0] for row in points],
            textposition=[positions[i] for i in indexes], textfont={"size": 11},
            marker={"size": 13, "color": STATUS_COLORS[status], "line": {"width": 1, "color": "white"}},
            customdata=[[row[1], row[2], row[9], row[10], format_share(row[5]), row[7], row[8]]
                        for row in points],
            hovertemplate="<b>%{text}</b> (%{customdata[0]} %{customdata[1]})<br>"
                          "worked %{customdata[2]} of %{customdata[3]} accounts (%{x:.0%})<br>"
                          "opportunities per worked account %{y:.2f}<br>"
                          "quota attainment %{customdata[4]}<br>"
                          "effort %{customdata[5]}, execution %{customdata[6]}<extra></extra>")
    x_range = padded_range([row[3] for row in plotted], 0.06, 0.06)
    y_range = padded_range([row[4] for row in plotted], 0.08, 0.12)
    x_mid = median([row[3] for row in plotted])
    y_mid = median([row[4] for row in plotted])
    figure.add_vline(x=x_mid, line={"dash": "dot", "color": "#7b8794"}, layer="below")
    figure.add_hline(y=y_mid, line={"dash": "dot", "color": "#7b8794"}, layer="below")
    corner = {"showarrow": False, "font": {"size": 11, "color": "#7b8794"}}
    figure.update_layout(
        **base_layout(540), xaxis={"title": "effort: worked accounts ÷ owned accounts",
                                   "tickformat": ".0%", "gridcolor": "#eef1f4", "zeroline": False,
                                   "range": x_range},
        yaxis={"title": "execution: opportunities created ÷ worked accounts",
               "gridcolor": "#eef1f4", "zeroline": False, "range": y_range},
        annotations=[
            {**corner, "text": "works the book, converts", "xref": "paper", "yref": "paper",
             "x": 1, "y": 1, "xanchor": "right", "yanchor": "top"},
            {**corner, "text": "converts, under-works the book", "xref": "paper", "yref": "paper",
             "x": 0, "y": 1, "xanchor": "left", "yanchor": "top"},
            {**corner, "text": "busy, not converting: coach execution", "xref": "paper",
             "yref": "paper", "x": 1, "y": 0, "xanchor": "right", "yanchor": "bottom"},
            {**corner, "text": "neither: coach activity first", "xref": "paper", "yref": "paper",
             "x": 0, "y": 0, "xanchor": "left", "yanchor": "bottom"},
        ])
    return figure, left_out


PLOT_PIXELS = (930.0, 440.0)  # approximate plot area of the quadrant, for label placement
LABEL_PIXELS = (6.2, 15.0)  # width per character and height of an 11 px label
LABEL_POSITIONS = ("top center", "bottom center", "middle right", "middle left")


def label_box(x: float, y: float, name: str, position: str) -> tuple[float, float, float, float]:
    width, height = LABEL_PIXELS[0] * len(name), LABEL_PIXELS[1]
    centre_x, centre_y = {
        "top center": (x, y + 14), "bottom center": (x, y - 14),
        "middle right": (x + 10 + width / 2, y), "middle left": (x - 10 - width / 2, y),
    }[position]
    return (centre_x - width / 2, centre_y - height / 2, centre_x + width / 2, centre_y + height / 2)


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def outside(box: tuple[float, float, float, float]) -> float:
    """Area of a label box beyond the plot's edges, weighted so that clipping costs more than overlap."""
    inside = overlap(box, (-20.0, -20.0, PLOT_PIXELS[0] + 20.0, PLOT_PIXELS[1] + 20.0))
    return 4 * ((box[2] - box[0]) * (box[3] - box[1]) - inside)


def label_positions(points: list[tuple[float, float, str]]) -> list[str]:
    """Pick a text position per marker so that neighbouring rep names overlap as little as possible."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x_span, y_span = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    pixels = [((x - min(xs)) / x_span * PLOT_PIXELS[0], (y - min(ys)) / y_span * PLOT_PIXELS[1], name)
              for x, y, name in points]
    markers = [(x - 7, y - 7, x + 7, y + 7) for x, y, _ in pixels]
    placed: list[tuple[float, float, float, float]] = []
    chosen = ["top center"] * len(points)
    for index in sorted(range(len(points)), key=lambda i: (-pixels[i][1], pixels[i][0])):
        x, y, name = pixels[index]
        costs = {position: sum(overlap(label_box(x, y, name, position), other)
                               for other in placed + markers) + outside(label_box(x, y, name, position))
                 for position in LABEL_POSITIONS}
        chosen[index] = min(LABEL_POSITIONS, key=lambda position: costs[position])
        placed.append(label_box(x, y, name, chosen[index]))
    return chosen


def padded_range(values: list[float], below: float, above: float) -> list[float]:
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return [low - below * span, high + above * span]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# ---------------------------------------------------------------- tables and tiles

def priority_gap_rows(connection, period: Period) -> list[tuple]:
    return rows(connection, f"""
        select coalesce(d.account_name, a.account_id), coalesce(r.rep_name, '(no owner)'),
               a.rep_role || ' ' || a.segment, a.account_score, a.days_since_last_touch,
               a.contacts_engaged_in_window, d.industry
        from main.account_health as a
        left join main.dim_accounts as d on a.account_id = d.account_id
        left join main.dim_reps as r on a.rep_id = r.rep_id
        where a.period_start = ? and a.is_priority_gap
        order by a.account_score desc, a.days_since_last_touch desc nulls first, a.account_id
        limit {PRIORITY_GAP_ROWS}
    """, [period.start])


def priority_gap_table(data: list[tuple], total: int) -> str:
    if not data:
        return '<p class="empty">No high-score account was left without a touch this period.</p>'
    header = ("<tr><th>#</th><th>Account</th><th>Owner</th><th>Book</th><th class='num'>Score</th>"
              "<th class='num'>Days since last touch</th><th class='num'>Contacts reached (window)</th>"
              "<th>Industry</th></tr>")
    body = "".join(
        f"<tr><td class='num'>{index}</td><td>{esc(name)}</td><td>{esc(owner)}</td><td>{esc(book)}</td>"
        f"<td class='num'><span class='score'>{score:.0f}</span></td>"
        f"<td class='num'>{'never touched' if days is None else days}</td>"
        f"<td class='num'>{contacts}</td><td>{esc(industry)}</td></tr>"
        for index, (name, owner, book, score, days, contacts, industry) in enumerate(data, start=1))
    note = (f"<p class='note'>Showing the top {len(data)} of {total} priority gaps by account score.</p>"
            if total > len(data) else "")
    return (f"<table class='gaps' id='priority-gaps'><thead>{header}</thead>"
            f"<tbody>{body}</tbody></table>{note}")


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def kpi_tiles(connection, period: Period) -> str:
    green, accounts, gaps = rows(connection, """
        select count(*) filter (where health_status = 'green'), count(*),
               count(*) filter (where is_priority_gap)
        from main.account_health where period_start = ?""", [period.start])[0]
    stalled, open_deals, high = rows(connection, """
        select count(*) filter (where is_stalled), count(*),
               count(*) filter (where stall_severity = 'high') from main.stalled_deals""")[0]
    fast, leads = rows(connection, """
        select count(*) filter (where is_within_first_sla), count(*)
        from main.speed_to_lead where period_start = ?""", [period.start])[0]
    first = rows(connection, "select min(sla_band) from main.speed_to_lead where is_within_first_sla")
    first_band = band_label(first[0][0]) if first[0][0] else "in the first SLA band"
    rep_green, rated = rows(connection, """
        select count(*) filter (where overall_status = 'green'),
               count(*) filter (where overall_status <> 'not_rated')
        from main.rep_scorecard where period_start = ?""", [period.start])[0]
    tiles = [
        ("Accounts worked to threshold", ratio_text(green, accounts),
         f"{green:,} of {accounts:,} owned accounts green"),
        ("High-score accounts untouched", f"{gaps:,}", "priority gaps: red, score at or above the high mark"),
        ("Open deals stalled", ratio_text(stalled, open_deals),
         f"{stalled} of {open_deals} open deals; {high} high severity"),
        (f"Inbound leads touched {first_band}", ratio_text(fast, leads),
         f"{fast} of {leads} inbound leads created in {period.short_label}"),
        ("Reps green overall", f"{rep_green} / {rated}", "rated reps, outcome first"),
    ]
    return "".join(f"<div class='tile'><div class='tile-label'>{esc(label)}</div>"
                   f"<div class='tile-value'>{esc(value)}</div><div class='tile-note'>{esc(note)}</div></div>"
                   for label, value, note in tiles)


def ratio_text(part: int, whole: int) -> str:
    return "n/a" if not whole else f"{part / whole:.0%}"


# ---------------------------------------------------------------- page

def figure_html(figure, key: str) -> str:
    config = {"displaylogo": False, "responsive": True, "displayModeBar": False}
    div = figure.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                         div_id=f"chart-{key}", config=config)
    empty = " data-empty='true'" if not figure.data else ""
    return f"<div class='chart' data-chart='{key}'{empty}>{div}</div>"


def build_sections(connection, period: Period, as_of: dt.date) -> list[Section]:
    sections: list[Section] = []
    progress("account health by rep")
    sections.append(Section(
        "health_by_rep", "Account health by rep",
        f"Owned accounts per rep in {period.label}, split by health: green = touched and the book's "
        "minimum activities and contacts met, yellow = touched but below, red = no touch. Worst share "
        "of red at the top.", figure_html(health_by_rep_figure(connection, period), "health_by_rep")))
    progress("priority gaps")
    gaps = priority_gap_rows(connection, period)
    total_gaps = rows(connection, "select count(*) from main.account_health where period_start = ? "
                                  "and is_priority_gap", [period.start])[0][0]
    sections.append(Section(
        "priority_gaps", f"High-score accounts left red — top {PRIORITY_GAP_ROWS} by account score",
        f"Accounts with no touch in {period.label} whose account score is at or above the high mark "
        "(var high_account_score). Days since last touch are counted to the end of the period.",
        priority_gap_table(gaps, total_gaps)))
    progress("conversion funnel")
    sections.append(Section(
        "funnel", "Conversion funnel, whole company, all channels",
        f"Counts in {period.label}; each rate divides a step by the one before it (show rate: meetings "
        "held ÷ held + no-shows). Meetings are booked by booking date and held by meeting date. "
        f"Opportunities are the period's cohort, qualified and won as of {as_of:%b %d, %Y}.",
        figure_html(funnel_figure(connection, period), "funnel")))
    progress("stalled deals")
    sections.append(Section(
        "stalled_by_reason", "Stalled deals by reason",
        f"Open deals at {as_of:%b %d, %Y} carrying each stall reason, and their share of all open "
        "deals (a deal can carry several reasons).",
        figure_html(stalled_by_reason_figure(connection), "stalled_by_reason"), wide=False))
    sections.append(Section(
        "stalled_by_stage", "Stalled deals by stage",
        f"Open deals at {as_of:%b %d, %Y} per current stage, split by stall severity (number of reasons).",
        figure_html(stalled_by_stage_figure(connection), "stalled_by_stage"), wide=False))
    progress("speed to lead")
    sections.append(Section(
        "speed_to_lead", "Speed to lead",
        "Inbound leads by time from creation to the first outbound touch (SLA bands), as a share of "
        f"the leads created in each period, last {SPEED_TO_LEAD_PERIODS} periods up to {period.short_label}.",
        figure_html(speed_to_lead_figure(connection, period), "speed_to_lead")))
    progress("effort vs execution")
    figure, left_out = quadrant_figure(connection, period)
    note = (f"<p class='note'>Not plotted (no worked account, so no rate): {esc(', '.join(left_out))}.</p>"
            if left_out else "")
    sections.append(Section(
        "effort_vs_execution", "Effort vs execution by rep",
        f"{period.label}: share of the owned book worked to threshold (effort) against opportunities "
        "created per worked account (execution); colour is the scorecard's overall status (outcome "
        "first). Dotted lines are the medians.",
        figure_html(figure, "effort_vs_execution") + note))
    return sections


def render_page(period: Period, as_of: dt.date, tiles: str, sections: list[Section],
                plotly_js: str) -> str:
    cards = "".join(
        f"<section class='card{' wide' if section.wide else ''}' id='{section.key}'>"
        f"<h2>{esc(section.title)}</h2><p class='subtitle'>{esc(section.subtitle)}</p>{section.body}"
        "</section>" for section in sections)
    status = "complete" if period.is_complete else "in progress"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Sales activity — {esc(period.label)}</title>
<style>{STYLE}</style>
<script>{plotly_js}</script>
</head><body>
<header><div class="wrap">
<div><h1>Sales activity</h1>
<p class="meta">Report period <strong>{esc(period.label)}</strong> ({status}) · data as of
<strong id="as-of">{as_of:%Y-%m-%d}</strong></p></div>
<p class="meta right">From the sales_activity marts · counts, never contact names</p>
</div></header>
<main class="wrap">
<div class="tiles">{tiles}</div>
<div class="grid">{cards}</div>
<footer>Source: account_health, dim_accounts, dim_reps, pipeline_conversion_rollups, stalled_deals,
speed_to_lead, rep_scorecard. Contacts and leads are counted, never named.</footer>
</main></body></html>
"""


STYLE = f"""
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: #f3f5f8; color: #1f2933; font-family: {FONT}; font-size: 14px; }}
.wrap {{ max-width: 1320px; margin: 0 auto; padding: 0 28px; }}
header {{ background: #17324d; color: white; padding: 22px 0 18px; }}
header .wrap {{ display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; }}
h1 {{ margin: 0 0 6px; font-size: 26px; font-weight: 650; letter-spacing: .2px; }}
.meta {{ margin: 0; color: #c8d6e5; font-size: 15px; }}
.meta strong {{ color: white; }}
.meta.right {{ font-size: 12px; }}
.tiles {{ display: grid; grid-template-columns: repeat(5, 1fr); gap: 16px; margin: 22px 0; }}
.tile {{ background: white; border-radius: 10px; padding: 14px 16px;
         box-shadow: 0 1px 3px rgba(15,30,50,.08); }}
.tile-label {{ font-size: 12px; text-transform: uppercase; letter-spacing: .5px; color: #52606d; }}
.tile-value {{ font-size: 30px; font-weight: 650; margin: 4px 0; color: #17324d; }}
.tile-note {{ font-size: 12px; color: #7b8794; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }}
.card {{ background: white; border-radius: 10px; padding: 18px 20px 12px;
         box-shadow: 0 1px 3px rgba(15,30,50,.08); min-width: 0; }}
.card.wide {{ grid-column: 1 / -1; }}
h2 {{ margin: 0 0 4px; font-size: 18px; font-weight: 620; }}
.subtitle {{ margin: 0 0 12px; color: #52606d; font-size: 13px; line-height: 1.45; }}
.note, .empty {{ color: #52606d; font-size: 12px; margin: 8px 0 4px; }}
table.gaps {{ width: 100%; border-collapse: collapse; font-size: 13px; }}
table.gaps th {{ text-align: left; font-weight: 600; color: #52606d; border-bottom: 2px solid #d9e2ec;
                 padding: 7px 8px; }}
table.gaps td {{ border-bottom: 1px solid #edf0f3; padding: 6px 8px; }}
table.gaps tbody tr:nth-child(even) {{ background: #fafbfc; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
th.num {{ text-align: right; }}
.score {{ display: inline-block; min-width: 34px; padding: 1px 6px; border-radius: 10px;
          background: #fde2e2; color: #a61b1b; font-weight: 600; text-align: center; }}
footer {{ color: #7b8794; font-size: 12px; margin: 24px 0 32px; }}
@media (max-width: 900px) {{ .grid {{ grid-template-columns: 1fr; }}
                             .tiles {{ grid-template-columns: 1fr 1fr; }} }}
"""


def write_report(database: Path, out: Path, requested_period: str | None) -> Path:
    started = time.monotonic()
    progress(f"reading {database}")
    connection = connect(database)
    try:
        period = choose_period(connection, report_period_type(connection), requested_period)
        as_of = as_of_date(connection)
        progress(f"period {period.label}, as of {as_of}")
        tiles = kpi_tiles(connection, period)
        sections = build_sections(connection, period, as_of)
    finally:
        connection.close()
    from plotly.offline import get_plotlyjs

    page = render_page(period, as_of, tiles, sections, get_plotlyjs().replace("</script>", "<\\/script>"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    progress(f"wrote {out} ({len(page) / 1e6:.1f} MB) in {time.monotonic() - started:.1f} s")
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import duckdb  # noqa: F401
        import plotly  # noqa: F401
    except ImportError as error:
        print(f"report: missing Python package {error.name}: run `make venv` (or pip install -r "
              "requirements.txt -c constraints.txt) and use .venv/bin/python", file=sys.stderr)
        return 2
    try:
        path = write_report(args.database, args.out, args.period)
    except ReportError as error:
        print(f"report: error: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

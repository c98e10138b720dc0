"""``bastion tides``: predictions, tide windows and the station list as CSV on stdout.

Why CSV: clearance officers paste windows into their worksheets and scripts pipe predictions
into other tools; times are UTC ISO-8601 so nothing depends on the machine's time zone.
Bad input is a usage error (exit code 2) that names the option and the problem.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bastion.tides.stations import Station

# NumPy, the stations and the predictor are imported inside the commands: `--help` is instant.

app = typer.Typer(help="Harmonic tide prediction and tide windows (潮汐验放).",
                  no_args_is_help=True)

_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}
MAX_SAMPLES = 2_000_000  # ~4 years at 1-minute steps; guards against a typo like --step 1s


def parse_time(value: str, option: str) -> datetime:
    """ISO-8601 date or date-time; naive means UTC, offsets are converted to UTC."""
    try:
        t = datetime.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO-8601 time such as "
                                 "2024-03-01T06:00 (naive times are UTC)", param_hint=option)
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def parse_step(value: str, option: str = "--step") -> timedelta:
    """'10m', '30s', '1h', '1d' or plain minutes ('10')."""
    m = _STEP.match(value)
    if not m:
        raise typer.BadParameter(f"{value!r} is not a duration such as 10m, 30s or 1h",
                                 param_hint=option)
    seconds = float(m.group(1)) * _UNIT_SECONDS[(m.group(2) or "m").lower()]
    if seconds <= 0:
        raise typer.BadParameter("must be longer than zero", param_hint=option)
    return timedelta(seconds=seconds)


def _station(key: str) -> Station:
    from bastion.tides.stations import StationError, get_station

    try:
        return get_station(key)
    except StationError as exc:
        raise typer.BadParameter(str(exc), param_hint="--station")


def _period(start: str, end: str) -> tuple[datetime, datetime]:
    t0, t1 = parse_time(start, "--start"), parse_time(end, "--end")
    if t1 <= t0:
        raise typer.BadParameter(f"{end} is not after --start {start}", param_hint="--end")
    return t0, t1


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


StationOpt = Annotated[str, typer.Option("--station", help="Station id, NOAA number or name.")]
StartOpt = Annotated[str, typer.Option("--start", help="ISO-8601 start (naive = UTC).")]
EndOpt = Annotated[str, typer.Option("--end", help="ISO-8601 end (naive = UTC).")]
OffsetOpt = Annotated[float | None, typer.Option(
    "--datum-offset", help="Metres MSL lies above your datum (overrides --datum / chart datum).")]


@app.command()
def predict(station: StationOpt, start: StartOpt, end: EndOpt,
            step: Annotated[str, typer.Option("--step", help="10m, 30s, 1h ...")] = "10m",
            datum: Annotated[str, typer.Option("--datum", help="MSL, CD, LAT, MLLW ...")] = "MSL",
            datum_offset: OffsetOpt = None) -> None:
    """Print CSV time,height_m: heights above the chosen datum (MSL by default)."""
    import numpy as np

    from bastion.tides.stations import DatumError

    st = _station(station)
    t0, t1 = _period(start, end)
    dt = parse_step(step)
    n = int((t1 - t0) / dt) + 1
    if n > MAX_SAMPLES:
        raise typer.BadParameter(f"{n} samples is more than {MAX_SAMPLES}; use a longer step "
                                 "or a shorter period", param_hint="--step")
    secs = t0.timestamp() + np.arange(n) * dt.total_seconds()
    try:
        heights = st.heights(secs, datum=datum, datum_offset=datum_offset)
    except DatumError as exc:
        raise typer.BadParameter(str(exc), param_hint="--datum")
    lines = ["time,height_m"]
    lines += [f"{_iso(datetime.fromtimestamp(s, tz=UTC))},{h:.3f}"
              for s, h in zip(secs, heights)]
    sys.stdout.write("\n".join(lines) + "\n")


@app.command()
def windows(station: StationOpt, start: StartOpt, end: EndOpt,
            depth: Annotated[float, typer.Option("--depth", help="Charted depth, m below CD.")],
            draught: Annotated[float, typer.Option("--draught", help="Ship's draught, m.")],
            ukc: Annotated[float, typer.Option("--ukc", help="Fixed under-keel clearance, m.")],
            ukc_percent: Annotated[float, typer.Option(
                "--ukc-percent", help="UKC as % of draught; the larger UKC applies.")] = 0.0,
            datum_offset: OffsetOpt = None,
            min_duration: Annotated[str, typer.Option(
                "--min-duration", help="Drop windows shorter than this (e.g. 30m).")] = "0s") -> None:
    """Print CSV start,end: windows with depth + tide - draught >= UKC."""
    from bastion.tides.stations import DatumError
    from bastion.tides.windows import UKCPolicy, tide_windows

    st = _station(station)
    t0, t1 = _period(start, end)
    for name, value in (("--depth", depth), ("--ukc", ukc), ("--ukc-percent", ukc_percent)):
        if value < 0:
            raise typer.BadParameter(f"{value} is negative", param_hint=name)
    if draught <= 0:
        raise typer.BadParameter(f"{draught} is not a positive draught", param_hint="--draught")
    shortest = parse_step(min_duration, "--min-duration") if min_duration.strip() not in (
        "0", "0s", "0m") else timedelta(0)
    try:
        found = tide_windows(st, t0, t1, depth_m=depth, draught_m=draught,
                             ukc=UKCPolicy(ukc, ukc_percent), datum_offset=datum_offset,
                             min_duration=shortest)
    except DatumError as exc:
        raise typer.BadParameter(str(exc), param_hint="--datum-offset")
    sys.stdout.write("start,end\n" + "".join(f"{_iso(w.start)},{_iso(w.end)}\n" for w in found))


@app.command()
def extremes(station: StationOpt, start: StartOpt, end: EndOpt,
             datum: Annotated[str, typer.Option("--datum")] = "MSL",
             datum_offset: OffsetOpt = None) -> None:
    """Print CSV time,height_m,kind: times of high and low water."""
    from bastion.tides.stations import DatumError
    from bastion.tides.windows import high_low_waters

    st = _station(station)
    t0, t1 = _period(start, end)
    try:
        found = high_low_waters(st, t0, t1, datum=datum, datum_offset=datum_offset)
    except DatumError as exc:
        raise typer.BadParameter(str(exc), param_hint="--datum")
    sys.stdout.write("time,height_m,kind\n"
                     + "".join(f"{_iso(e.time)},{e.height:.3f},{e.kind}\n" for e in found))


@app.command()
def stations() -> None:
    """Print CSV of the shipped stations with source, licence and datums (m relative to MSL).

    Hong Kong, Macao and Taiwan gauges are listed under China, with the region."""
    from bastion.tides.stations import list_stations

    rows = ["id,name,country,latitude,longitude,source,license,chart_datum,datums,region"]
    for s in list_stations():
        datums = " ".join(f"{k}={v:+.3f}" for k, v in sorted(s.datums.items()))
        name = s.name.replace(",", " ")
        rows.append(f"{s.id},{name},{s.country},{s.latitude:.4f},{s.longitude:.4f},"
                    f"{s.source.replace(',', ' ')},{s.license},{s.chart_datum or ''},{datums},"
                    f"{s.region.replace(',', ' ')}")
    sys.stdout.write("\n".join(rows) + "\n")

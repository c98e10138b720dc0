"""Harmonic tide prediction, station datums and tide windows (潮汐验放).

Typical use::

    from bastion.tides import get_station, tide_windows, UKCPolicy
    zhapo = get_station("zhapo")
    zhapo.heights(times, datum="CD")
    tide_windows(zhapo, start, end, depth_m=8, draught_m=9, ukc=UKCPolicy(0.5, 10))
"""

from bastion.tides.harmonic import Constituent, HarmonicModel
from bastion.tides.stations import (
    DatumError,
    Station,
    StationError,
    detect_amplitude_unit,
    get_station,
    list_stations,
    load_file,
)
from bastion.tides.windows import (
    Extremum,
    UKCPolicy,
    Window,
    high_low_waters,
    tide_windows,
    windows_where_nonnegative,
)

__all__ = [
    "Constituent", "DatumError", "Extremum", "HarmonicModel", "Station", "StationError",
    "UKCPolicy", "Window", "detect_amplitude_unit", "get_station", "high_low_waters",
    "list_stations", "load_file", "tide_windows", "windows_where_nonnegative",
]

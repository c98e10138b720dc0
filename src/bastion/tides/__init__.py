"""Harmonic tide prediction, station datums and tide windows (潮汐验放).

Typical use::

    from bastion.tides import get_station, tide_windows, UKCPolicy
    zhapo = get_station("zhapo")
    zhapo.heights(times, datum="CD")
    tide_windows(zhapo, start, end, depth_m=8, draught_m=9, ukc=UKCPolicy(0.5, 10))

The names are imported on first use (PEP 562): the manifest registry imports this package to
list ``bastion tides`` and must not pay for NumPy.
"""

from bastion.core.lazy import lazy_exports

_EXPORTS = {
    "Constituent": ".harmonic", "HarmonicModel": ".harmonic",
    "DatumError": ".stations", "Station": ".stations", "StationError": ".stations",
    "detect_amplitude_unit": ".stations", "get_station": ".stations",
    "list_stations": ".stations", "load_file": ".stations",
    "Extremum": ".windows", "UKCPolicy": ".windows", "Window": ".windows",
    "high_low_waters": ".windows", "tide_windows": ".windows",
    "windows_where_nonnegative": ".windows",
}

__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)

"""AIS ingestion: NMEA lines (files, TCP, UDP) or AIS CSV history to decoded message dicts.

Each message is a dict with ``type``, ``mmsi``, ``time`` (ISO-8601 UTC with Z, or None) and
pyais's field names, positions in degrees and "not available" values as None.

Names are imported on first use (``core.lazy``): listing commands must not load them.
"""

from bastion.core.lazy import lazy_exports

_EXPORTS = {
    "read_csv": ".csv_readers",
    "Pipeline": ".pipeline", "Stats": ".pipeline", "decode_lines": ".pipeline",
    "TcpSource": ".sources", "UdpSource": ".sources", "open_lines": ".sources",
    "open_source": ".sources", "read_file": ".sources",
}

__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)

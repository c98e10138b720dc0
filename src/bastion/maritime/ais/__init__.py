"""AIS ingestion: NMEA lines (files, TCP, UDP) or AIS CSV history to decoded message dicts.

Each message is a dict with ``type``, ``mmsi``, ``time`` (ISO-8601 UTC with Z, or None) and
pyais's field names, positions in degrees and "not available" values as None.
"""

from bastion.maritime.ais.csv_readers import read_csv
from bastion.maritime.ais.pipeline import Pipeline, Stats, decode_lines
from bastion.maritime.ais.sources import TcpSource, UdpSource, open_lines, open_source, read_file

__all__ = ["Pipeline", "Stats", "TcpSource", "UdpSource", "decode_lines", "open_lines",
           "open_source", "read_csv", "read_file"]

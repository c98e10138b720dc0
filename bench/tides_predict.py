"""Benchmark: a year of 1-minute heights for Zhapo, ours vs uptide (same constituents).

Run: .venv/bin/python bench/tides_predict.py   (prints seconds and the ratio)
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.tides.conftest import load_uptide

from bastion.tides import HarmonicModel, get_station


def main() -> None:
    ut = load_uptide()
    from uptide import tidal

    st = get_station("zhapo")
    common = [n for n in st.model.names if n in tidal.omega and n not in ("M1", "MK3")]
    model = HarmonicModel.build(st.constituents, only=common)
    start = datetime(2024, 1, 1)
    offsets = np.arange(0, 366 * 86400, 60.0)
    times = np.datetime64(start) + (offsets * 1e9).astype("timedelta64[ns]")
    t = time.perf_counter()
    ours = model.predict(times)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    tide = ut.Tides(model.names)
    tide.set_initial_time(start)
    amp = np.array([c.amplitude for c in model.constituents])
    peer = tide.from_amplitude_phase(amp, np.radians([c.phase for c in model.constituents]),
                                     offsets)
    t_peer = time.perf_counter() - t
    diff = ours - peer
    print(f"{offsets.size} samples x {len(common)} constituents")
    print(f"ours   {t_ours:.2f} s (node factors per sample)")
    print(f"uptide {t_peer:.2f} s (node factors frozen at the start)")
    print(f"ratio ours/uptide {t_ours / t_peer:.2f}; "
          f"RMS diff {np.sqrt(np.mean(diff**2)) * 100:.2f} cm, max {np.abs(diff).max() * 100:.2f} cm")


if __name__ == "__main__":
    main()

"""QR codes for checkpoints, as SVG (segno: no Pillow, no JavaScript). Shown on the print
sheet as ``<img src="data:...">`` (the CSP allows data: images, never inline scripts)."""

from __future__ import annotations

import segno

# Error correction M (15 %): a sheet nailed to a post in the rain still scans when scuffed.
ERROR = "m"


def svg(text: str, *, scale: int = 4) -> bytes:
    import io

    out = io.BytesIO()
    segno.make(text, error=ERROR, micro=False).save(out, kind="svg", scale=scale, border=2)
    return out.getvalue()


def data_uri(text: str, *, scale: int = 4) -> str:
    return segno.make(text, error=ERROR, micro=False).svg_data_uri(scale=scale, border=2)

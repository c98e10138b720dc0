"""The empty template to download, in CSV or xlsx, English or Chinese headings.

Its own module so that ``headings`` (which ``xlsx_template`` reads) never imports the xlsx
builder back; openpyxl is still loaded only when an xlsx template is asked for.
"""

from __future__ import annotations

import csv
import io

from bastion.core.tabular import csv_row

from .headings import headings


def template(format: str = "csv", language: str = "en") -> bytes:
    """Headings only, so no example row gets imported."""
    if format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(csv_row(headings(language)))
        return buffer.getvalue().encode("utf-8-sig")
    if format == "xlsx":
        from .xlsx_template import xlsx_template

        return xlsx_template(headings(language), language)
    raise ValueError("format must be 'csv' or 'xlsx'")

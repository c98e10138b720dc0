"""Builds the xlsx template on demand (no binary file in the repository to drift from COLUMNS).

Every column is formatted as text so Excel keeps "1975-04" and "0012" as typed instead of
turning them into a date or a number, and Type and Gender offer a drop-down list. A second
sheet explains each column with an example; the reader skips it because its headings are not
template headings.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bastion.core.tabular import append, heading_sheet

from .headings import COLUMNS

_SHEETS = {"en": ("Watchlist", "Instructions", ("Column", "Example")),
           "zh-CN": ("名单", "填写说明", ("列", "示例"))}
ROWS = 2000  # rows prepared with text format and drop-downs


def xlsx_template(heads: list[str], language: str) -> bytes:
    data_title, help_title, help_heads = _SHEETS[language]
    wb = Workbook()
    ws = wb.active
    ws.title = data_title
    heading_sheet(ws, heads, max_width=40)
    for key, choices in (("type", "person,vessel"), ("gender", "male,female")):
        column = get_column_letter([c[0] for c in COLUMNS].index(key) + 1)
        rule = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        rule.add(f"{column}2:{column}{ROWS}")
        ws.add_data_validation(rule)
    help_ws = wb.create_sheet(help_title)
    append(help_ws, help_heads)
    for head, (_key, _en, _zh, example) in zip(heads, COLUMNS, strict=True):
        append(help_ws, [head, example])
    help_ws.column_dimensions["A"].width = 40
    help_ws.column_dimensions["B"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

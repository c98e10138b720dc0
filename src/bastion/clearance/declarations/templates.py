"""Downloadable templates, built on demand from the column table (no binary in the repository
to drift from ``forms.py``).

xlsx columns are formatted as text so Excel keeps "0012" and "2030-01-31" as typed, and a second
sheet says what each column is, which FAL box it carries and an example; the reader skips that
sheet because its rows are not heading rows. CSV templates carry a UTF-8 BOM so Excel on Chinese
Windows opens them without mojibake.
"""

from __future__ import annotations

import csv
import io

from bastion.core.tabular import csv_row

from .forms import FAL_NUMBER, FORMS, Column

LANGUAGES = ("en", "zh-CN")
_SHEETS = {"en": ("Instructions", ("Column", "FAL form box", "Example")),
           "zh-CN": ("填写说明", ("列", "FAL 表格栏目", "示例"))}
EXAMPLES = {
    "no": "1", "family_name": "ZHANG", "given_names": "SAN", "rank": "Master", "nationality": "CHN",
    "birth_date": "1980-05-17", "birth_place": "Guangzhou", "gender": "M", "document_type": "passport",
    "document_number": "E12345678", "issuing_state": "CHN", "expiry_date": "2031-05-16",
    "embarkation_port": "CNSHG", "disembarkation_port": "CNNSA", "transit": "no", "visa_number": "",
    "vessel_name": "EXAMPLE STAR", "imo": "9074729", "mmsi": "412345678", "call_sign": "BQAB",
    "flag": "CHN", "voyage_number": "2405E", "arrival_port": "CNNSA", "eta": "2025-03-01 08:00",
    "etd": "2025-03-03 18:00", "last_port": "HKHKG", "next_port": "VNHPH", "crew_count": "21",
    "passenger_count": "0", "master_name": "LI SI", "agent": "Example Shipping Agency",
    "article": "Fuel oil", "quantity": "120", "unit": "t", "location": "Bunker tank 2",
    "description": "Cigarettes, 2 cartons", "un_number": "UN1203", "shipping_name": "GASOLINE",
    "dg_class": "3", "packing_group": "II", "stowage": "030482",
    "ports_last_30_days": "VNHPH 2025-02-25; HKHKG 2025-02-27", "sanitation_certificate":
    "SSCC, Hong Kong, 2024-11-02", "affected_area": "no", "deaths": "no", "deaths_count": "",
    "infectious_suspected": "no", "ill_above_normal": "no", "ill_count": "", "ill_now": "yes",
    "medical_consulted": "yes", "infection_condition": "no", "sanitary_measures": "no",
    "sanitary_details": "", "stowaways": "no", "stowaways_joined": "", "sick_animals": "no",
    "name": "CHEN WU", "age": "34", "port_joined": "CNSHG", "date_joined": "2025-01-10",
    "illness": "Fever, cough", "onset_date": "2025-02-26", "reported": "yes",
    "disposal": "Isolated in cabin", "treatment": "Paracetamol", "comments": "",
}


def columns(form: str) -> list[Column]:
    return [c for c in FORMS[form] if c.in_template]


def headings(form: str, language: str = "en") -> list[str]:
    return [c.zh if language == "zh-CN" else c.en for c in columns(form)]


def template(form: str, format: str = "xlsx", language: str = "en") -> bytes:
    """An empty declaration of ``form`` with its heading row, as xlsx or CSV bytes."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: en or zh-CN")
    if format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(csv_row(headings(form, language)))
        return buffer.getvalue().encode("utf-8-sig")
    if format == "xlsx":
        return _xlsx(form, language)
    raise ValueError(f"unknown format {format!r}: xlsx or csv")


def _xlsx(form: str, language: str) -> bytes:
    from openpyxl import Workbook

    from bastion.core.tabular import append, heading_sheet

    heads = headings(form, language)
    wb = Workbook()
    ws = wb.active
    ws.title = FAL_NUMBER[form]
    heading_sheet(ws, heads, max_width=32, text_rows=500)
    help_title, help_heads = _SHEETS[language]
    help_ws = wb.create_sheet(help_title)
    append(help_ws, help_heads)
    for head, column in zip(heads, columns(form), strict=True):
        append(help_ws, [head, column.fal, EXAMPLES.get(column.key, "")])
    for letter, width in (("A", 28), ("B", 60), ("C", 28)):
        help_ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

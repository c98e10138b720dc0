"""The tabular kit: one reader for xlsx and CSV with hostile-file checks, one ``Problem`` type
located by file, sheet, row and column, headings matched in Chinese or English, and templates.

Every import of a spreadsheet (watchlists, FAL declarations, agencies, users) goes through it,
so every one accepts the same files, refuses the same bombs and reports problems the same way.
"""

from .headings import Column, Record, index, normalise, records
from .problems import MAX_PROBLEMS, Collector, Problem, Problems, Severity
from .reader import MAX_BYTES, Sheet, cell_text, check_xlsx, decode, read_csv, read_table, read_xlsx
from .writer import append, csv_row, heading_sheet, neutralise, put, template

__all__ = ["MAX_BYTES", "MAX_PROBLEMS", "Collector", "Column", "Problem", "Problems", "Record",
           "Severity", "Sheet", "append", "cell_text", "check_xlsx", "csv_row", "decode",
           "heading_sheet", "index", "neutralise", "normalise", "put", "read_csv", "read_table",
           "read_xlsx", "records", "template"]

"""The FAL declarations (FAL 1, 3, 4, 5, 6, 7): their columns and codes, reading xlsx/CSV
files and JSON rows, validation with located problems, cross-checks between the forms, and
bilingual templates. Pure: no database; the port call stores what passes (clearance.calls)."""

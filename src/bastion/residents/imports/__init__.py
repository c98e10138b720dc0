"""Bulk import and offline check of residents' workbooks (issue 14 item 6): the template
(``columns``, ``template``), the reader (``reader``: xlsx, or a folder or zip of CSV files
named after the sheets; all rows or none), the offline crossing-point recogniser (``points``)
and storing (``store``)."""

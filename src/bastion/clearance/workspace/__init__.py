"""Declarations as officers read them: rows as tables, versions compared, copy forward."""

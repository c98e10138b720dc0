"""Supplies and equipment of the command and its posts: catalogue, stock, receipts, issues and returns (issue 16)."""

"""Files attached to any record, stored in the database and seen by whoever sees the record."""

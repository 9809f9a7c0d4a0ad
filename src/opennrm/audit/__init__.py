"""The append-only, hash-chained audit trail. Records ids and action codes, never personal data."""

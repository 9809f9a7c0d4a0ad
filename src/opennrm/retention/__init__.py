"""Retention and erasure: the schedule per data category, legal holds, crypto-shredding, the
erasure ledger (in the database and in a file outside it), data-subject requests."""

"""The criminal-justice chain: proceedings, participants, suspects, protection, compensation,
non-punishment. Domain only: who may see or do what is decided in `access/justice.py`."""

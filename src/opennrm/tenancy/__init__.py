"""Agencies (NRM partners), their oblasts, and memberships with roles. No case data here."""

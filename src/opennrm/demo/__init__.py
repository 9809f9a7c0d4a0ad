"""Synthetic demo data: believable agencies, users and cases that reproduce published figures.

Every name is generated; no real person's data is here.
"""

"""Screening with the ILO/EC operational indicators (2009).

The indicator lists are versioned data; the dimension and combination rules are data too.
"""

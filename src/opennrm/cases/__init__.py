"""Cases: one identification of a person, the HTCDS victim facts, trafficking events, consent.

Writes go through `services`, reads through `queries` over a queryset the access gate scoped.
"""

"""The access gate: the only code that decides who may see or do what.

Views, API endpoints, reports and exports fetch objects through here; nothing else filters by
agency or checks a role.
"""

"""Operator commands (`opennrm add-agency`, `add-user`, `issue-token`, `verify-audit`, ...)."""

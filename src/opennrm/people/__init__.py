"""The person: identity encrypted at rest (a data key per person), blind indexes for search.

Owns the only code that turns identity into ciphertext and back; never decides who may see it.
"""

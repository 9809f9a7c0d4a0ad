"""The given-name equivalents, now in `opennrm.core.given_names`.

They moved below the domain so that the case search's blind indexes (`people.identity`) use
the same classes as record linkage; the engine keeps importing them under its own name.
"""

from opennrm.core.given_names import (
    DATA_FILE,
    KINDS,
    Equivalent,
    canonical_given_names,
    dictionary_pairs,
    given_names_equivalent,
    load_equivalents,
)

__all__ = [
    "DATA_FILE",
    "KINDS",
    "Equivalent",
    "canonical_given_names",
    "dictionary_pairs",
    "given_names_equivalent",
    "load_equivalents",
]

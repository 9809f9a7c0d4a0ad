"""The keys of a name as people type it: what the case search's blind indexes hold.

Each name token is indexed under four kinds of key, each in its own blind-index domain
(`people.identity`), and a search token is looked up under the same four:

- ``exact``: the token as written and in the official transliteration (`core.names`):
  "Шевченкович" and "Shevchenkovych";
- ``translit``: the transliteration-blind skeleton (`core.name_skeleton`), so passport-style,
  Russian-based, English or German spellings agree: "Shevchenkovich", "Schewtschenkowitsch";
- ``equivalent``: the canonical given names (`core.given_names`, the classes record linkage
  uses), so "Alexander", "Александр", "Саша" find "Олександр";
- ``prefix``: the beginnings of the skeleton, from `PREFIX_MIN` letters to one short of the
  whole, so "Шевченк" or "Shevch" find "Шевченкович".

Kinds are listed best first; a result says the best kind by which each token matched.
"""

from __future__ import annotations

from opennrm.core.given_names import canonical_given_names
from opennrm.core.name_skeleton import skeleton_key
from opennrm.core.names import name_tokens, token_forms

EXACT = "exact"
TRANSLIT = "translit"
EQUIVALENT = "equivalent"
PREFIX = "prefix"
KINDS = (EXACT, TRANSLIT, EQUIVALENT, PREFIX)

# The shortest indexed beginning of a skeleton key: shorter ones match too many names.
PREFIX_MIN = 4


def _equivalents(token: str) -> set[str]:
    if token.isascii() and len(token) < 3:
        return set()
    return {name.casefold() for name in canonical_given_names(token)}


def index_keys(token: str) -> dict[str, set[str]]:
    """Every key under which one token of a stored name is indexed, by kind."""
    skeleton = skeleton_key(token)
    return {
        EXACT: token_forms(token),
        TRANSLIT: {skeleton} if skeleton else set(),
        EQUIVALENT: _equivalents(token),
        PREFIX: {skeleton[:n] for n in range(PREFIX_MIN, len(skeleton))},
    }


def query_keys(token: str) -> dict[str, set[str]]:
    """The keys one search token is looked up under, by kind.

    A typed beginning (of at least `PREFIX_MIN` letters as typed: "Шев" is too short, though
    its key "shev" is not) is looked up by its skeleton with and without the ending folds: the
    ending of a beginning ("Ковалев" of "Ковалевський") is not the ending of the name.
    """
    skeleton = skeleton_key(token)
    beginnings = (
        {skeleton, skeleton_key(token, endings=False)} if len(token) >= PREFIX_MIN else set()
    )
    return {
        EXACT: token_forms(token),
        TRANSLIT: {skeleton} if skeleton else set(),
        EQUIVALENT: _equivalents(token),
        PREFIX: {key for key in beginnings if len(key) >= PREFIX_MIN},
    }


def text_index_keys(text: str) -> dict[str, set[str]]:
    """The keys of every token of a stored name, by kind."""
    keys: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for token in name_tokens(text):
        for kind, values in index_keys(token).items():
            keys[kind] |= values
    return keys

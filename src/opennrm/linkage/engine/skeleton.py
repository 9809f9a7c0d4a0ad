"""The transliteration-blind name keys, now in `opennrm.core.name_skeleton`.

They moved below the domain so that the case search's blind indexes (`people.identity`) use
the same keys as record linkage; the engine keeps importing them under its own name.
"""

from opennrm.core.name_skeleton import (
    latin_letters,
    official_latin,
    skeleton_key,
    skeleton_keys,
    skeletons_agree,
)

__all__ = ["latin_letters", "official_latin", "skeleton_key", "skeleton_keys", "skeletons_agree"]

"""The Fellegi-Sunter model: comparisons, blocking rules and training, as Splink settings.

Everything here is data: the comparisons are Splink comparison dictionaries over the keys of
``records.FEATURE_COLUMNS``, written in plain SQL (equality, Jaro-Winkler, Levenshtein) that
Splink translates for DuckDB and Spark alike. The starting m and u probabilities are priors; a
run replaces them by training on its own data (u by seeded random sampling, m by expectation
maximisation), so no labelled pairs are needed. The trained model is a JSON document that a run
stores, so the same run can be scored again with exactly the same parameters.
"""

from __future__ import annotations

import math
from typing import Any

# The Splink SQL dialect the conditions below are written in (translated for Spark).
BASE_DIALECT = "duckdb"


def _level(
    sql: str, label: str, m: float, u: float, *, tf: str | None = None, own_u: bool = False
) -> dict[str, Any]:
    level: dict[str, Any] = {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
    }
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
    if own_u:
        # The adjustment is relative to this level's own u (Splink otherwise looks for a level
        # of exact agreement on the adjustment column, which a condition with OR is not).
        level["disable_tf_exact_match_detection"] = True
    return level


def _null(*columns: str) -> dict[str, Any]:
    condition = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return {"sql_condition": condition, "label_for_charts": "missing", "is_null_level": True}


def _else(m: float, u: float) -> dict[str, Any]:
    return _level("ELSE", "different", m, u)


_SWAPPED = "given_skel_l = family_skel_r AND family_skel_l = given_skel_r"
# The sound-alike codes agree, in order or crossed over: a given and family name swapped with a
# slip of the pen in one of them is weighed like the same names in order that sound alike.
_GIVEN_DM = "given_dm_l = given_dm_r OR (given_dm_l = family_dm_r AND family_dm_l = given_dm_r)"
_FAMILY_DM = "family_dm_l = family_dm_r OR (given_dm_l = family_dm_r AND family_dm_l = given_dm_r)"
# The same consonants once the letters that transliteration tables confuse are merged
# (``records._coarse``), in order or crossed over: "Cireieva" (the 2004 passport table) and
# Кіреєва, "Chartschenko" (German) and Харченко, a vowel slip or a doubled letter. Their
# skeletons and sound-alike codes differ, so without this level they were "different" (-5.6
# bits at 100,000 registrations) even with the same date of birth.
_COARSE_CROSSED = "(given_coarse_l = family_coarse_r AND family_coarse_l = given_coarse_r)"
_GIVEN_COARSE = f"given_coarse_l = given_coarse_r OR {_COARSE_CROSSED}"
_FAMILY_COARSE = f"family_coarse_l = family_coarse_r OR {_COARSE_CROSSED}"

# A slip in one part of a date of birth that changes two digits: the day one off across a ten
# (09 and 10, 28 and 01), the year one off across a decade (1979 and 1980) or mistyped. Without
# this level such pairs fell to "same year" or "a year apart" (0 and -1.6 bits at 100,000
# registrations), below pairs with no date at all.
_TWO_OF_THREE = (
    "substr(dob_l, 1, 7) = substr(dob_r, 1, 7) OR substr(dob_l, 6, 5) = substr(dob_r, 6, 5) "
    "OR (dob_year_l = dob_year_r AND substr(dob_l, 9, 2) = substr(dob_r, 9, 2))"
)

# The columns whose frequencies in the register adjust the weight of an agreement on them
# (Splink term-frequency adjustments): a name met once among a million registrations says far
# more than "Олександр" or "Мельник". Splink puts the frequency of the value in place of the
# level's u (the share of the *other* registrations that bear it: ``run._register_frequencies``).
# For an equivalent given name (another language form or a diminutive) that value
# is the frequency of the spelling (the larger of the two), not of the canonical name: most
# random pairs that share a canonical name share the spelling too and reach the level above,
# so the canonical name's frequency overstated u ("Василь" and "Василий" weighed 2.5 bits
# below "Василь" twice, where the untrained model has 0.4).
TF_COLUMNS = ("given_skel", "given_dm", "family_skel", "family_dm")


def _any_equal(column: str) -> str:
    """Either of a registration's two values (``column`` and ``column2``, ``records``) equal to
    either of the other's; a missing second value agrees with nothing (NULL)."""
    second = f"{column}2"
    return " OR ".join(
        f"{left}_l = {right}_r"
        for left, right in ((column, column), (column, second), (second, column), (second, second))
    )


def _comparison(name: str, description: str, levels: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "output_column_name": name,
        "comparison_description": description,
        "comparison_levels": levels,
    }


def comparisons() -> list[dict[str, Any]]:
    """The comparisons, most to least specific level in each (labels are the explanation)."""
    return [
        _comparison(
            "given_name",
            "Given name: the same key, the same name in another language or a diminutive "
            "(Олександр, Александр, Саша; Федір, Фёдор, Fyodor), swapped with the family "
            "name, sounding alike (also when swapped), the same consonants, near in spelling; "
            "agreement is adjusted for how common the name is in the register being linked",
            [
                _null("given_skel"),
                _level("given_skel_l = given_skel_r", "same", 0.75, 0.02, tf="given_skel"),
                _level(
                    "given_canon_l = given_canon_r",
                    "equivalent (language form or diminutive)",
                    0.12,
                    0.005,
                    tf="given_skel",
                ),
                _level(_SWAPPED, "given and family name swapped", 0.02, 0.000001),
                _level(_GIVEN_DM, "sounds alike", 0.04, 0.01, tf="given_dm", own_u=True),
                _level(_GIVEN_COARSE, "same consonants", 0.02, 0.003),
                _level(
                    "jaro_winkler_similarity(given_skel_l, given_skel_r) >= 0.9",
                    "near spelling",
                    0.03,
                    0.005,
                ),
                _else(0.04, 0.96),
            ],
        ),
        _comparison(
            "family_name",
            "Family name: the same transliteration-insensitive key, swapped with the given "
            "name, sounding alike (Daitch-Mokotoff; also when swapped), the same consonants "
            "(letters that transliteration tables confuse merged), near in spelling; "
            "agreement is adjusted for how common the name is in the register being linked",
            [
                _null("family_skel"),
                _level("family_skel_l = family_skel_r", "same", 0.8, 0.001, tf="family_skel"),
                _level(_SWAPPED, "given and family name swapped", 0.02, 0.000001),
                _level(_FAMILY_DM, "sounds alike", 0.08, 0.003, tf="family_dm", own_u=True),
                _level(_FAMILY_COARSE, "same consonants", 0.04, 0.0005),
                _level(
                    "jaro_winkler_similarity(family_skel_l, family_skel_r) >= 0.9",
                    "near spelling",
                    0.05,
                    0.002,
                ),
                _else(0.05, 0.994),
            ],
        ),
        _comparison(
            "patronymic",
            "Patronymic: the father's given name and the bearer's sex",
            [
                _null("patronymic"),
                _level("patronymic_l = patronymic_r", "same", 0.9, 0.05),
                _else(0.1, 0.95),
            ],
        ),
        _comparison(
            "birth_date",
            "Date of birth: exact, day and month swapped, one digit off, two of year, month "
            "and day the same, same year "
            "(also when only the year is known), a year apart",
            [
                _null("dob_year"),
                _level("dob_l = dob_r", "same", 0.80, 0.0001),
                _level("dob_l = dob_swapped_r", "day and month swapped", 0.03, 0.00001),
                _level("levenshtein(dob_l, dob_r) <= 1", "one digit off", 0.05, 0.001),
                _level(_TWO_OF_THREE, "two of year, month and day the same", 0.04, 0.004),
                _level(
                    "(dob_l IS NULL OR dob_r IS NULL) AND dob_year_l = dob_year_r",
                    "same year (only the year known)",
                    0.05,
                    0.02,
                ),
                _level("dob_year_l = dob_year_r", "same year", 0.03, 0.02),
                _level("abs(dob_year_l - dob_year_r) <= 1", "a year apart", 0.03, 0.04),
                _else(0.03, 0.94),
            ],
        ),
        _comparison(
            "sex",
            "Sex",
            [_null("sex"), _level("sex_l = sex_r", "same", 0.97, 0.5), _else(0.03, 0.5)],
        ),
        _comparison(
            "citizenship",
            "Citizenship (either of a dual citizen's)",
            [
                _null("citizenship"),
                _level(_any_equal("citizenship"), "same", 0.95, 0.7),
                _else(0.05, 0.3),
            ],
        ),
        _comparison(
            "phone",
            "Phone number in E.164 (either of two)",
            [
                _null("phone"),
                _level(_any_equal("phone"), "same", 0.6, 0.0001),
                _else(0.4, 0.9999),
            ],
        ),
        _comparison(
            "document",
            "Identity document number (either of two)",
            [
                _null("document"),
                _level(_any_equal("document"), "same", 0.8, 0.00001),
                _level(
                    "levenshtein(document_l, document_r) <= 1", "one character off", 0.1, 0.0001
                ),
                _else(0.1, 0.9999),
            ],
        ),
        _comparison(
            "address",
            "Place of residence as written: same, near spelling",
            [
                _null("address"),
                _level("address_l = address_r", "same", 0.7, 0.0001),
                _level("jaro_winkler_similarity(address_l, address_r) >= 0.9", "near", 0.2, 0.001),
                _level(
                    "jaro_winkler_similarity(address_l, address_r) >= 0.75",
                    "partly the same",
                    0.05,
                    0.05,
                ),
                _else(0.05, 0.9489),
            ],
        ),
    ]


# Candidate pairs: a pair is scored when any rule puts both records in one block. Between them
# they cover one wrong name part, a swapped order, a wrong or missing date, and strong
# identifiers alone.
PREDICTION_BLOCKING_RULES = (
    ("name_pair",),
    ("family_dm", "dob_year"),
    ("given_canon", "dob"),
    ("given_dm", "dob"),  # a family name changed on marriage, or garbled
    ("given_dm", "family_dm", "sex"),
    ("given_dm", "family_skel"),
    # the same family name and initial: a garbled given name with no date of birth to block on
    ("family_skel", "given_initial"),
    # the same consonants of the canonical given name and the family name, in either order:
    # another transliteration table or a slip of the pen in the family name, no date in common
    ("coarse_pair",),
    ("phone",),
    ("document",),
)
# Rules that are not equality on columns: given and family name swapped in one registration
# with a slip of the pen in one of them (so the swap is not put back and the name pair
# differs): the sound-alike codes cross over; and the same given name with a slip of the pen
# in the family name after its first four letters (one that changes its sound-alike code too)
# and no date of birth in common: the mirror of the family name and initial above.
SQL_BLOCKING_RULES = (
    "l.given_dm = r.family_dm AND l.family_dm = r.given_dm",
    "l.given_canon = r.given_canon AND substr(l.family_skel, 1, 4) = substr(r.family_skel, 1, 4)",
    # A registration's second phone or document number equal to one of the other's.
    "l.phone = r.phone2",
    "l.phone2 = r.phone",
    "l.phone2 = r.phone2",
    "l.document = r.document2",
    "l.document2 = r.document",
    "l.document2 = r.document2",
)

# Expectation maximisation runs once per rule; each leaves out the comparisons it blocks on.
# The date of birth is trained where nearly every pair is a match (the same phone or document
# number), since within same-name blocks it is the only field that tells matches apart and EM
# cannot separate the two classes with one field; without phones or documents in the data, on
# the same names and patronymic.
TRAINING_BLOCKING_RULES = (("dob",), ("document",), ("phone",))
FALLBACK_TRAINING_RULE = ("name_pair", "patronymic")

# Rules that are almost certain matches, to estimate how likely two random records match.
DETERMINISTIC_RULES = (("name_pair", "dob"), ("document",))
# Share of true matches those rules find: about half on registers written in two languages
# and several transliterations, with dates of birth often missing or partial.
DETERMINISTIC_RECALL = 0.5


def blocking_rule_sql(columns: tuple[str, ...]) -> str:
    """A blocking rule as SQL (``l.a = r.a AND l.b = r.b``)."""
    return " AND ".join(f"l.{column} = r.{column}" for column in columns)


def without_term_frequencies(settings: dict[str, Any]) -> dict[str, Any]:
    """The model with no term-frequency adjustment: in a register of a few hundred
    registrations every name is "common" (two registrations of one Шевченко make it 1% of
    the register), so frequencies there say nothing about the population."""
    out = dict(settings)
    out["comparisons"] = [
        {
            **comparison,
            "comparison_levels": [
                {k: v for k, v in level.items() if not k.startswith("tf_")}
                for level in comparison["comparison_levels"]
            ],
        }
        for comparison in settings["comparisons"]
    ]
    return out


# The least share of true matches a level of a trained comparison is given (m). Training can
# meet no true match at some level at all: on a register where nobody's phone, sex or
# citizenship was ever written differently, EM puts the m of "different" at 0, and a weight of
# log2(1e-300 / u) (Splink's clamp, about -1,000 bits) makes that one field a veto: a person
# whose phone changed, or whose sex a clerk mistyped, would never be linked again, whatever
# else agrees. Real registers hold such slips, and new phones are common among victims of
# trafficking. At 0.001 a disagreement weighs at most about -10 bits: strong evidence, which
# names, a date of birth and a document together can still outweigh.
M_FLOOR = 0.001


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def with_m_floor(model: dict[str, Any], floor: float = M_FLOOR) -> dict[str, Any]:
    """The model with no level weighing less than log2(floor / u): a level's m below
    ``min(floor, u)`` is raised to it (never above its u, so a level is not turned into evidence
    for a match), and the comparison's other levels are scaled down so that its m values add up
    to what they did. Levels without a numeric m, and null levels, are left as they are."""
    out = dict(model)
    comparisons = []
    for comparison in model["comparisons"]:
        levels = [dict(level) for level in comparison["comparison_levels"]]
        numeric = [
            level
            for level in levels
            if not level.get("is_null_level") and _number(level.get("m_probability")) is not None
        ]
        ms = [float(level["m_probability"]) for level in numeric]
        least = [
            min(floor, u) if (u := _number(level.get("u_probability"))) is not None else floor
            for level in numeric
        ]
        total = sum(ms)
        raised: set[int] = set()
        # Scaling the others down can take one of them below its least in turn: repeat.
        while True:
            low = {n for n, m in enumerate(ms) if m < least[n] * (1 - 1e-9)} | raised
            if low == raised:
                break
            raised = low
            for n in raised:
                ms[n] = least[n]
            rest = [n for n in range(len(ms)) if n not in raised]
            kept = total - sum(least[n] for n in raised)
            current = sum(ms[n] for n in rest)
            if not rest or kept <= 0 or current <= 0:
                break  # nothing left to take it from (m values that add up to next to nothing)
            for n in rest:
                ms[n] *= kept / current
        for level, m in zip(numeric, ms, strict=True):
            level["m_probability"] = m
        comparisons.append({**comparison, "comparison_levels": levels})
    out["comparisons"] = comparisons
    return out


def settings_dict() -> dict[str, Any]:
    """The untrained model as a Splink settings dictionary (dedupe within one table)."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "record_id",
        "probability_two_random_records_match": 0.0001,
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": sql, "sql_dialect": BASE_DIALECT}
            for sql in [
                *(blocking_rule_sql(rule) for rule in PREDICTION_BLOCKING_RULES),
                *SQL_BLOCKING_RULES,
            ]
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [],
        "em_convergence": 0.0001,
        "max_iterations": 25,
    }


def level_weights(model: dict[str, Any]) -> dict[str, list[tuple[float, str]]]:
    """For each comparison, (match weight, label) of each level: log2(m/u), 0 when missing.

    Predictions keep only the weights (keeping the compared values too would double the
    memory of a run), so the explanation reads the level back from its weight.
    """
    weights: dict[str, list[tuple[float, str]]] = {}
    for comparison in model["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts", "")
            if level.get("is_null_level"):
                levels.append((0.0, "missing"))
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if m and u:
                levels.append((math.log2(m / u), label))
        weights[comparison["output_column_name"]] = levels
    return weights


def level_tf_columns(model: dict[str, Any]) -> dict[str, dict[str, str]]:
    """For each comparison, the term-frequency column of each level that has one, by label."""
    return {
        comparison["output_column_name"]: {
            level.get("label_for_charts", ""): level["tf_adjustment_column"]
            for level in comparison["comparison_levels"]
            if level.get("tf_adjustment_column")
        }
        for comparison in model["comparisons"]
    }

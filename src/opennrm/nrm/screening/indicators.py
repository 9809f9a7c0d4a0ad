"""The ILO/EC operational indicators as data, and the rules that turn answers into a result.

Pure Python, no Django. The lists, the dimension rule and the combination rule live in versioned
JSON files next to this module (`data/`); a screening records the version it used, so a released
file is never edited in place: a corrected transcription is a new file with a new version.

The result is a recommendation to refer ("presumed victim, refer"), never a legal finding.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

DATA_DIR: Final = Path(__file__).resolve().parent / "data"
# The file a new screening uses. Older files stay so that old screenings keep their lists.
CURRENT_FILE: Final = "ilo_ec_indicators_2009_r2.json"

PRESENT: Final = "present"
ABSENT: Final = "absent"
UNKNOWN: Final = "unknown"
ANSWERS: Final = (PRESENT, ABSENT, UNKNOWN)

STRONG: Final = "strong"
MEDIUM: Final = "medium"
WEAK: Final = "weak"
STRENGTHS: Final = (STRONG, MEDIUM, WEAK)

# Outcomes of a screening.
PRESUMED_VICTIM: Final = "presumed_victim"  # "presumed victim, refer"
NOT_ENOUGH: Final = "not_enough_indicators"
INCOMPLETE: Final = "incomplete"
OUTCOMES: Final = (PRESUMED_VICTIM, INCOMPLETE, NOT_ENOUGH)

LANGUAGES: Final = ("en", "uk")

# How a list was transcribed: only "checked" lists are free of the "verify" marker; any other
# value ("verify", "reconstructed") is shown to the user wherever the list is used.
CHECKED: Final = "checked"


class IndicatorDataError(ValueError):
    """The indicator file is malformed or inconsistent."""


def _text(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise IndicatorDataError(f"{where}: expected texts by language")
    for lang in LANGUAGES:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise IndicatorDataError(f"{where}: missing {lang} text")
    return {lang: value[lang] for lang in LANGUAGES}


def pick(texts: Mapping[str, str], language: str) -> str:
    """The text in a language (`uk`, `uk-ua`, ...), English otherwise."""
    return texts.get((language or "en").split("-")[0].lower(), texts["en"])


@dataclass(frozen=True)
class Dimension:
    code: str
    number: int
    phase: str
    label: dict[str, str] = field(compare=False)


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    strength: str
    text: dict[str, str] = field(compare=False)


@dataclass(frozen=True)
class Term:
    """At least `at_least` present indicators of the given strengths."""

    at_least: int
    strengths: frozenset[str]


def _fits(terms: tuple[Term, ...], counts: dict[str, int]) -> bool:
    """Whether the counts can meet every term, each present indicator counted once."""
    if not terms:
        return True
    head, rest = terms[0], terms[1:]
    return any(_fits(rest, left) for left in _take(head.at_least, sorted(head.strengths), counts))


def _take(n: int, strengths: list[str], counts: dict[str, int]) -> Iterator[dict[str, int]]:
    """Every way to take `n` indicators from the given strengths; yields what is left."""
    if n == 0:
        yield dict(counts)
        return
    if not strengths:
        return
    first, others = strengths[0], strengths[1:]
    for k in range(min(n, counts.get(first, 0)), -1, -1):
        reduced = dict(counts)
        reduced[first] = counts.get(first, 0) - k
        yield from _take(n - k, others, reduced)


@dataclass(frozen=True)
class DimensionRule:
    """A dimension is positive when its present indicators meet one of the alternatives."""

    alternatives: tuple[tuple[Term, ...], ...]
    source: str = ""

    def positive(self, counts: Mapping[str, int]) -> bool:
        plain = {s: int(counts.get(s, 0)) for s in STRENGTHS}
        return any(_fits(terms, plain) for terms in self.alternatives)


@dataclass(frozen=True)
class ActItem:
    """A yes/no fact that meets a requirement on its own (the act for a child, without means)."""

    id: str
    text: dict[str, str] = field(compare=False)


@dataclass(frozen=True)
class Requirement:
    """One element of the combination rule: at least one of these dimensions is positive, or
    (when the rule names items) at least one of its items is present."""

    key: str
    dimensions: tuple[str, ...]
    label: dict[str, str] = field(compare=False)
    items: tuple[ActItem, ...] = ()


@dataclass(frozen=True)
class CombinationRule:
    requirements: tuple[Requirement, ...]
    source: str = ""


@dataclass(frozen=True)
class IndicatorList:
    key: str
    age_group: str
    exploitation: str
    label: dict[str, str]
    indicators: tuple[Indicator, ...]
    combination: CombinationRule
    transcription: str = ""
    note: str = ""

    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @property
    def act_items(self) -> tuple[ActItem, ...]:
        """Items of the combination rule that are asked beside the indicators."""
        return tuple(item for req in self.combination.requirements for item in req.items)

    def item_ids(self) -> list[str]:
        """Every id an answer may name: the indicators and the act items."""
        return [i.id for i in self.indicators] + [a.id for a in self.act_items]

    @property
    def needs_verify(self) -> bool:
        """Whether the list is not checked against the source (reconstructed or to verify)."""
        return self.transcription != CHECKED

    def of_dimension(self, code: str) -> list[Indicator]:
        return [i for i in self.indicators if i.dimension == code]


@dataclass(frozen=True)
class IndicatorSet:
    """One version of the four lists with their rules and source."""

    version: str
    title: dict[str, str]
    source: dict[str, str]
    dimensions: tuple[Dimension, ...]
    rule: DimensionRule
    lists: dict[str, IndicatorList]

    def list(self, key: str) -> IndicatorList:
        try:
            return self.lists[key]
        except KeyError:
            raise KeyError(f"no indicator list {key!r} in version {self.version}") from None

    def dimension(self, code: str) -> Dimension:
        return next(d for d in self.dimensions if d.code == code)

    def evaluate(self, list_key: str, answers: Mapping[str, str]) -> Assessment:
        return evaluate(self, self.list(list_key), answers)


# --- parsing and validation ----------------------------------------------------------------


def _rule(data: Any) -> DimensionRule:
    if not isinstance(data, dict) or not isinstance(data.get("any_of"), list) or not data["any_of"]:
        raise IndicatorDataError("dimension_rule: expected a non-empty any_of")
    alternatives = []
    for n, alt in enumerate(data["any_of"]):
        if not isinstance(alt, list) or not alt:
            raise IndicatorDataError(f"dimension_rule.any_of[{n}]: expected a list of terms")
        terms = []
        for term in alt:
            at_least, strengths = term.get("at_least"), term.get("strengths")
            if not isinstance(at_least, int) or at_least < 1:
                raise IndicatorDataError(f"dimension_rule.any_of[{n}]: at_least must be >= 1")
            if not strengths or not set(strengths) <= set(STRENGTHS):
                raise IndicatorDataError(f"dimension_rule.any_of[{n}]: unknown strength")
            terms.append(Term(at_least, frozenset(strengths)))
        alternatives.append(tuple(terms))
    return DimensionRule(tuple(alternatives), str(data.get("source", "")))


def _combination(data: Any, where: str, known: set[str]) -> CombinationRule:
    if not isinstance(data, dict) or not isinstance(data.get("all_of"), list) or not data["all_of"]:
        raise IndicatorDataError(f"{where}: expected a non-empty all_of")
    requirements = []
    for req in data["all_of"]:
        dims = tuple(req.get("any_of") or ())
        if not dims or not set(dims) <= known:
            raise IndicatorDataError(f"{where}: {req.get('key')!r} names an unknown dimension")
        items = []
        for item in req.get("or_items") or ():
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str) or not ident:
                raise IndicatorDataError(f"{where}.{req.get('key')}: an item without id")
            text = _text({lang: item.get(lang) for lang in LANGUAGES}, f"{where} {ident}")
            items.append(ActItem(ident, text))
        requirements.append(
            Requirement(
                str(req["key"]),
                dims,
                _text(req.get("label"), f"{where}.{req['key']}"),
                tuple(items),
            )
        )
    keys = [r.key for r in requirements]
    if len(keys) != len(set(keys)):
        raise IndicatorDataError(f"{where}: a requirement key is repeated")
    return CombinationRule(tuple(requirements), str(data.get("source", "")))


def _indicator_list(
    key: str, data: Any, dimensions: tuple[Dimension, ...], rules: dict[str, CombinationRule]
) -> IndicatorList:
    where = f"lists.{key}"
    if not isinstance(data, dict) or data.get("age_group") not in rules:
        raise IndicatorDataError(f"{where}: unknown age group")
    allowed = set(data.get("strengths") or STRENGTHS)
    codes = {d.code for d in dimensions}
    indicators = []
    for n, item in enumerate(data.get("indicators") or ()):
        iwhere = f"{where}.indicators[{n}]"
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            raise IndicatorDataError(f"{iwhere}: missing id")
        if item.get("dimension") not in codes:
            raise IndicatorDataError(f"{iwhere} {ident}: unknown dimension")
        if item.get("strength") not in allowed:
            raise IndicatorDataError(f"{iwhere} {ident}: strength not allowed in this list")
        text = _text({lang: item.get(lang) for lang in LANGUAGES}, f"{iwhere} {ident}")
        indicators.append(Indicator(ident, item["dimension"], item["strength"], text))
    for d in dimensions:
        if not any(i.dimension == d.code for i in indicators):
            raise IndicatorDataError(f"{where}: no indicator for {d.code}")
    sizes = data.get("sizes")
    if sizes is not None:
        found = [sum(1 for i in indicators if i.dimension == d.code) for d in dimensions]
        if list(sizes) != found:
            raise IndicatorDataError(f"{where}: sizes {found} differ from the declared {sizes}")
    return IndicatorList(
        key=key,
        age_group=data["age_group"],
        exploitation=str(data.get("exploitation", "")),
        label=_text(data.get("label"), f"{where}.label"),
        indicators=tuple(indicators),
        combination=rules[data["age_group"]],
        transcription=str(data.get("transcription", "")),
        note=str(data.get("note", "")),
    )


def parse_indicator_set(data: Mapping[str, Any]) -> IndicatorSet:
    """Build and validate an indicator set from the decoded JSON; IndicatorDataError if bad."""
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise IndicatorDataError("version: missing")
    source = data.get("source")
    if not isinstance(source, dict) or not source.get("title") or not source.get("url"):
        raise IndicatorDataError("source: a title and a URL are required")
    try:
        dimensions = tuple(
            Dimension(
                str(d["code"]),
                int(d["number"]),
                str(d.get("phase", "")),
                _text(d.get("label"), f"dimensions.{d['code']}"),
            )
            for d in data.get("dimensions") or ()
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise IndicatorDataError(f"dimensions: {exc}") from exc
    if not dimensions or len({d.code for d in dimensions}) != len(dimensions):
        raise IndicatorDataError("dimensions: missing or repeated")
    if sorted(d.number for d in dimensions) != list(range(1, len(dimensions) + 1)):
        raise IndicatorDataError("dimensions: numbers must run 1..n")
    known = {d.code for d in dimensions}
    rules = {
        str(age): _combination(rule, f"combination_rules.{age}", known)
        for age, rule in (data.get("combination_rules") or {}).items()
    }
    lists = {
        str(key): _indicator_list(str(key), value, dimensions, rules)
        for key, value in (data.get("lists") or {}).items()
    }
    if not lists:
        raise IndicatorDataError("lists: none")
    ids = [i.id for lst in lists.values() for i in lst.indicators]
    ids += [a.id for rule in rules.values() for req in rule.requirements for a in req.items]
    if len(ids) != len(set(ids)):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise IndicatorDataError(f"indicator ids repeated: {', '.join(repeated)}")
    return IndicatorSet(
        version=version,
        title=_text(data.get("title"), "title"),
        source={str(k): str(v) for k, v in source.items()},
        dimensions=tuple(sorted(dimensions, key=lambda d: d.number)),
        rule=_rule(data.get("dimension_rule")),
        lists=lists,
    )


def read_indicator_file(path: Path) -> IndicatorSet:
    with path.open(encoding="utf-8") as handle:
        return parse_indicator_set(json.load(handle))


@functools.cache
def _all_sets() -> dict[str, IndicatorSet]:
    sets: dict[str, IndicatorSet] = {}
    for path in sorted(DATA_DIR.glob("*.json")):
        loaded = read_indicator_file(path)
        if loaded.version in sets:
            raise IndicatorDataError(f"{path.name}: version {loaded.version} is in two files")
        sets[loaded.version] = loaded
    return sets


@functools.cache
def current_set() -> IndicatorSet:
    """The indicator set a new screening uses."""
    return read_indicator_file(DATA_DIR / CURRENT_FILE)


def all_versions() -> list[str]:
    """Every version the installed files hold (old screenings keep theirs)."""
    return sorted(_all_sets())


def indicator_set(version: str | None = None) -> IndicatorSet:
    """The set of a version (the current one when None); KeyError for an unknown version."""
    if version is None:
        return current_set()
    current = current_set()
    if version == current.version:
        return current
    try:
        return _all_sets()[version]
    except KeyError:
        raise KeyError(f"no indicator file holds version {version!r}") from None


# --- evaluation ----------------------------------------------------------------------------


def answer_problems(lst: IndicatorList, answers: Mapping[str, object]) -> dict[str, str]:
    """Answers that cannot be stored: {indicator id: problem} (empty when all are fine)."""
    known = set(lst.item_ids())
    problems: dict[str, str] = {}
    for key, value in answers.items():
        if key not in known:
            problems[str(key)] = "unknown indicator"
        elif value not in ANSWERS:
            problems[str(key)] = "answer must be present, absent or unknown"
    return problems


@dataclass(frozen=True)
class DimensionResult:
    code: str
    number: int
    positive: bool
    # Not positive yet, but would be if every unanswered or unknown indicator were present.
    could_become_positive: bool
    present: dict[str, int]
    absent: int
    open: int  # unanswered or unknown
    total: int

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "number": self.number,
            "positive": self.positive,
            "could_become_positive": self.could_become_positive,
            "present": dict(self.present),
            "absent": self.absent,
            "open": self.open,
            "total": self.total,
        }


@dataclass(frozen=True)
class Assessment:
    """What the answers say, per dimension and overall; stored with the screening as JSON."""

    version: str
    list_key: str
    age_group: str
    outcome: str
    dimensions: tuple[DimensionResult, ...]
    requirements: dict[str, bool]
    # Open indicators (unanswered or unknown) that could still change the outcome.
    missing: tuple[str, ...]
    answered: int
    total: int

    @property
    def positive_dimensions(self) -> list[int]:
        return [d.number for d in self.dimensions if d.positive]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "list": self.list_key,
            "age_group": self.age_group,
            "outcome": self.outcome,
            "dimensions": [d.to_json() for d in self.dimensions],
            "requirements": dict(self.requirements),
            "missing": list(self.missing),
            "answered": self.answered,
            "total": self.total,
        }


def _counts(indicators: list[Indicator], answers: Mapping[str, str], value: str) -> dict[str, int]:
    counts = dict.fromkeys(STRENGTHS, 0)
    for i in indicators:
        if answers.get(i.id, UNKNOWN) == value:
            counts[i.strength] += 1
    return counts


def evaluate(iset: IndicatorSet, lst: IndicatorList, answers: Mapping[str, str]) -> Assessment:
    """Apply the dimension rule and the combination rule to the answers.

    Unanswered indicators count as unknown. The outcome is "presumed victim" when the present
    indicators already meet the combination rule; "incomplete" when they do not, but would if
    open indicators turned out present (those indicators are listed as missing); otherwise
    "not enough indicators".
    """
    problems = answer_problems(lst, answers)
    if problems:
        raise ValueError(f"invalid answers: {sorted(problems)}")
    results = []
    for dim in iset.dimensions:
        indicators = lst.of_dimension(dim.code)
        present = _counts(indicators, answers, PRESENT)
        open_ = _counts(indicators, answers, UNKNOWN)  # unanswered counts as unknown
        positive = iset.rule.positive(present)
        optimistic = iset.rule.positive({s: present[s] + open_[s] for s in STRENGTHS})
        results.append(
            DimensionResult(
                code=dim.code,
                number=dim.number,
                positive=positive,
                could_become_positive=optimistic and not positive,
                present=present,
                absent=sum(_counts(indicators, answers, ABSENT).values()),
                open=sum(open_.values()),
                total=len(indicators),
            )
        )
    by_code = {r.code: r for r in results}
    met = {
        req.key: any(by_code[c].positive for c in req.dimensions)
        or any(answers.get(a.id) == PRESENT for a in req.items)
        for req in lst.combination.requirements
    }
    reachable = all(
        met[req.key]
        or any(by_code[c].could_become_positive for c in req.dimensions)
        or any(answers.get(a.id, UNKNOWN) == UNKNOWN for a in req.items)
        for req in lst.combination.requirements
    )
    missing: list[str] = []
    if all(met.values()):
        outcome = PRESUMED_VICTIM
    elif reachable:
        outcome = INCOMPLETE
        for req in lst.combination.requirements:
            if met[req.key]:
                continue
            missing += [
                a.id
                for a in req.items
                if answers.get(a.id, UNKNOWN) == UNKNOWN and a.id not in missing
            ]
            for code in req.dimensions:
                if by_code[code].could_become_positive:
                    missing += [
                        i.id
                        for i in lst.of_dimension(code)
                        if answers.get(i.id, UNKNOWN) == UNKNOWN and i.id not in missing
                    ]
    else:
        outcome = NOT_ENOUGH
    ids = lst.item_ids()
    answered = sum(1 for i in ids if answers.get(i, UNKNOWN) != UNKNOWN)
    return Assessment(
        version=iset.version,
        list_key=lst.key,
        age_group=lst.age_group,
        outcome=outcome,
        dimensions=tuple(results),
        requirements=met,
        missing=tuple(missing),
        answered=answered,
        total=len(ids),
    )


# --- one screening over several lists (mixed labour and sexual exploitation) ---------------

# The outcome of a screening over several lists is the union: the most telling of its lists.
_OUTCOME_ORDER: Final = (PRESUMED_VICTIM, INCOMPLETE, NOT_ENOUGH)


def union_outcome(outcomes: Iterable[str]) -> str:
    """Presumed victim when any list says so; else incomplete when any list is; else not enough."""
    found = set(outcomes)
    return next((o for o in _OUTCOME_ORDER if o in found), NOT_ENOUGH)


def combination_problem(iset: IndicatorSet, keys: Sequence[str]) -> str:
    """Why these lists cannot make one screening ("" when they can).

    One list, or two lists of the same age group for different exploitation (labour and
    sexual: mixed cases are common). Codes, translated by the caller.
    """
    if not keys:
        return "none"
    if any(k not in iset.lists for k in keys):
        return "unknown"
    if len(set(keys)) != len(keys) or len(keys) > 2:
        return "repeated"
    chosen = [iset.lists[k] for k in keys]
    if len({lst.age_group for lst in chosen}) > 1:
        return "age_groups"
    if len({lst.exploitation for lst in chosen}) != len(chosen):
        return "same_exploitation"
    return ""


def answer_problems_of(
    lists: Sequence[IndicatorList], answers: Mapping[str, object]
) -> dict[str, str]:
    """Answers no list of the screening knows, or values other than the three answers."""
    known = {i for lst in lists for i in lst.item_ids()}
    problems: dict[str, str] = {}
    for key, value in answers.items():
        if key not in known:
            problems[str(key)] = "unknown indicator"
        elif value not in ANSWERS:
            problems[str(key)] = "answer must be present, absent or unknown"
    return problems


@dataclass(frozen=True)
class Screened:
    """The assessments of one screening, one per list, and their union."""

    assessments: tuple[Assessment, ...]

    @property
    def outcome(self) -> str:
        return union_outcome(a.outcome for a in self.assessments)

    def to_json(self) -> dict[str, Any]:
        """The first list's assessment (the shape older screenings stored), with the union
        outcome, the lists, and every list's own assessment under `assessments`."""
        body = self.assessments[0].to_json()
        body["outcome"] = self.outcome
        body["lists"] = [a.list_key for a in self.assessments]
        body["assessments"] = [a.to_json() for a in self.assessments]
        if len(self.assessments) > 1:
            missing: list[str] = []
            if self.outcome != PRESUMED_VICTIM:
                for a in self.assessments:
                    missing += [i for i in a.missing if i not in missing]
            body["missing"] = missing
        return body


def evaluate_lists(iset: IndicatorSet, keys: Sequence[str], answers: Mapping[str, str]) -> Screened:
    """Evaluate each list on the answers it knows (ids are unique per list; act items shared)."""
    assessments = []
    for key in keys:
        lst = iset.list(key)
        own = set(lst.item_ids())
        assessments.append(evaluate(iset, lst, {k: v for k, v in answers.items() if k in own}))
    return Screened(tuple(assessments))


def stored_assessments(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The per-list assessments of a stored result (older results hold one, at the top)."""
    found = result.get("assessments")
    if isinstance(found, list) and found:
        return [dict(a) for a in found]
    return [dict(result)] if result else []


def positive_dimensions(result: Mapping[str, Any]) -> list[int]:
    """Dimension numbers positive in any list of a stored result."""
    numbers = {
        int(d["number"])
        for a in stored_assessments(result)
        for d in a.get("dimensions", [])
        if d.get("positive")
    }
    return sorted(numbers)

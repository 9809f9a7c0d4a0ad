"""The linkage model without a database: keys, golden pairs in Cyrillic and Latin, clusters,
explanations, training on generated data, reproducibility and incremental scoring."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest

from opennrm.demo.names import MEN, SURNAMES, WOMEN, latin
from opennrm.linkage.engine.clusters import connected_components
from opennrm.linkage.engine.model import level_weights, settings_dict
from opennrm.linkage.engine.records import LinkageRecord, features
from opennrm.linkage.engine.run import LinkageError, LinkageSettings, link, link_new

R = LinkageRecord


@pytest.mark.parametrize(
    ("one", "two", "same_keys"),
    [
        # The same person as four agencies write them.
        (
            R("1", given_name="Олександр", family_name="Шевченко"),
            R("2", given_name="Александр", family_name="Шевченко"),
            ("given_canon", "family_skel"),
        ),
        (
            R("1", given_name="Oleksandr", family_name="Shevchenko"),
            R("2", given_name="Aleksandr", family_name="Shevchenko"),
            ("given_canon", "family_skel"),
        ),
        (
            R("1", given_name="Сергій", family_name="Ковальов"),
            R("2", given_name="Sergey", family_name="Kovalev"),
            ("given_canon", "family_skel"),
        ),
        (
            R("1", given_name="Наталія", family_name="Коваленко"),
            R("2", given_name="Наташа", family_name="Kovalenko"),
            ("given_canon", "family_skel"),
        ),
        # Given and family name swapped in the fields: put back.
        (
            R("1", given_name="Shevchenko", family_name="Oleksandr"),
            R("2", given_name="Олександр", family_name="Шевченко"),
            ("given_canon", "family_skel"),
        ),
        # A diminutive shared by a man's and a woman's name, read by the bearer's sex.
        (
            R("1", given_name="Валя", family_name="Бойко", sex="F"),
            R("2", given_name="Валентина", family_name="Бойко", sex="Feminine"),
            ("given_canon", "name_pair"),
        ),
        (
            R("1", given_name="Саша", family_name="Бойко", sex="M"),
            R("2", given_name="Олександр", family_name="Бойко", sex="M"),
            ("given_canon", "name_pair"),
        ),
        # Letters that transliteration tables write differently (the 2004 passport table: c
        # for к, j for ж; German: ch for х, s for з): same consonants, though the skeletons
        # and the sound-alike codes differ.
        (
            R("1", given_name="Тетяна", family_name="Кіреєва"),
            R("2", given_name="Tetiana", family_name="Cireieva"),
            ("family_coarse", "coarse_pair"),
        ),
        (
            R("1", given_name="Anna", family_name="Chartschenko"),
            R("2", given_name="Анна", family_name="Харченко"),
            ("family_coarse", "coarse_pair"),
        ),
        (
            R("1", given_name="Denys", family_name="Juravchac"),
            R("2", given_name="Денис", family_name="Журавчак"),
            ("family_coarse", "coarse_pair"),
        ),
        # Patronymics in both languages.
        (R("1", middle_name="Сергійович"), R("2", middle_name="Sergeevich"), ("patronymic",)),
        # Day and month swapped: the swapped key of one is the date of the other.
        (R("1", birth_date="1990-03-05"), R("2", birth_date="1990-05-03"), ("dob_year",)),
        # Phones and documents normalised.
        (R("1", phone="067 123 45 67"), R("2", phone="+380671234567"), ("phone",)),
        (R("1", document_number="ЕК 123456"), R("2", document_number="EK123456"), ("document",)),
    ],
)
def test_registrations_of_one_person_share_keys(
    one: LinkageRecord, two: LinkageRecord, same_keys: tuple[str, ...]
) -> None:
    a, b = features(one), features(two)
    for key in same_keys:
        assert a[key] is not None
        assert a[key] == b[key], key


def test_the_coarse_key_keeps_different_names_apart() -> None:
    assert (
        features(R("1", given_name="Petro"))["given_coarse"]
        != features(R("2", given_name="Pavlo"))["given_coarse"]
    )
    assert (
        features(R("1", family_name="Шевченко"))["family_coarse"]
        != features(R("2", family_name="Ковальчук"))["family_coarse"]
    )


def test_a_date_with_one_part_slipped_across_a_ten_is_weighed_above_the_year() -> None:
    pair = [
        R("1", given_name="Ірина", family_name="Мельник", birth_date="1979-01-09"),
        R("2", given_name="Ірина", family_name="Мельник", birth_date="1979-01-10"),
        R("3", given_name="Ірина", family_name="Мельник", birth_date="1980-01-09"),
    ]
    result = link(pair, LinkageSettings(train=False, possible_threshold=0.01))
    levels = {
        (p.left, p.right): next(i.level for i in p.explanation if i.field == "birth_date")
        for p in result.pairs
    }
    assert levels[("1", "2")] == "two of year, month and day the same"
    assert levels[("1", "3")] == "two of year, month and day the same"


def test_a_second_phone_document_or_citizenship_agrees_with_either_of_the_other() -> None:
    # The person's new phone beside the old one, a foreign passport beside the internal one, a
    # dual citizen's two countries; the other registration knows only the other value. 1 and 2
    # are written differently enough that only the second phone pairs them.
    records = [
        R("1", given_name="Оксана", family_name="Петрук", sex="F", phone="0671234567"),
        R(
            "2",
            given_name="Ksenia",
            family_name="Petrukh",
            sex="F",
            phone="0509876543",
            other_phone="+38 (067) 123-45-67",
        ),
        R("3", given_name="Марта", family_name="Гнатюк", sex="F", document_number="FA123456"),
        R("4", given_name="Marta", family_name="Hnatiuk", sex="F", document_number="ВК654321"),
        R(
            "5",
            given_name="Марта",
            family_name="Гнатюк",
            sex="F",
            document_number="ВК654321",
            other_document="FA 123456",
            citizenship="MDA",
            other_citizenship="UA",
        ),
        R("6", given_name="Марта", family_name="Гнатюк", sex="F", citizenship="UKR"),
    ]
    result = link(records, LinkageSettings(train=False, possible_threshold=0.0001))
    level = {(p.left, p.right, i.field): i.level for p in result.pairs for i in p.explanation}
    assert level[("1", "2", "phone")] == "same"
    assert level[("3", "5", "document")] == "same"  # 5's second document is 3's first
    assert level[("4", "5", "document")] == "same"
    assert level[("3", "4", "document")] == "different"
    assert level[("5", "6", "citizenship")] == "same"  # 5's second citizenship


def test_each_second_value_blocking_rule_pairs_registrations_nothing_else_pairs() -> None:
    # Names that no name rule pairs (another given and family name each time, no date), so
    # that each pair below is scored only through the rule on its second values.
    names = iter((
        ("Оксана", "Петрук"), ("Богдан", "Зінчук"), ("Лариса", "Мороз"), ("Тарас", "Дяченко"),
        ("Ганна", "Савчук"), ("Ігор", "Кравець"), ("Надія", "Остапенко"), ("Роман", "Шульга"),
        ("Віра", "Гордієнко"), ("Степан", "Литвин"), ("Ольга", "Яковенко"), ("Петро", "Руденко"),
    ))  # fmt: skip

    def r(record_id: str, **values: str) -> LinkageRecord:
        given, family = next(names)
        return R(record_id, given_name=given, family_name=family, **values)

    phone_a, phone_b, phone_c = "0671234567", "0509876543", "0931112233"
    doc_a, doc_b, doc_c = "ВК654321", "FA123456", "ММ111222"
    records = [
        r("p1", phone=phone_a),  # l.phone = r.phone2
        r("p2", phone=phone_b, other_phone=phone_a),
        r("p3", phone=phone_c, other_phone="0661234500"),  # l.phone2 = r.phone2
        r("p4", phone="0957777777", other_phone="0661234500"),
        r("d1", document_number=doc_a),  # l.document = r.document2
        r("d2", document_number=doc_b, other_document=doc_a),
        r("d3", document_number=doc_c, other_document="ЕЕ999888"),  # document2 = document2
        r("d4", document_number="КК000111", other_document="ЕЕ999888"),
    ]
    result = link(records, LinkageSettings(train=False, possible_threshold=0.0001))
    scored = {(p.left, p.right) for p in result.pairs}
    assert scored == {("p1", "p2"), ("p3", "p4"), ("d1", "d2"), ("d3", "d4")}
    # And with each pair's names swapped: Splink compares a pair in one order (of the rows'
    # content, the given name first), so the other registration is on the left now.
    flipped = []
    for one, two in zip(records[::2], records[1::2], strict=True):
        flipped.append(replace(one, given_name=two.given_name, family_name=two.family_name))
        flipped.append(replace(two, given_name=one.given_name, family_name=one.family_name))
    result = link(flipped, LinkageSettings(train=False, possible_threshold=0.0001))
    assert {(p.left, p.right) for p in result.pairs} == scored


def test_a_second_value_is_kept_only_when_it_adds_one() -> None:
    # The first value is filled first: the null level reads the first value only.
    row = features(
        R("1", phone="", other_phone="0671234567", document_number="-", other_document="FA1")
    )
    assert (row["phone"], row["phone2"]) == ("+380671234567", None)
    assert (row["document"], row["document2"]) == ("FA1", None)
    same = features(R("2", phone="0671234567", other_phone="+38 067 123 45 67"))
    assert (same["phone"], same["phone2"]) == ("+380671234567", None)
    two = features(R("3", citizenship="UA", other_citizenship="MDA"))
    assert (two["citizenship"], two["citizenship2"]) == ("UKR", "MDA")


OTHER_FAMILIES = (
    "Бондар",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Бойко",
    "Лисенко",
)


def test_name_frequencies_count_the_other_registrations() -> None:
    """A family name borne by two registrations among N is borne by one other: 1/N, not the
    2/N Splink counts (which took a bit off the rarest names)."""
    records = [
        R(str(n), given_name=name, family_name=family, birth_date=f"19{60 + n}-01-01")
        for n, (name, family) in enumerate(
            [("Ірина", "Мельник")] * 2 + [("Олег", family) for family in OTHER_FAMILIES]
        )
    ]
    records[1] = R("1", given_name="Ірина", family_name="Мельник")
    result = link(
        records, LinkageSettings(train=False, possible_threshold=1e-9), model=settings_dict()
    )
    pair = next(p for p in result.pairs if {p.left, p.right} == {"0", "1"})
    family = next(item for item in pair.explanation if item.field == "family_name")
    assert family.level == "same"
    assert family.frequency == pytest.approx(1 / 10)


def test_day_month_swap_key() -> None:
    a = features(R("1", birth_date="1990-03-05"))
    b = features(R("2", birth_date="1990-05-03"))
    assert a["dob_swapped"] == b["dob"]
    assert features(R("3", birth_date="1990"))["dob"] is None
    assert features(R("3", birth_date="1990"))["dob_year"] == 1990


def test_clusters_are_named_by_their_smallest_id() -> None:
    clusters = connected_components(["d", "c", "b", "a", "e"], [("d", "c"), ("c", "a"), ("e", "e")])
    assert clusters == {"a": "a", "c": "a", "d": "a", "b": "b", "e": "e"}


def test_thresholds_are_checked() -> None:
    with pytest.raises(LinkageError, match="thresholds"):
        LinkageSettings(match_threshold=0.4, possible_threshold=0.5)
    with pytest.raises(LinkageError, match="backend"):
        LinkageSettings(backend="oracle")


def test_duplicate_record_ids_are_refused() -> None:
    with pytest.raises(LinkageError, match="'1' appears twice"):
        link([R("1", given_name="A"), R("1", given_name="B")])


GOLDEN = [
    R("police-1", "police", "Олександр", "Петрович", "Шевченко", "1990-03-05", "M", "UKR"),
    R("ngo-1", "ngo", "Александр", "Петрович", "Шевченко", "1990-05-03", "M", "UKR"),
    R("border-1", "border", "Shevchenko", "", "Oleksandr", "1990-03-05", "M", "UKR"),
    R("iom-1", "iom", "Aleksandr", "", "Shevchenko", "1990-03-05", "M", "UKR"),
    R("ngo-2", "ngo", "Наталія", "Іванівна", "Коваленко", "1985-01-01", "F", "UKR"),
    R("iom-2", "iom", "Natalya", "Ivanovna", "Kovalenko", "1985-01-01", "F", "UKR"),
    R("ngo-3", "ngo", "Петро", "", "Бондар", "1970-02-11", "M", "UKR"),
    R("ngo-4", "ngo", "Олександр", "Іванович", "Шевченко", "1962-11-30", "M", "UKR"),
]


def test_golden_pairs_cluster_across_scripts_and_conventions() -> None:
    result = link(GOLDEN, LinkageSettings(train=False))
    clusters = result.clusters
    shevchenko = {clusters[r] for r in ("police-1", "ngo-1", "border-1", "iom-1")}
    assert len(shevchenko) == 1
    assert clusters["ngo-2"] == clusters["iom-2"]
    # Same name, another date of birth and patronymic: another person.
    assert clusters["ngo-4"] not in shevchenko
    assert clusters["ngo-3"] == "ngo-3"
    assert result.persons == 4


def test_each_pair_explains_itself_with_field_levels_only() -> None:
    result = link(GOLDEN, LinkageSettings(train=False))
    pair = next(p for p in result.pairs if {p.left, p.right} == {"ngo-1", "police-1"})
    levels = {item.field: item.level for item in pair.explanation}
    assert levels["birth_date"] == "day and month swapped"
    assert levels["given_name"] == "same"
    assert levels["family_name"] == "same"
    assert levels["patronymic"] == "same"
    assert levels["phone"] == "missing"
    assert pair.probability > 0.95
    weights = {item.field: item.weight for item in pair.explanation}
    assert weights["birth_date"] > 5
    assert weights["phone"] == 0
    text = repr(pair.explanation_dict())
    for value in ("Шевченко", "Shevchenko", "1990", "Петрович"):
        assert value not in text


def _population(n: int, seed: int) -> tuple[list[LinkageRecord], dict[str, str]]:
    """A small generated register: persons registered one to three times, in Ukrainian,
    Russian or Latin form, some dates missing (not the benchmark's generator)."""
    rng = random.Random(seed)
    records: list[LinkageRecord] = []
    truth: dict[str, str] = {}
    for person in range(n):
        feminine = rng.random() < 0.5
        given = rng.choice(WOMEN if feminine else MEN)
        family = rng.choice(SURNAMES)
        birth = f"{rng.randint(1960, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        for copy in range(rng.choice((1, 1, 2, 3))):
            form = rng.randrange(3)
            first = (given.uk, given.ru, latin(given.uk))[form]
            last_uk = family.form(feminine=feminine, russian=False)
            last = (last_uk, family.form(feminine=feminine, russian=True), latin(last_uk))[form]
            record_id = f"{person}-{copy}"
            records.append(
                R(
                    record_id,
                    f"agency-{copy}",
                    first,
                    "",
                    last,
                    birth if rng.random() < 0.9 else birth[:4],
                    "F" if feminine else "M",
                    "UKR",
                )
            )
            truth[record_id] = str(person)
    return records, truth


def _close(one: object, two: object) -> bool:
    if isinstance(one, float) and isinstance(two, float):
        return math.isclose(one, two, rel_tol=1e-9, abs_tol=1e-300)
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_close(one[k], two[k]) for k in one)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_close(a, b) for a, b in zip(one, two, strict=True))
    return one == two


def test_training_is_seeded_and_reproducible() -> None:
    records, _truth = _population(900, seed=3)
    settings = LinkageSettings(min_training_records=100)
    first = link(records, settings)
    second = link(records, settings)
    # DuckDB sums in parallel: the trained values agree to floating-point summation order.
    assert _close(first.model, second.model)
    assert first.clusters == second.clusters
    # Training moved the m probabilities away from the priors.
    prior = level_weights(settings_dict())["birth_date"]
    trained = level_weights(first.model)["birth_date"]
    assert prior != trained


def test_trained_model_counts_generated_persons_closely() -> None:
    records, truth = _population(900, seed=5)
    result = link(records, LinkageSettings(min_training_records=100))
    true_persons = len(set(truth.values()))
    # A tenth of the registrations give only the year of birth and none a patronymic, and the
    # names come from a short list (namesakes abound): the count at the match threshold is
    # within 1% (899 for 900 when measured: one namesake pair a digit apart in the date of
    # birth is merged), the band's lower end (threshold 0.5) within 2% and not above the truth.
    assert abs(result.persons - true_persons) <= 0.01 * true_persons
    assert abs(result.persons_at(0.5) - true_persons) <= 0.02 * true_persons
    assert result.persons_at(0.5) <= true_persons
    # Pairwise precision: every predicted pair within a cluster is a true pair.
    wrong = [
        (p.left, p.right)
        for p in result.pairs
        if p.probability >= 0.95 and truth[p.left] != truth[p.right]
    ]
    assert len(wrong) <= 2
    # The band brackets the count: a lower threshold merges more.
    assert result.persons_at(0.5) <= result.persons <= result.persons_at(0.999)


def test_incremental_scoring_finds_a_new_registration_of_a_known_person() -> None:
    trained = link(GOLDEN, LinkageSettings(train=False))
    new = [R("shelter-1", "shelter", "Олександр", "", "Шевченко", "1990-03-05", "M", "UKR")]
    pairs = link_new(GOLDEN, new, trained.model, LinkageSettings())
    partners = {p.left if p.right == "shelter-1" else p.right for p in pairs if p.probability > 0.9}
    assert {"police-1", "border-1", "iom-1"} <= partners
    assert all("shelter-1" in (p.left, p.right) for p in pairs)
    assert "ngo-4" not in partners

"""Run the model: block, compare, score, train and cluster with Splink.

``link`` deduplicates a set of records (training the model on them unless a trained model is
given); ``link_new`` scores only the pairs that involve new records against a trained model,
for incremental runs. Both return candidate pairs above the possible-match threshold, each with
its explanation, and clusters at the match threshold. The backend is DuckDB in memory (spilling
to a directory only when one is configured) or Spark in whatever session the caller passes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from opennrm.linkage.engine.clusters import connected_components, corroborated
from opennrm.linkage.engine.model import (
    DETERMINISTIC_RECALL,
    DETERMINISTIC_RULES,
    FALLBACK_TRAINING_RULE,
    TF_COLUMNS,
    TRAINING_BLOCKING_RULES,
    blocking_rule_sql,
    level_tf_columns,
    level_weights,
    settings_dict,
    with_m_floor,
    without_term_frequencies,
)
from opennrm.linkage.engine.records import FEATURE_COLUMNS, LinkageRecord, feature_columns

Progress = Callable[[str, float], None]

logger = logging.getLogger(__name__)


class LinkageError(Exception):
    """A linkage run could not be carried out (bad settings, too few records to train)."""


@dataclass(frozen=True, slots=True)
class LinkageSettings:
    """What a run needs besides the records; stored with every run to reproduce it."""

    match_threshold: float = 0.95
    possible_threshold: float = 0.5
    # A pair from here up to the match threshold joins two groups when every pair across them
    # is a possible match (``clusters.corroborated``); taken between the possible-match and
    # the match threshold (at the match threshold: no pair below it joins).
    corroboration_threshold: float = 0.7
    seed: int = 2016
    u_max_pairs: float = 10_000_000
    em_minimum_values: int = 500
    chunk_records: int = 400_000
    train: bool = True
    # Below this many records EM has too little to learn from: the prior model scores them.
    min_training_records: int = 1000
    link_type: str = "dedupe_only"
    backend: str = "duckdb"
    memory_limit: str = "4GB"
    threads: int | None = None
    spill_directory: str | None = None

    def __post_init__(self) -> None:
        if not 0 < self.possible_threshold <= self.match_threshold < 1:
            raise LinkageError(
                "thresholds: need 0 < possible match <= match < 1, "
                f"got {self.possible_threshold} and {self.match_threshold}"
            )
        if not 0 < self.corroboration_threshold < 1:
            raise LinkageError(
                f"corroboration threshold: need 0 < it < 1, got {self.corroboration_threshold}"
            )
        if self.link_type not in ("dedupe_only", "link_only", "link_and_dedupe"):
            raise LinkageError(f"link_type: {self.link_type!r} is not a Splink link type")
        if self.backend not in ("duckdb", "spark"):
            raise LinkageError(f"backend: {self.backend!r} is not one of duckdb, spark")

    @property
    def corroboration(self) -> float:
        """The corroboration threshold as used: between the possible-match and the match
        threshold."""
        return min(max(self.corroboration_threshold, self.possible_threshold), self.match_threshold)

    def as_dict(self) -> dict[str, Any]:
        return {
            "match_threshold": self.match_threshold,
            "possible_threshold": self.possible_threshold,
            "corroboration_threshold": self.corroboration,
            "seed": self.seed,
            "u_max_pairs": self.u_max_pairs,
            "train": self.train,
            "min_training_records": self.min_training_records,
            "link_type": self.link_type,
            "backend": self.backend,
        }


@dataclass(frozen=True, slots=True)
class FieldAgreement:
    """How one field of a pair compared: the level reached and its weight (log2 Bayes factor,
    term-frequency adjustment included), and for a name, how common the value agreed on is in
    the register (the share of registrations that bear it, as the adjustment used it)."""

    field: str
    level: str
    weight: float
    frequency: float | None = None


@dataclass(frozen=True, slots=True)
class CandidatePair:
    left: str
    right: str
    probability: float
    weight: float
    explanation: tuple[FieldAgreement, ...]

    def explanation_dict(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for item in self.explanation:
            entry: dict[str, Any] = {
                "field": item.field,
                "level": item.level,
                "weight": round(item.weight, 3),
            }
            if item.frequency is not None:
                entry["frequency"] = float(f"{item.frequency:.3g}")
            out.append(entry)
        return out


@dataclass
class LinkageResult:
    record_ids: list[str]
    pairs: list[CandidatePair]
    clusters: dict[str, str]
    model: dict[str, Any]
    settings: LinkageSettings
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def persons(self) -> int:
        return len(set(self.clusters.values()))

    def clusters_at(self, threshold: float) -> dict[str, str]:
        """The clusters if every pair at or above ``threshold`` is taken as a match (the
        transitive closure, no corroboration)."""
        edges = [(p.left, p.right) for p in self.pairs if p.probability >= threshold]
        return connected_components(self.record_ids, edges)

    def persons_at(self, threshold: float) -> int:
        """Unique persons if pairs at or above ``threshold`` are taken as matches."""
        return len(set(self.clusters_at(threshold).values()))


def _duckdb_api(settings: LinkageSettings) -> Any:
    import duckdb
    from splink import DuckDBAPI

    config: dict[str, Any] = {"memory_limit": settings.memory_limit}
    if settings.threads:
        config["threads"] = settings.threads
    connection = duckdb.connect(":memory:", config=config)
    if settings.spill_directory:
        connection.execute("SET temp_directory = ?", [settings.spill_directory])
    else:
        # Nothing derived from personal data is written to disk unless an operator chose a
        # spill directory (which must be on an encrypted volume, like the database).
        connection.execute("SET temp_directory = ''")
    connection.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(connection=connection)


def _spark_api(spark_session: Any) -> Any:
    from splink import SparkAPI

    from opennrm.linkage.engine.spark import use_duckdb_jaro_winkler

    if spark_session is None:
        raise LinkageError("backend: spark needs a Spark session (OPENNRM_LINKAGE_SPARK_MASTER)")
    # "persist" keeps intermediate tables in memory (checkpoints would write them to disk).
    db_api = SparkAPI(  # type: ignore[no-untyped-call]
        spark_session=spark_session, break_lineage_method="persist"
    )
    # After Splink registered the jar's functions: the model's Jaro-Winkler is DuckDB's.
    try:
        use_duckdb_jaro_winkler(spark_session)
    except RuntimeError as exc:
        raise LinkageError(f"backend: spark: {exc}") from exc
    return db_api


def _table(columns: dict[str, list[str | int | None]]) -> Any:
    """The Splink input table of feature columns (``records.feature_columns``)."""
    import pyarrow as pa

    schema = pa.schema(
        [(name, pa.int32() if name == "dob_year" else pa.string()) for name in FEATURE_COLUMNS]
    )
    return pa.table(columns, schema=schema)


def _spark_frame(db_api: Any, table: Any) -> Any:
    """An Arrow table as a Spark DataFrame, persisted (kept by the executors, as Splink keeps
    its own tables) rather than left in the query plans as a local relation: Spark's
    optimizer copies a local relation's rows into every place a query reads the table
    (blocking reads the registrations dozens of times), which ran a 2 GB driver out of memory
    at 100,000 registrations."""
    return db_api.spark.createDataFrame(table.to_pandas()).persist()


def _register_table(db_api: Any, table: Any, name: str) -> Any:
    """An Arrow table registered with the backend under ``name`` (on Spark, persisted)."""
    if db_api.sql_dialect.sql_dialect_str == "spark":
        # A session serves run after run (a worker keeps one): the view an earlier run left
        # under this name is dropped, which also frees what it persisted.
        db_api.spark.catalog.dropTempView(name)
        table = _spark_frame(db_api, table)
    return db_api.register(table, table_name=name)


def _register_frequencies(linker: Any, db_api: Any, registrations: Any) -> None:
    """The term-frequency tables of ``TF_COLUMNS``, each value's share of the *other*
    registrations, registered in place of the ones Splink would compute.

    Splink's share counts the registration itself: a family name borne by two registrations
    among N is given 2/N, though the chance that another registration bears it is 1/N (the
    other one). That halved the weight of the rarest names, the very ones that settle a pair
    with no date of birth on one side (at 100,000 registrations the pairs whose family name
    is borne by 2 to 5 registrations were true more often than the model said). A value met
    once keeps 1/N, the share an agreement on it can have at least.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    for column in TF_COLUMNS:
        counted = pc.value_counts(registrations.column(column)).flatten()
        counts = {
            value: count
            for value, count in zip(counted[0].to_pylist(), counted[1].to_pylist(), strict=True)
            if value is not None
        }
        total = sum(counts.values())
        values = sorted(counts)
        shares = [max(counts[value] - 1, 1) / total for value in values]
        schema = pa.schema([(column, pa.string()), (f"tf_{column}", pa.float64())])
        table = pa.table({column: values, f"tf_{column}": shares}, schema=schema)
        frame = _register_table(db_api, table, f"opennrm_tf_{column}")
        linker.table_management.register_term_frequency_lookup(frame, column)


def _rule(columns: tuple[str, ...]) -> Any:
    from splink import block_on

    return block_on(*columns)


def _train(
    linker: Any, settings: LinkageSettings, progress: Progress, present: dict[str, int]
) -> dict[str, Any]:
    progress("training: chance that two records match", 0.15)
    try:
        linker.training.estimate_probability_two_random_records_match(
            [_rule(rule) for rule in DETERMINISTIC_RULES], recall=DETERMINISTIC_RECALL
        )
    except Exception as exc:  # Splink raises plain exceptions for degenerate data
        logger.info("prior match probability kept: %s", type(exc).__name__)
    progress("training: u probabilities (random pairs)", 0.25)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=settings.u_max_pairs, seed=settings.seed
    )
    before = linker.misc.save_model_to_json()
    sessions = []
    for step, rule in enumerate(TRAINING_BLOCKING_RULES):
        progress("training: m probabilities (expectation maximisation)", 0.35 + 0.05 * step)
        # A block on a sparse column (few phones) gives EM too little to learn from.
        if (step == 0 or all(present[c] >= settings.em_minimum_values for c in rule)) and _em(
            linker, rule
        ):
            sessions.append(linker.misc.save_model_to_json())
    if len(sessions) < 2 and _em(linker, FALLBACK_TRAINING_RULE):
        sessions.append(linker.misc.save_model_to_json())
    return with_m_floor(_keep_whole(before, sessions))


def _keep_whole(before: dict[str, Any], sessions: list[dict[str, Any]]) -> dict[str, Any]:
    """The trained model, with what an EM session must not change put back.

    A comparison missing from the model after the sessions (Splink leaves out of the linker's
    model the comparisons a session's blocking rule uses, and a session that fails never puts
    them back; `_em` restores the model then, this is the second guard) is taken from the last
    session's model that has it (its m values the median over the sessions that trained it, as
    Splink keeps them), else as it was before EM (u trained, m the prior). The match
    proportion is the one from before EM: each session leaves its own, of its block.
    ``sessions``: the model after each EM session that ran, in order.
    """
    model = dict(sessions[-1] if sessions else before)
    latest: dict[str, dict[str, Any]] = {}
    for snapshot in [before, *sessions]:
        latest.update({c["output_column_name"]: c for c in snapshot["comparisons"]})
    model["comparisons"] = [latest[c["output_column_name"]] for c in before["comparisons"]]
    model["probability_two_random_records_match"] = before["probability_two_random_records_match"]
    return model


def _em(linker: Any, rule: tuple[str, ...]) -> int:
    """One EM session on ``rule``; 0 when the block has too few pairs to learn from.

    Splink 5 takes the comparisons that use the rule's columns out of the linker's model when
    a session starts and puts the model back only when the session ends well: after a session
    that failed, those comparisons were missing from every later session and kept their prior
    m. The model as it was is put back here (the linker's own settings object, as Splink
    replaces it after a session)."""
    settings = linker._settings_obj
    kept = settings.core_model_settings.copy()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            _rule(rule), estimate_without_term_frequencies=True
        )
    except Exception as exc:  # too few pairs in the block for EM: keep the priors
        settings.core_model_settings = kept
        logger.info("EM on %s skipped: %s", blocking_rule_sql(rule), type(exc).__name__)
        return 0
    return 1


def _level(levels: list[tuple[float, str]], weight: float) -> str:
    return min(levels, key=lambda level: abs(level[0] - weight))[1] if levels else ""


def _pairs(
    table: Any, model: dict[str, Any], possible: float, ids: Sequence[str]
) -> list[CandidatePair]:
    levels = level_weights(model)
    level_tf = level_tf_columns(model)
    arrow = table.as_pyarrow_table()
    fields = [_Field(name, levels[name], level_tf.get(name, {})) for name in levels]
    pairs: list[CandidatePair] = []
    # Column by column, a slice at a time (a million registrations have some 700,000 pairs;
    # a dict per pair took more time than the explanations, and memory).
    for start in range(0, arrow.num_rows, _PAIRS_SLICE):
        part = arrow.slice(start, _PAIRS_SLICE)
        columns = {name: part.column(name).to_pylist() for name in part.column_names}
        lefts, rights = columns["record_id_l"], columns["record_id_r"]
        weights = columns["match_weight"]
        readers = [field.reader(columns) for field in fields]
        for n, value in enumerate(columns["match_probability"]):
            probability = float(value)
            if probability < possible:
                continue
            explanation = tuple(read(n) for read in readers)
            left, right = ids[int(lefts[n])], ids[int(rights[n])]
            if right < left:
                left, right = right, left
            pairs.append(CandidatePair(left, right, probability, float(weights[n]), explanation))
    pairs.sort(key=lambda pair: (pair.left, pair.right))
    return pairs


_PAIRS_SLICE = 100_000


class _Field:
    """How one comparison of a pair is explained, from the prediction's columns: the level
    read back from its weight, the weight with its term-frequency adjustment, the frequency
    of the value agreed on. The pairs of a run reach a few levels and weights per field: the
    level is found once per weight, and equal explanations share one ``FieldAgreement``."""

    def __init__(self, name: str, levels: list[tuple[float, str]], tf: dict[str, str]) -> None:
        self.name = name
        self.levels = levels
        self.tf = tf
        self.labels: dict[float, str] = {}
        self.agreements: dict[tuple[str, float, float | None], FieldAgreement] = {}

    def reader(self, columns: dict[str, list[Any]]) -> Callable[[int], FieldAgreement]:
        weights = columns[f"mw_{self.name}"]
        adjustments = columns.get(f"mw_tf_adj_{self.name}")
        shares = {
            label: (columns.get(f"tf_{column}_l"), columns.get(f"tf_{column}_r"))
            for label, column in self.tf.items()
            if column in TF_COLUMNS
        }

        def read(n: int) -> FieldAgreement:
            weight = float(weights[n] or 0.0)
            label = self.labels.get(weight)
            if label is None:
                label = self.labels[weight] = _level(self.levels, weight)
            weight += float((adjustments[n] if adjustments is not None else None) or 0.0)
            frequency = None
            sides = shares.get(label)
            if sides is not None:
                known = [
                    float(side[n]) for side in sides if side is not None and side[n] is not None
                ]
                frequency = max(known) if known else None
            key = (label, weight, frequency)
            agreement = self.agreements.get(key)
            if agreement is None:
                agreement = self.agreements[key] = FieldAgreement(
                    self.name, label, weight, frequency
                )
            return agreement

        return read


# The content order of feature rows: the keys after the record id and the source, then the
# record id, each compared as text, a missing key as the empty text.
CONTENT_ORDER = (*FEATURE_COLUMNS[2:], "record_id")


def _content_order(table: Any) -> Any:
    """The positions of ``table``'s rows in content order (``CONTENT_ORDER``).

    Sorted by Arrow as Python sorts the tuples of the keys as text: UTF-8 bytes compare in
    the order of their code points, as Python's str does; a stable sort, so that rows with
    the same keys (only a record id given twice, refused after) keep the order they came in.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = pa.table(
        {name: pc.fill_null(pc.cast(table.column(name), pa.string()), "") for name in CONTENT_ORDER}
    )
    return pc.sort_indices(keys, sort_keys=[(name, "ascending") for name in CONTENT_ORDER])


def _surrogates(table: Any, start: int = 0) -> tuple[Any, list[str]]:
    """Rows with their record id replaced by their position (the id Splink sees), and the
    real ids by position. Splink samples by a hash of the id: positions in content order make
    training depend on the registrations, not on the random UUIDs they were given."""
    import pyarrow as pa

    ids: list[str] = table.column("record_id").to_pylist()
    surrogate = pa.array([f"{start + n:010d}" for n in range(len(ids))], pa.string())
    return table.set_column(0, "record_id", surrogate), ids


def _prepare(records: Iterable[LinkageRecord]) -> Any:
    """The feature rows of ``records`` (an Arrow table) in an order given by their content,
    not their ids: the seeded sampling of training then draws the same pairs from the same
    registrations, whatever ids they were given (random UUIDs in the system)."""
    columns = feature_columns(records)
    columns["record_id"] = [str(record_id) for record_id in columns["record_id"]]
    table = _table(columns)
    del columns
    table = table.take(_content_order(table))
    seen: set[str] = set()
    for record_id in table.column("record_id").to_pylist():
        if record_id in seen:
            raise LinkageError(f"record_id: {record_id!r} appears twice")
        seen.add(record_id)
    return table


def _quiet(progress: Progress | None) -> Progress:
    return progress or (lambda _step, _fraction: None)


def link(
    records: Iterable[LinkageRecord],
    settings: LinkageSettings | None = None,
    *,
    model: dict[str, Any] | None = None,
    progress: Progress | None = None,
    spark_session: Any = None,
) -> LinkageResult:
    """Deduplicate ``records``: train (unless ``model`` is given), score, cluster."""
    from splink import Linker

    settings = settings or LinkageSettings()
    report = _quiet(progress)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    report("preparing keys", 0.02)
    table = _prepare(records)
    timings["prepare"] = time.perf_counter() - started
    table, record_ids = _surrogates(table)
    if table.num_rows < 2:
        return LinkageResult(
            record_ids, [], {rid: rid for rid in record_ids}, model or settings_dict(), settings
        )
    db_api = _duckdb_api(settings) if settings.backend == "duckdb" else _spark_api(spark_session)
    start_model = model or settings_dict()
    if model is None and table.num_rows < settings.min_training_records:
        start_model = without_term_frequencies(start_model)
    if settings.link_type == "dedupe_only":
        tables: Any = _register_table(db_api, table, "registrations")
    else:
        import pyarrow.compute as pc

        # One table per source: Splink links across tables (and within them for
        # link_and_dedupe).
        start_model = {**start_model, "link_type": settings.link_type}
        source_of = pc.fill_null(table.column("source"), "")
        sources = sorted(set(source_of.to_pylist()))
        tables = [
            _register_table(db_api, table.filter(pc.equal(source_of, source)), f"src_{n}")
            for n, source in enumerate(sources)
        ]
    linker = Linker(tables, start_model, log_level=logging.ERROR)
    mark = time.perf_counter()
    if model is None and settings.train and table.num_rows >= settings.min_training_records:
        present = {name: table.num_rows - table.column(name).null_count for name in FEATURE_COLUMNS}
        trained = _train(linker, settings, report, present)
        linker = Linker(tables, trained, log_level=logging.ERROR)
    else:
        trained = linker.misc.save_model_to_json()
    timings["train"] = time.perf_counter() - mark
    trained.pop("linker_uid", None)  # random per linker; not part of the model
    mark = time.perf_counter()
    report("scoring candidate pairs", 0.6)
    _register_frequencies(linker, db_api, table)
    # Large inputs are scored in chunks (left x right) so memory stays bounded.
    chunks = max(1, -(-table.num_rows // settings.chunk_records))
    predictions = linker.inference.predict(
        threshold_match_probability=settings.possible_threshold,
        num_chunks_left=chunks if chunks > 1 else None,
        num_chunks_right=chunks if chunks > 1 else None,
    )
    pairs = _pairs(predictions, trained, settings.possible_threshold, record_ids)
    if settings.backend == "spark":
        # Splink's intermediate tables, persisted in the session, are not needed any more.
        db_api.delete_tables_created_by_splink_from_db()
    timings["predict"] = time.perf_counter() - mark
    mark = time.perf_counter()
    report("clustering", 0.9)
    clusters = corroborated(
        record_ids,
        ((p.left, p.right, p.probability) for p in pairs),
        match=settings.match_threshold,
        corroboration=settings.corroboration,
        possible=settings.possible_threshold,
    )
    timings["cluster"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    report("done", 1.0)
    return LinkageResult(record_ids, pairs, clusters, trained, settings, timings)


def link_new(
    existing: Iterable[LinkageRecord],
    new: Iterable[LinkageRecord],
    model: dict[str, Any],
    settings: LinkageSettings | None = None,
    *,
    progress: Progress | None = None,
) -> list[CandidatePair]:
    """Pairs that involve a new record (new-new and new-existing), scored with ``model``."""
    from splink import Linker

    settings = settings or LinkageSettings()
    report = _quiet(progress)
    report("preparing keys", 0.05)
    import pyarrow as pa
    import pyarrow.compute as pc

    new_table = _prepare(new)
    if not new_table.num_rows:
        return []
    old_table = _prepare(existing)
    new_ids = new_table.column("record_id").combine_chunks()
    old_table = old_table.filter(pc.invert(pc.is_in(old_table.column("record_id"), new_ids)))
    old_table, old_ids = _surrogates(old_table)
    new_table, fresh_ids = _surrogates(new_table, start=old_table.num_rows)
    ids = old_ids + fresh_ids
    db_api = _duckdb_api(settings)
    all_rows = pa.concat_tables([old_table, new_table])
    everything = _register_table(db_api, all_rows, "registrations")
    linker = Linker(everything, model, log_level=logging.ERROR)
    # Term frequencies come from all records, as in a full run.
    _register_frequencies(linker, db_api, all_rows)
    report("scoring new records", 0.4)
    scored: list[CandidatePair] = []
    fresh = _register_table(db_api, new_table, "new_registrations")
    within = linker.inference.predict_within(
        fresh, threshold_match_probability=settings.possible_threshold
    )
    scored.extend(_pairs(within, model, settings.possible_threshold, ids))
    if old_table.num_rows:
        old = _register_table(db_api, old_table, "old_registrations")
        between = linker.inference.predict_between(
            old, fresh, threshold_match_probability=settings.possible_threshold
        )
        scored.extend(_pairs(between, model, settings.possible_threshold, ids))
    report("done", 1.0)
    unique = {(pair.left, pair.right): pair for pair in scored}
    return [unique[key] for key in sorted(unique)]

"""FEBRL3 deduplication and FEBRL4 linkage: OpenNRM's model beside two baselines.

The FEBRL datasets ship inside the ``recordlinkage`` package (synthetic Australian records with
known duplicates). For each dataset the script prints pairwise precision, recall and F1, cluster
F1, persons counted and wall time for:

- ``opennrm``: the linkage engine (Splink on DuckDB, trained by EM on the data, no labels);
- ``exact key``: normalised full name plus date of birth, the usual register de-duplication;
- ``recordlinkage ECM``: the recordlinkage toolkit's unsupervised ECM classifier on binary
  comparison vectors (the toolkit's own tutorial set-up).

    python -m benchmarks.linkage.febrl            # both datasets
    python -m benchmarks.linkage.febrl --only 3   # FEBRL3 only

Targets (issue 4): FEBRL3 pairwise F1 >= 0.995; FEBRL4 >= 0.999.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from benchmarks.linkage.metrics import HEADER, Accuracy, accuracy, outright, row
from opennrm.core.names import name_tokens
from opennrm.linkage.engine.clusters import connected_components
from opennrm.linkage.engine.records import LinkageRecord
from opennrm.linkage.engine.run import LinkageSettings, link

TARGETS = {"FEBRL3": 0.995, "FEBRL4": 0.999}


def _entity(rec_id: str) -> str:
    return rec_id.split("-")[1]


def _iso(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return ""


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value)  # NaN is not equal to itself


def records(frame: Any, source: str) -> list[LinkageRecord]:
    out = []
    for rec_id, r in frame.iterrows():
        address = " ".join(
            _text(r[c]) for c in ("street_number", "address_1", "suburb", "postcode", "state")
        )
        out.append(
            LinkageRecord(
                record_id=str(rec_id),
                source=source,
                given_name=_text(r["given_name"]),
                family_name=_text(r["surname"]),
                birth_date=_iso(r["date_of_birth"]),
                document_number=_text(r["soc_sec_id"]),
                address=address,
            )
        )
    return out


def exact_key(recs: list[LinkageRecord]) -> dict[str, str]:
    groups: dict[tuple[str, str, str], str] = {}
    edges = []
    for rec in recs:
        key = (" ".join(name_tokens(rec.given_name)), " ".join(name_tokens(rec.family_name)))
        full = (*key, str(rec.birth_date or ""))
        if not all(full):
            continue
        if full in groups:
            edges.append((groups[full], rec.record_id))
        else:
            groups[full] = rec.record_id
    return connected_components([r.record_id for r in recs], edges)


def ecm(frames: list[Any]) -> dict[str, str]:
    import recordlinkage

    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("date_of_birth", "date_of_birth")
    compare.exact("suburb", "suburb")
    compare.exact("state", "state")
    compare.string("address_1", "address_1", threshold=0.85)
    compare.exact("soc_sec_id", "soc_sec_id")
    if len(frames) == 1:
        candidates = indexer.index(frames[0])
        vectors = compare.compute(candidates, frames[0])
        ids = list(frames[0].index)
    else:
        candidates = indexer.index(frames[0], frames[1])
        vectors = compare.compute(candidates, frames[0], frames[1])
        ids = list(frames[0].index) + list(frames[1].index)
    classifier = recordlinkage.ECMClassifier(binarize=0.5)
    matches = classifier.fit_predict(vectors)
    edges = [(str(a), str(b)) for a, b in matches]
    return connected_components([str(i) for i in ids], edges)


def run(name: str, frames: list[Any], threshold: float) -> dict[str, Accuracy]:
    recs: list[LinkageRecord] = []
    for number, frame in enumerate(frames):
        recs += records(frame, f"source-{number}")
    truth = {rec.record_id: _entity(rec.record_id) for rec in recs}
    print(f"\n{name}: {len(recs)} records, {len(set(truth.values()))} true persons")
    print(HEADER)
    results = {}
    started = time.perf_counter()
    settings = LinkageSettings(
        link_type="link_only" if len(frames) > 1 else "dedupe_only",
        match_threshold=threshold,
        possible_threshold=min(0.5, threshold),
    )
    result = link(recs, settings)
    seconds = time.perf_counter() - started
    results["opennrm"] = accuracy(result.clusters, truth)
    print(row("opennrm (Splink, EM)", results["opennrm"], seconds))
    # The same pairs, only those at the match threshold joining (no corroboration).
    alone = accuracy(result.clusters_at(threshold), truth)
    print(row("opennrm, match threshold only", alone, seconds))
    print(row("  matches outright, corr. 0.8", accuracy(outright(result), truth), seconds))
    started = time.perf_counter()
    results["exact"] = accuracy(exact_key(recs), truth)
    print(row("exact key (name + birth)", results["exact"], time.perf_counter() - started))
    started = time.perf_counter()
    results["ecm"] = accuracy(ecm(frames), truth)
    print(row("recordlinkage ECM", results["ecm"], time.perf_counter() - started))
    target = TARGETS[name]
    verdict = "met" if results["opennrm"].pair_f1 >= target else "NOT met"
    print(f"target pairwise F1 >= {target}: {verdict} ({results['opennrm'].pair_f1:.4f})")
    return results


def main() -> None:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["3", "4"])
    parser.add_argument(
        "--threshold", type=float, default=LinkageSettings().match_threshold, help="match threshold"
    )
    args = parser.parse_args()
    if args.only in (None, "3"):
        run("FEBRL3", [load_febrl3()], args.threshold)
    if args.only in (None, "4"):
        a, b = load_febrl4()
        run("FEBRL4", [a, b], args.threshold)


if __name__ == "__main__":
    main()

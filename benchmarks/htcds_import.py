"""HTCDS import throughput in records per second, through the service and through the API.

    .venv/bin/python -m benchmarks.htcds_import --batch 500,2000 --db both --repeat 3

Each batch is fresh synthetic, valid HTCDS v2.0 records (every record names its caseworker in
`cas_CaseOwner`, as an export from another system does). The paths timed:
`parse` (`cases.htcds.parse_record` alone: validation, no writes), `one-by-one` (the
baseline: parse, then `register_case` record by record, as the import did before issue 16),
`service` (`cases.htcds.import_records`: every record checked, then rounds of bulk inserts in
one transaction), `parallel` (the same with `parallel=True`, as `opennrm import-htcds` runs
it: a second process checks, seals and digests the records while this one writes) and `api`
(POST /api/v1/htcds/ with a bearer token: JSON parsing, auth, the service as `service`).
The import database holds `--base-cases` seeded cases of another agency, so that inserts go into
tables and indexes of a realistic size; imported cases accumulate across runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Also runnable as `python benchmarks/<name>.py`: the project root on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    BenchDatabase,
    Recorder,
    analyze,
    benchmark_actor,
    common_arguments,
    csv_ints,
    log,
    machine,
    run_child,
    table,
    write_results,
)

BASE_AGENCY = "Benchmark NGO (synthetic)"
BASE_USER = "bench.caseworker"
IMPORT_AGENCY = "Importing NGO (synthetic)"
IMPORT_USER = "bench.importer"
PATHS = ("parse", "one-by-one", "service", "parallel", "api")


def child(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.common import setup_django

    backend = args.db[0]
    db = BenchDatabase(backend, "import", args.workdir, args.pg_url)
    setup_django(db, fresh=args.reseed)
    from django.db import connection, transaction
    from django.test import Client

    from benchmarks.seed import seed_cases, verify_seed
    from benchmarks.synthetic import htcds_record, synthetic_case
    from opennrm.accounts.services import issue_api_token
    from opennrm.cases import htcds
    from opennrm.cases.models import Case
    from opennrm.cases.services import register_case

    seeding = seed_cases(benchmark_actor(BASE_AGENCY, BASE_USER), args.base_cases)
    if seeding["added"]:
        analyze(backend)
    actor = benchmark_actor(IMPORT_AGENCY, IMPORT_USER)
    verify_seed(benchmark_actor(BASE_AGENCY, BASE_USER))
    api = Client(headers={"authorization": f"Bearer {issue_api_token(user=actor.user)}"})
    rng = random.Random(1_000_000 + Case.objects.count())

    def records(n: int) -> list[dict[str, Any]]:
        return [htcds_record(*synthetic_case(rng), owner=IMPORT_USER) for _ in range(n)]

    def parse(batch: list[dict[str, Any]]) -> None:
        for item in batch:
            htcds.parse_record(item, actor=actor)

    def one_by_one(batch: list[dict[str, Any]]) -> None:
        """The baseline: what the import did before rounds of bulk inserts (a parse with a
        query for the caseworker, then `register_case` and its inserts, record by record)."""
        with transaction.atomic():
            for item in batch:
                parsed = htcds.parse_record(item, actor=actor)
                register_case(actor=actor, person=parsed.person, case=parsed.case)

    def service(batch: list[dict[str, Any]]) -> None:
        cases = htcds.import_records(actor=actor, records=batch)
        assert len(cases) == len(batch)

    def parallel(batch: list[dict[str, Any]]) -> None:
        cases = htcds.import_records(actor=actor, records=batch, parallel=True)
        assert len(cases) == len(batch)

    def through_api(batch: list[dict[str, Any]]) -> None:
        response = api.post("/api/v1/htcds/", batch, content_type="application/json")
        assert response.status_code == 201, response.content[:500]
        assert response.json()["imported"] == len(batch)

    every: dict[str, Callable[[list[dict[str, Any]]], None]] = {
        "parse": parse,
        "one-by-one": one_by_one,
        "service": service,
        "parallel": parallel,
        "api": through_api,
    }
    assert tuple(every) == PATHS
    paths = {name: every[name] for name in args.paths}
    service(records(20))  # warm-up: caches, code lists, connections
    results = []
    for size in args.batch:
        for name, fn in paths.items():
            seconds: list[float] = []
            statements = 0
            for run in range(args.repeat):
                batch = records(size)
                recorder = Recorder()
                before = Case.objects.count()
                with connection.execute_wrapper(recorder):
                    start = time.perf_counter()
                    fn(batch)
                    seconds.append(time.perf_counter() - start)
                if name != "parse":
                    assert Case.objects.count() == before + size
                statements = len(recorder.statements)
                log(
                    f"{name:10} batch {size:5} run {run + 1}: {seconds[-1]:7.2f} s, "
                    f"{size / seconds[-1]:7.0f} records/s, {statements} statements"
                )
            median = statistics.median(seconds)
            results.append(
                {
                    "db": backend,
                    "batch": size,
                    "path": name,
                    "runs": len(seconds),
                    "seconds": seconds,
                    "median_s": median,
                    "records_per_s": size / median,
                    "best_records_per_s": size / min(seconds),
                    "ms_per_record": median * 1000 / size,
                    "statements_per_record": statements / size,
                }
            )
    register = register_file(args, records) if args.register else None
    return {
        "db": backend,
        "base_cases": args.base_cases,
        "register": register,
        "cases_after": Case.objects.count(),
        "seeding": seeding,
        "results": results,
    }


def register_file(
    args: argparse.Namespace, records: Callable[[int], list[dict[str, Any]]]
) -> dict[str, Any]:
    """A national register of `--register` records in one JSON file, loaded by
    `opennrm import-htcds FILE --agency NAME --summary` (one transaction): wall time and the
    process's peak memory."""
    import io
    import resource

    from django.core.management import call_command

    from opennrm.cases.models import Case

    path = args.workdir / f"register-{args.register}.json"
    log(f"writing {args.register} records to {path}")
    path.write_text(json.dumps(records(args.register), ensure_ascii=False), encoding="utf-8")
    before = Case.objects.count()
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    call_command(
        "import_htcds",
        str(path),
        agency=IMPORT_AGENCY,
        user=IMPORT_USER,
        summary=True,
        stdout=out,
        stderr=err,
    )
    seconds = time.perf_counter() - start
    path.unlink()
    assert Case.objects.count() == before + args.register, out.getvalue()
    for line in err.getvalue().splitlines()[-2:]:
        log(f"import-htcds: {line}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The command's second process (a forked copy: its resident pages include those it still
    # shares with the command, so the two peaks do not add up to the memory used).
    copy_peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    log(f"register of {args.register}: {seconds:.1f} s, {args.register / seconds:.0f} records/s")
    return {
        "records": args.register,
        "seconds": seconds,
        "records_per_s": args.register / seconds,
        "peak_mib": peak_mib,
        "copy_peak_mib": copy_peak_mib,
    }


def print_report(runs: list[dict[str, Any]]) -> None:
    headers = [
        "db",
        "batch",
        "path",
        "runs",
        "median s",
        "records/s",
        "best rec/s",
        "ms/record",
        "sql/record",
    ]
    body = [
        [
            r["db"],
            r["batch"],
            r["path"],
            r["runs"],
            r["median_s"],
            r["records_per_s"],
            r["best_records_per_s"],
            r["ms_per_record"],
            r["statements_per_record"],
        ]
        for run in runs
        for r in run["results"]
    ]
    print(table(headers, body))
    print()
    print(
        table(
            ["db", "base cases", "cases after"],
            [[run["db"], run["base_cases"], run["cases_after"]] for run in runs],
        )
    )
    registers = [run for run in runs if run.get("register")]
    if registers:
        print()
        print(
            table(
                [
                    "db",
                    "register (records)",
                    "import-htcds s",
                    "records/s",
                    "peak MiB",
                    "copy peak MiB",
                ],
                [
                    [
                        run["db"],
                        run["register"]["records"],
                        run["register"]["seconds"],
                        run["register"]["records_per_s"],
                        run["register"]["peak_mib"],
                        run["register"].get("copy_peak_mib", 0.0),
                    ]
                    for run in registers
                ],
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=csv_ints, default=[500, 2000], help="records per import")
    parser.add_argument("--repeat", type=int, default=3, help="imports per batch size and path")
    parser.add_argument("--base-cases", type=int, default=10_000, help="cases seeded beforehand")
    parser.add_argument("--reseed", action="store_true", help="drop the import database first")
    parser.add_argument(
        "--register",
        type=int,
        default=0,
        help="then load a register of this many records with `opennrm import-htcds` (0: no)",
    )
    parser.add_argument(
        "--paths",
        type=lambda text: text.split(","),
        default=list(PATHS),
        help=f"which paths to time, comma-separated (default: {','.join(PATHS)})",
    )
    common_arguments(parser)
    args = parser.parse_args(argv)
    if unknown := set(args.paths) - set(PATHS):
        parser.error(f"--paths: unknown {', '.join(sorted(unknown))} (known: {', '.join(PATHS)})")
    if args.child_out:
        result = child(args)
        args.child_out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0
    runs = []
    for backend in args.db:
        child_args = [
            "--db",
            backend,
            "--batch",
            ",".join(map(str, args.batch)),
            "--repeat",
            str(args.repeat),
            "--base-cases",
            str(args.base_cases),
            "--pg-url",
            args.pg_url,
            "--workdir",
            str(args.workdir),
            "--register",
            str(args.register),
            "--paths",
            ",".join(args.paths),
        ]
        if args.reseed:
            child_args.append("--reseed")
        runs.append(run_child("benchmarks.htcds_import", child_args))
    print_report(runs)
    path = write_results(
        "htcds_import",
        {"benchmark": "htcds_import", "argv": sys.argv[1:], "machine": machine(), "runs": runs},
    )
    print(f"\nresults: {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

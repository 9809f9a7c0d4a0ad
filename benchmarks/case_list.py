"""Case list and name search: p50/p95 at N cases, beside the raw SQL of the same queries.

    .venv/bin/python -m benchmarks.case_list --cases 10000,100000 --db both --repeat 50

For each database and case count this seeds (or reuses) a benchmark database, then times what a
user triggers: page 1 of the case list and two name searches, in process (the view's own
queryset chain, the count, the 25 rows and their decrypted names) and end to end (the web page
through `django.test.Client`, and the API). Each is set beside the same SELECT statements
replayed with a cursor (no model instances, no decryption), as a ratio. See README.md.
"""

from __future__ import annotations

import argparse
import functools
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
    summary,
    table,
    timed,
    write_results,
)

PAGE_SIZE = 25  # web.views.PAGE_SIZE
SEARCHES = ("шевченко", "Oleksandr Shevchenko")
AGENCY = "Benchmark NGO (synthetic)"
USERNAME = "bench.caseworker"


# Statements of the request machinery, not of the case list: left out of the baseline.
NOT_LIST_DATA = ("django_session", "accounts_", "tenancy_membership", "axes_", "audit_")


def captured(fn: Callable[[], object]) -> list[tuple[str, Any]]:
    """The data SELECTs one call of `fn` runs (the baseline replays these)."""
    from django.db import connection

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        fn()
    return [
        (sql, params)
        for sql, params in recorder.statements
        if sql.lstrip().upper().startswith("SELECT")
        and not any(table in sql for table in NOT_LIST_DATA)
    ]


def replay(statements: list[tuple[str, Any]]) -> None:
    """The raw baseline: the same SQL and parameters through a cursor, rows fetched."""
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def list_page(actor: Any, q: str, timings: dict[str, list[float]] | None = None) -> int:
    """What `web.views.case_list` computes for page 1: count, 25 cases, their display rows.

    Mirrors `web.views._render_case_list`: the access gate's visible cases (a name search
    looks only where the actor may see identities), the filters, the list data, a paginator
    of 25, then the rows with names decrypted where the actor may see them.
    """
    from django.core.paginator import Paginator

    from opennrm.access import policy
    from opennrm.cases import queries as case_queries
    from opennrm.web import presenters

    start = time.perf_counter_ns()
    filters = case_queries.CaseFilters(q=q)
    visible = policy.visible_cases(actor)
    identities = policy.identity_scope(actor)
    base = identities.cases() if filters.q else visible
    cases = case_queries.filter_cases(base, filters)
    page = Paginator(case_queries.with_list_data(cases), PAGE_SIZE).get_page(1)
    objects = list(page.object_list)
    fetched = time.perf_counter_ns()
    rows = presenters.case_rows(objects, sees_identity=identities.sees)
    if timings is not None:
        timings["queries"].append((fetched - start) / 1e6)
        timings["decrypt"].append((time.perf_counter_ns() - fetched) / 1e6)
    assert len(rows) == min(PAGE_SIZE, page.paginator.count)
    assert page.paginator.count > 0 or visible.exists() or filters.q
    return int(page.paginator.count)


def measure(
    label: str,
    path: str,
    fn: Callable[[], object],
    *,
    repeat: int,
    warmup: int,
    rows: int,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    statements = captured(fn)
    orm = timed(fn, repeat=repeat, warmup=warmup)
    raw = timed(lambda: replay(statements), repeat=repeat, warmup=warmup)
    result = {
        "query": label,
        "path": path,
        "rows": rows,
        "statements": len(statements),
        "orm_ms": summary(orm),
        "raw_ms": summary(raw),
        "ratio": summary(orm)["p50"] / summary(raw)["p50"],
        "sql": [sql for sql, _ in statements],
        **(extra or {}),
    }
    log(
        f"{label:32} {path:9} p50 {result['orm_ms']['p50']:8.2f} ms  "
        f"p95 {result['orm_ms']['p95']:8.2f} ms  raw p50 {result['raw_ms']['p50']:7.2f} ms"
    )
    return result


def explain(statements: list[tuple[str, Any]], backend: str) -> list[str]:
    """The plan of each statement (EXPLAIN ANALYZE on PostgreSQL, QUERY PLAN on SQLite)."""
    from django.db import connection

    plans = []
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if backend == "postgres" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(prefix + sql, params)
            rows = cursor.fetchall()
            lines = [str(r[0] if backend == "postgres" else r[-1]) for r in rows]
            plans.append(sql + "\n" + "\n".join("    " + line for line in lines))
    return plans


def child(args: argparse.Namespace) -> dict[str, Any]:
    """One database, one case count (runs in its own process)."""
    from benchmarks.common import setup_django

    backend = args.db[0]
    count = args.cases[0]
    db = BenchDatabase(backend, f"cases_{count}", args.workdir, args.pg_url)
    setup_django(db, fresh=args.reseed)
    from django.test import Client
    from tests.mfa import mark_verified

    from benchmarks.seed import seed_cases, verify_seed
    from opennrm.accounts.services import issue_api_token

    actor = benchmark_actor(AGENCY, USERNAME)
    seeding = seed_cases(actor, count, batch=args.batch)
    verify_seed(actor)
    analyze(backend, sqlite_stats=args.sqlite_analyze)
    label_db = f"{backend}+analyze" if backend == "sqlite" and args.sqlite_analyze else backend
    repeat, warmup = args.repeat, args.warmup
    web = Client()
    web.force_login(actor.user, backend="django.contrib.auth.backends.ModelBackend")
    mark_verified(web, actor.user)  # past the second factor, as after a real login
    api = Client(headers={"authorization": f"Bearer {issue_api_token(user=actor.user)}"})

    def web_get() -> None:
        response = web.get("/cases/")
        assert response.status_code == 200, response.status_code

    def web_post(q: str) -> Callable[[], None]:
        def call() -> None:
            response = web.post("/cases/", {"q": q})
            assert response.status_code == 200, response.status_code

        return call

    def api_get(q: str) -> Callable[[], None]:
        def call() -> None:
            response = api.get("/api/v1/cases/", {"q": q} if q else {})
            assert response.status_code == 200, response.status_code

        return call

    results = []
    plans: dict[str, list[str]] = {}
    for q in ("", *SEARCHES):
        label = f"search '{q}'" if q else "case list page 1"
        rows = list_page(actor, q)
        timings: dict[str, list[float]] = {"queries": [], "decrypt": []}
        in_process = measure(
            label,
            "orm",
            functools.partial(list_page, actor, q, timings),
            repeat=repeat,
            warmup=warmup,
            rows=rows,
        )
        # The first `warmup` calls also filled `timings`; keep the measured ones.
        in_process["queries_ms"] = summary(timings["queries"][-repeat:])
        in_process["decrypt_ms"] = summary(timings["decrypt"][-repeat:])
        results.append(in_process)
        plans[label] = explain(captured(functools.partial(list_page, actor, q)), backend)
        page = web_post(q) if q else web_get
        results.append(measure(label, "web", page, repeat=repeat, warmup=warmup, rows=rows))
        results.append(measure(label, "api", api_get(q), repeat=repeat, warmup=warmup, rows=rows))
    for r in results:
        r.update(db=label_db, cases=count)
    return {"db": label_db, "cases": count, "seeding": seeding, "results": results, "plans": plans}


def print_report(runs: list[dict[str, Any]]) -> None:
    headers = [
        "db",
        "cases",
        "query",
        "path",
        "rows",
        "p50 ms",
        "p95 ms",
        "raw p50 ms",
        "raw p95 ms",
        "ratio",
        "sql",
        "names ms",
    ]
    body = []
    for run in runs:
        for r in run["results"]:
            body.append(
                [
                    r["db"],
                    r["cases"],
                    r["query"],
                    r["path"],
                    r["rows"],
                    r["orm_ms"]["p50"],
                    r["orm_ms"]["p95"],
                    r["raw_ms"]["p50"],
                    r["raw_ms"]["p95"],
                    r["ratio"],
                    r["statements"],
                    r["decrypt_ms"]["p50"] if "decrypt_ms" in r else "",
                ]
            )
    print(table(headers, body))
    print()
    seed_rows = [
        [
            run["db"],
            run["cases"],
            run["seeding"]["added"],
            run["seeding"]["seconds"],
            run["seeding"].get("cases_per_second", ""),
        ]
        for run in runs
    ]
    print(table(["db", "cases", "seeded now", "seconds", "cases/s"], seed_rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=csv_ints, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=50, help="timed calls per measurement")
    parser.add_argument("--warmup", type=int, default=5, help="untimed calls before those")
    parser.add_argument("--batch", type=int, default=1000, help="cases per seeding transaction")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the databases again")
    parser.add_argument("--plans", action="store_true", help="print the query plans as well")
    parser.add_argument(
        "--sqlite-analyze",
        action="store_true",
        help="give SQLite planner statistics (ANALYZE); by default they are removed",
    )
    common_arguments(parser)
    args = parser.parse_args(argv)
    if args.child_out:
        import json

        result = child(args)
        args.child_out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0
    runs = []
    for backend in args.db:
        for count in args.cases:
            child_args = [
                "--db",
                backend,
                "--cases",
                str(count),
                "--repeat",
                str(args.repeat),
                "--warmup",
                str(args.warmup),
                "--batch",
                str(args.batch),
                "--pg-url",
                args.pg_url,
                "--workdir",
                str(args.workdir),
            ]
            if args.reseed:
                child_args.append("--reseed")
            if args.sqlite_analyze:
                child_args.append("--sqlite-analyze")
            runs.append(run_child("benchmarks.case_list", child_args))
    print_report(runs)
    if args.plans:
        for run in runs:
            for label, plans in run["plans"].items():
                print(f"\n## {run['db']} {run['cases']} cases, {label}")
                for plan in plans:
                    print(plan)
    path = write_results(
        "case_list",
        {"benchmark": "case_list", "argv": sys.argv[1:], "machine": machine(), "runs": runs},
    )
    print(f"\nresults: {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

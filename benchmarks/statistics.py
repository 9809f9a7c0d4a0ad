"""The statistics dashboard and the period report at N cases, beside raw aggregate SQL.

    .venv/bin/python -m benchmarks.statistics --cases 10000,100000 --db postgres --repeat 3

Seeds (or reuses) the same benchmark databases as `benchmarks.case_list` (`cases_N`), then
times, for the national statistician over one calendar year:

* `indicators, counted from the cases`: `reports.indicators.compute` from the cases (persons
  from linkage clusters, every family), and `dashboard first visit, counted from the cases`:
  `GET /statistics/` through `django.test.Client` (compute, protect, render SVG), both before
  the per-person facts exist: the baseline;
* `facts: full build`: what the worker does after a linkage run (`reports.facts.refresh`), then
  a refresh with nothing changed and one after a registration;
* `indicators, kept facts`, `dashboard first visit, kept facts`, `GET /api/v1/stats/, kept
  facts`: the same from the facts the worker keeps, counted in the database, with the planner
  statistics autovacuum keeps (`VACUUM ANALYZE` after the build; the first visits right after
  the build, before it, are a row of their own); `dashboard again`: the page while its
  figures are kept (`OPENNRM_STATS_CACHE_SECONDS`);
* `report xlsx`: the period report's content and workbook (what the worker does);
* `raw SQL`: the aggregate statements a hand-written report would run (persons by sex, by form
  of exploitation, by country), as the baseline; it counts registrations, not persons.

No warm-up call: the first call (cold) is among the samples, and in `max`. The run also says
whether the kept facts gave exactly the indicators counted from the cases.

Target (issue 16): the dashboard's first visit and the API under 1 s p95 at 1M cases on
PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    BenchDatabase,
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

AGENCY = "Benchmark NGO (synthetic)"
USERNAME = "bench.caseworker"
STATISTICIAN = "bench.statistician"

RAW_SQL = (
    """SELECT p.gender, count(*) FROM cases_case c JOIN people_person p ON p.id = c.person_id
       WHERE c.identified_on BETWEEN %s AND %s GROUP BY p.gender""",
    """SELECT k.code, count(*) FROM cases_casecode k JOIN cases_case c ON c.id = k.case_id
       WHERE k.list = 'ua_exploitation' AND c.identified_on BETWEEN %s AND %s GROUP BY k.code""",
    """SELECT e.country, count(*) FROM cases_traffickingevent e
       JOIN cases_case c ON c.id = e.case_id
       WHERE e.type = 'Exploitation' AND c.identified_on BETWEEN %s AND %s GROUP BY e.country""",
)


def _statistician() -> Any:
    from opennrm.accounts.models import User
    from opennrm.tenancy.actor import actor_for
    from opennrm.tenancy.models import Agency, Membership

    msp, _ = Agency.objects.get_or_create(
        name="Benchmark ministry (synthetic)", defaults={"kind": "MinistryOfSocialPolicy"}
    )
    user = User.objects.filter(username=STATISTICIAN).first()
    if user is None:
        user = User.objects.create_user(username=STATISTICIAN, password="bench-" + "x" * 20)
        Membership.objects.create(user=user, agency=msp, role="statistician")
    return actor_for(user)


def child(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.common import setup_django

    backend, count = args.db[0], args.cases[0]
    db = BenchDatabase(backend, f"cases_{count}", args.workdir, args.pg_url)
    setup_django(db, fresh=args.reseed)
    import datetime as dt

    from django.db import connection
    from django.db.models import Max
    from django.test import Client, override_settings
    from tests.mfa import mark_verified

    from benchmarks.seed import seed_cases
    from opennrm.access import statistics as gate
    from opennrm.cases.models import Case
    from opennrm.reports import facts, period_report
    from opennrm.reports.indicators import Filters, compute
    from opennrm.reports.models import FactsState

    seeding = seed_cases(benchmark_actor(AGENCY, USERNAME), count, batch=args.batch)
    analyze(backend)
    FactsState.objects.all().delete()  # the baseline counts from the cases
    actor = _statistician()
    last = Case.objects.aggregate(last=Max("identified_on"))["last"]
    year = last.year if last else 2016
    filters = Filters(dt.date(year, 1, 1), dt.date(year, 12, 31))
    cases = gate.cases_in_scope(actor)
    client = Client()
    client.force_login(actor.user, backend="django.contrib.auth.backends.ModelBackend")
    mark_verified(client, actor.user)  # past the second factor, as after a real login
    counted = compute(cases, filters)
    in_year = Case.objects.filter(identified_on__year=year).count()
    query = f"start={year}-01-01&end={year}-12-31"

    def dashboard() -> None:
        response = client.get(f"/statistics/?{query}")
        assert response.status_code == 200

    def api() -> None:
        response = client.get(f"/api/v1/stats/?from={year}-01-01&to={year}-12-31")
        assert response.status_code == 200, response.content[:200]

    def report() -> None:
        from django.utils import translation

        with translation.override("en"):
            content = period_report.content(compute(cases, filters, national=True), national=True)
            period_report.to_xlsx(content)

    def dashboard_kept() -> None:
        # A second visit within OPENNRM_STATS_CACHE_SECONDS (the figures are kept).
        with override_settings(OPENNRM_STATS_CACHE_SECONDS=300):
            response = client.get(f"/statistics/?{query}")
            assert response.status_code == 200

    def raw() -> None:
        with connection.cursor() as cursor:
            for sql in RAW_SQL:
                cursor.execute(sql, [filters.start, filters.end])
                cursor.fetchall()

    def one_registration() -> None:
        from benchmarks.seed import _seed_batch

        _seed_batch(benchmark_actor(AGENCY, USERNAME), random.Random(len(rows)), 1)
        facts.refresh()

    rows = []

    def measure(name: str, fn: Callable[[], object], repeat: int) -> None:
        # No warm-up: the first call is the cold one and is in the figures (max).
        samples = timed(fn, repeat=repeat, warmup=0)
        rows.append({"what": name, **summary(samples)})
        log(f"{backend} {count}: {name} p50 {rows[-1]['p50']:.0f} ms max {rows[-1]['max']:.0f}")

    # Before the facts are built: every figure is counted from the cases (the baseline).
    measure("indicators, counted from the cases", lambda: compute(cases, filters), args.repeat)
    measure("dashboard first visit, counted from the cases", dashboard, args.repeat)
    measure("facts: full build (worker)", lambda: facts.refresh(full=True), 1)
    measure("facts: refresh, nothing changed", facts.refresh, args.repeat)
    measure("facts: refresh after one registration", one_registration, 1)
    # Right after the build, before autovacuum has seen the facts' tables (the worst case).
    measure("dashboard first visit, kept facts, before VACUUM ANALYZE", dashboard, args.repeat)
    analyze(backend)  # what autovacuum does after the build's writes
    kept = compute(cases, filters, national=True)
    same = kept == compute(cases, filters)
    measure("indicators, kept facts", lambda: compute(cases, filters, national=True), args.repeat)
    measure("dashboard first visit, kept facts", dashboard, args.repeat)
    measure("GET /api/v1/stats/, kept facts", api, args.repeat)
    measure("dashboard again (figures kept 5 min)", dashboard_kept, args.repeat)
    measure("report xlsx", report, args.repeat)
    measure("raw SQL (3 aggregates)", raw, args.repeat)
    return {
        "db": backend,
        "cases": count,
        "year": year,
        "cases_in_year": in_year,
        "persons_in_year": counted.persons,
        "same_counts": same,
        "seeding": seeding,
        "results": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_arguments(parser)
    parser.add_argument("--cases", type=csv_ints, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    if args.child_out:
        import json

        args.child_out.write_text(json.dumps(child(args), default=str), encoding="utf-8")
        return
    runs = []
    started = time.perf_counter()
    for backend in args.db:
        for count in args.cases:
            runs.append(
                run_child(
                    "benchmarks.statistics",
                    [
                        "--db", backend, "--cases", str(count), "--repeat", str(args.repeat),
                        "--batch", str(args.batch), "--pg-url", args.pg_url,
                        "--workdir", str(args.workdir),
                    ]
                    + (["--reseed"] if args.reseed else []),
                )
            )  # fmt: skip
    lines = []
    for run in runs:
        raw = next(r for r in run["results"] if r["what"].startswith("raw"))
        for r in run["results"]:
            lines.append(
                [
                    run["db"],
                    run["cases"],
                    f"{run['cases_in_year']} / {run['persons_in_year']}",
                    r["what"],
                    f"{r['p50']:.0f}",
                    f"{r['p95']:.0f}",
                    f"{r['max']:.0f}",
                    f"{r['p50'] / raw['p50']:.1f}x" if raw["p50"] else "-",
                ]
            )
    print(
        table(
            [
                *("db", "cases", "year: registrations / persons", "what"),
                *("p50 ms", "p95 ms", "max ms", "p50 vs raw"),
            ],
            lines,
        )
    )
    for run in runs:
        same = "yes" if run["same_counts"] else "NO"
        print(f"{run['db']} {run['cases']}: the kept facts give the cases' indicators: {same}")
        timed_rows = {r["what"]: r for r in run["results"]}
        first = timed_rows["dashboard first visit, kept facts"]["p95"]
        api = timed_rows["GET /api/v1/stats/, kept facts"]["p95"]
        raw = timed_rows["raw SQL (3 aggregates)"]["p95"]
        under = "yes" if max(first, api) < 1000 else "NO"
        print(
            f"{run['db']} {run['cases']}: dashboard first visit {first:.0f} ms and API {api:.0f} ms"
            f" p95 from the kept facts (raw SQL {raw:.0f} ms p95): under 1 s p95: {under}"
        )
    print(f"machine: {machine()}; total {time.perf_counter() - started:.0f} s")
    path = write_results("statistics", {"runs": runs, "machine": machine()})
    print(f"results: {path}")


if __name__ == "__main__":
    main()

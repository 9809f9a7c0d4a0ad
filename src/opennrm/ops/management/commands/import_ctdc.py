from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opennrm.reports.ctdc_import import ImportRefused, import_ctdc


class Command(BaseCommand):
    help = (
        "Read a CTDC global dataset CSV (2017-2020 k-anonymised or 2024 synthetic) into the "
        "analysis area, kept apart from case records; all rows or none."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--name", required=True, help="what the dashboard calls it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with options["path"].open(encoding="utf-8-sig", newline="") as stream:
                dataset = import_ctdc(stream, name=options["name"])
        except OSError as exc:
            raise CommandError(f"{options['path']}: {exc}", returncode=2) from exc
        except ImportRefused as exc:
            self.stderr.write(json.dumps(exc.report, indent=2, ensure_ascii=False))
            raise CommandError("nothing was imported: see the report above", returncode=2) from exc
        report = dataset.report
        self.stdout.write(
            f"imported {dataset.rows} rows as {dataset.name!r} ({dataset.get_format_display()}); "
            f"'NA' read as Namibia in {report.get('namibia_na', 0)} field(s)"
        )

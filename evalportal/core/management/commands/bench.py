"""python manage.py bench <name> [--json]: the speed goals of the project (see evalportal/core/bench/)."""
from __future__ import annotations

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from evalportal.core.bench import load_all


class Command(BaseCommand):
    help = "性能基准：python manage.py bench <名称> [--json]"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="bench", required=True)   # Django passes its CommandParser on
        for bench in load_all().values():
            sub = subparsers.add_parser(bench.name, help=bench.help)
            sub.add_argument("--json", action="store_true", help="以 JSON 输出结果")
            if bench.add_arguments is not None:
                bench.add_arguments(sub)

    def handle(self, *args, bench: str, **options):
        # Benchmarks measure what production runs. With DEBUG on (make's targets set it), Django keeps every SQL
        # statement with its timing and templates carry debug information.
        with override_settings(DEBUG=False):
            timings = load_all()[bench].run(options)
        if timings and all(isinstance(t, dict) for t in timings):
            # A bench may return plain rows (one per size): --json prints them as one JSON list.
            if options.get("json"):
                self.stdout.write(json.dumps(timings, ensure_ascii=False, indent=2))
            else:
                for row in timings:
                    self.stdout.write("  ".join(f"{k}={v}" for k, v in row.items()))
            return
        if options.get("json"):
            self.stdout.write(json.dumps({"bench": bench, "timings": [asdict(t) for t in timings]},
                                         ensure_ascii=False, indent=2))
            return
        for t in timings:
            extra = "  ".join(f"{k}={v}" for k, v in t.extra.items())
            best = f"（最快 {t.best * 1000:.1f} ms）" if t.best is not None else ""
            self.stdout.write(f"{t.label:<28} {t.seconds * 1000:9.1f} ms {best} ×{t.repeats}  {extra}".rstrip())

"""manage.py generate_scale_data: bulk-generate a district's or a city's records."""

import json

from django.core.management.base import BaseCommand, CommandParser

from scale.generator import TRACKING_PASSWORD, Sizes, generate


class Command(BaseCommand):
    help = (
        "Generate realistic records in bulk (entities, catalogue entries with their search "
        "index, institutions, service cases, complaints, information requests) for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Sizes()
        for name in ("entities", "entries", "institutions", "cases", "complaints", "requests"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
        parser.add_argument("--seed", type=int, default=1, help="same seed, same records")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--skip-statistics-summary",
            action="store_true",
            help="do not rebuild the service statistics summary (slow for millions of cases)",
        )

    def handle(self, *args, **options) -> None:
        names = ("entities", "entries", "institutions", "cases", "complaints", "requests")
        sizes = Sizes(**{name: max(0, options[name]) for name in names})
        if sizes.entities < 1 and (sizes.entries or sizes.cases):
            sizes.entities = 1
        report = generate(
            sizes,
            seed=options["seed"],
            out=self.stderr._out,
            statistics_summary=not options["skip_statistics_summary"],
        )
        if options["json"]:
            self.stdout.write(json.dumps({"counts": report.counts, "seconds": report.seconds}))
            return
        for name, count in report.counts.items():
            self.stdout.write(f"{name}: {count:,}")
        self.stdout.write("seconds: " + ", ".join(f"{k} {v}" for k, v in report.seconds.items()))
        self.stdout.write(f"tracking password of every generated record: {TRACKING_PASSWORD}")

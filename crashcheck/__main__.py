"""`python -m crashcheck`: the command line (see the package's docstring); prints the
report, progress to stderr."""

from __future__ import annotations

import argparse
import sys

import crashcheck
from crashcheck import CrashCheckError
from crashcheck.clients import CLIENTS
from crashcheck.run import run
from crashcheck.world import fresh_database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crashcheck", description=crashcheck.__doc__)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database-url", help="a new, empty database (DATABASE_URL form)")
    target.add_argument("--backend", choices=("sqlite", "postgresql"), help="make a fresh one")
    parser.add_argument("--rounds", type=int, default=100, help="workers to kill (default 100)")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="client threads")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument(
        "--no-preload",
        dest="preload",
        action="store_false",
        help="workers import the app themselves, as README's command line (slower restarts)",
    )
    args = parser.parse_args(argv)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        options = {
            "rounds": args.rounds,
            "clients": args.clients,
            "seed": args.seed,
            "preload": args.preload,
            "progress": progress,
        }
        if args.database_url:
            report = run(args.database_url, **options)
        else:
            with fresh_database(args.backend) as url:
                report = run(url, **options)
    except CrashCheckError as error:
        print(f"crash check could not run: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Time the organisation register's "likely match" (OrgTree.likely_match): how long the
upload preview spends per unknown name on a large register.

    PYTHONPATH=src .venv/bin/python benchmarks/likely_match.py [--orgs 10000] [--names 200]

Builds a register of invented names in memory (no database; seeded), then asks for the
likely match of misspelt names, and reports the time per name and the one-off time to
index the register. Results go in docs/performance.md under "Organisation register".
"""

from __future__ import annotations

import argparse
import os
import random
import string
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
django.setup()  # orgtree.py sits beside the models; nothing here touches the database

from stocktake.reviews.orgtree import Org, OrgTree  # noqa: E402

SUFFIXES = [" NHS Trust", " NHS Foundation Trust", " Council", " Surgery", " Hospice", ""]


def register(n: int, rng: random.Random) -> tuple[OrgTree, list[Org]]:
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 10))).capitalize()
             for _ in range(3000)]
    orgs = [Org(1, "Region", "", "region", None)]
    for i in range(2, n + 2):
        name = " ".join(rng.choices(words, k=rng.randint(2, 4))) + rng.choice(SUFFIXES)
        orgs.append(Org(i, name, "", "organisation", 1))
    aliases = [(org.id, org.name + " Services") for org in orgs[: n // 5]]
    return OrgTree(orgs, aliases=aliases), orgs


def misspell(name: str, rng: random.Random) -> str:
    position = rng.randrange(len(name))
    return name[:position] + rng.choice(string.ascii_lowercase) + name[position + 1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--names", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    tree, orgs = register(args.orgs, rng)
    start = time.perf_counter()
    tree.likely_match("Warm Up Name Trust")  # builds the name, alias and word indexes
    index = time.perf_counter() - start
    names = [misspell(org.name, rng) for org in rng.sample(orgs[1:], args.names)]
    start = time.perf_counter()
    found = sum(tree.likely_match(name) is not None for name in names)
    each = (time.perf_counter() - start) / len(names)
    print(f"{args.orgs:,} organisations: index {index * 1000:.0f} ms once; "
          f"{each * 1000:.1f} ms per unknown name; {found}/{len(names)} misspellings "
          "offered a likely match")


if __name__ == "__main__":
    main()

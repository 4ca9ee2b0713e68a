"""Time the best-practice appendix's likely-duplicate suggestions
(stocktake.analysis.duplicate_titles.likely_duplicates) on invented examples.

    PYTHONPATH=src .venv/bin/python benchmarks/example_duplicates.py [--sizes 500,2000,10000]

Makes N examples (seeded, no database): titles of 2–6 words and synopses of 15–40 from
a 4,000-word vocabulary, with 5% copied from another example with small edits (a word
changed, a plural, words reordered) and 1% sharing one generic title. Reports the time
to suggest pairs (best of 3) and how many of the planted copies were found. The Examples
and case studies page keeps the result until the review's data change. Results go in
docs/performance.md under "Report appendix: likely duplicate examples".
"""

from __future__ import annotations

import argparse
import platform
import random
import string
import time

from stocktake.analysis.duplicate_titles import likely_duplicates


def invent(n: int, rng: random.Random) -> tuple[list[str], list[str], set[tuple[int, int]]]:
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 10)))
             for _ in range(4000)]
    titles, synopses, planted = [], [], set()
    for i in range(n):
        roll = rng.random()
        if i and roll < 0.05:
            source = rng.randrange(i)
            title = titles[source].split()
            rng.shuffle(title)
            title[-1] = title[-1] + "s" if rng.random() < 0.5 else title[-1]
            synopsis = synopses[source].split()
            synopsis[rng.randrange(len(synopsis))] = rng.choice(words)
            titles.append(" ".join(title))
            synopses.append(" ".join(synopsis))
            planted.add((source, i))
            continue
        if roll < 0.06:
            titles.append("Good practice example")
        else:
            titles.append(" ".join(rng.choices(words, k=rng.randint(2, 6))).capitalize())
        synopses.append(" ".join(rng.choices(words, k=rng.randint(15, 40))) + ".")
    return titles, synopses, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,10000")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print("examples | pairs suggested | planted copies found | best of 3 (s)")
    for n in (int(s) for s in args.sizes.split(",")):
        titles, synopses, planted = invent(n, random.Random(7))
        times = []
        for _ in range(3):
            started = time.perf_counter()
            pairs = likely_duplicates(titles, synopses)
            times.append(time.perf_counter() - started)
        found = sum(1 for pair in planted if pair in pairs)
        print(f"{n:,} | {len(pairs):,} | {found}/{len(planted)} | {min(times):.3f}")


if __name__ == "__main__":
    main()

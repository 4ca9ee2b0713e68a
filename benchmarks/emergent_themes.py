"""Benchmark: `stocktake themes` on generated findings (whole process, JSONL in, JSON out).

    .venv/bin/python benchmarks/emergent_themes.py [--findings 100000] [--framework] [--all]

Generates realistic findings (about 40 topics from health and care learning
reviews, each with its own people, actions, objects and outcomes, written in
varied sentence shapes, spread over 12 systems and 300 organisations), writes
them as FINDINGS.jsonl to a temporary folder, runs `python -m stocktake themes`
in a child process and reports wall time and the child's peak resident memory
(``ru_maxrss`` of the child). Results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "src" / "stocktake" / "analysis" / "default_framework.yaml"

TOPICS = {
    "virtual wards": ("nurses", "monitored patients at home with pulse oximeters", "oxygen levels"),
    "food banks": ("volunteers", "delivered food parcels to shielding households", "hunger"),
    "estates": ("the estates team", "converted the car park into a testing site", "ward space"),
    "vaccination": ("pharmacists", "ran pop-up vaccination clinics in mosques", "vaccine uptake"),
    "discharge": ("the discharge hub", "moved patients home the same day", "delayed discharges"),
    "care homes": ("care home managers", "shared capacity data every morning", "outbreaks"),
    "ppe": ("the procurement team", "pooled masks and gowns across providers", "stock levels"),
    "staff wellbeing": ("psychologists", "offered listening sessions to ward staff", "burnout"),
    "redeployment": ("theatre nurses", "were redeployed to critical care", "skill mix"),
    "video": ("outpatient clinicians", "moved appointments to video consultation", "did not attend"),
    "digital exclusion": ("libraries", "lent tablets to older people", "digital exclusion"),
    "mental health": ("the crisis team", "opened a 24-hour mental health line", "crisis presentations"),
    "homelessness": ("outreach workers", "housed rough sleepers in hotels", "homelessness"),
    "data": ("analysts", "built a shared dashboard of system capacity", "duplicate data returns"),
    "governance": ("the gold command", "met daily to agree system decisions", "decision making"),
    "primary care": ("primary care networks", "set up hot hubs for covid patients", "demand"),
    "volunteers": ("voluntary sector partners", "coordinated thousands of volunteers", "isolation"),
    "inequalities": ("public health", "targeted ethnic minority communities", "inequalities"),
    "learning disability": ("learning disability nurses", "reviewed every death", "mortality"),
    "end of life": ("the hospice", "supported families to say goodbye by video", "bereavement"),
    "workforce": ("medical students", "joined the bank workforce early", "vacancies"),
    "training": ("the education team", "ran rapid ventilator training", "competence"),
    "testing": ("the laboratory", "scaled up swab testing for staff", "turnaround times"),
    "regional": ("the regional team", "asked for the same information twice a day", "reporting burden"),
    "public": ("communications leads", "ran community conversations online", "trust"),
    "children": ("school nurses", "kept safeguarding visits going", "hidden harm"),
    "domestic abuse": ("safeguarding leads", "set up refuge referrals from pharmacies", "domestic abuse"),
    "carers": ("carers centres", "phoned every unpaid carer on the register", "carer breakdown"),
    "transport": ("the ambulance trust", "ran a patient transport cell", "handover delays"),
    "elective recovery": ("surgeons", "used the independent sector for cancer surgery", "waiting lists"),
    "long covid": ("rehabilitation therapists", "opened a long covid clinic", "fatigue"),
    "oxygen": ("engineers", "upgraded oxygen supply to every ward", "oxygen pressure"),
    "it": ("the IT team", "deployed laptops and remote access overnight", "home working"),
    "research": ("research nurses", "recruited patients to national trials", "evidence"),
    "shielding": ("the council", "called every shielded resident", "loneliness"),
    "social prescribing": ("social prescribers", "linked people to walking groups", "wellbeing"),
    "pharmacy": ("community pharmacies", "delivered medicines to housebound patients", "access"),
    "sustainability": ("the green plan lead", "cut travel with remote meetings", "carbon"),
    "finance": ("finance directors", "agreed block contracts across the system", "financial risk"),
    "coproduction": ("experts by experience", "co-designed the recovery plan", "engagement"),
}
OPENERS = ["", "During the first wave ", "Over the winter ", "From March ", "In our place ",
           "Across the system ", "Within weeks "]
OUTCOMES = ["which reduced {o}", "but {o} remained a challenge", "and we want to keep this",
            "although funding for it ends in March", "so {o} fell", "which staff valued",
            "and other organisations have since adopted it", "despite concerns about {o}"]
EXTRAS = ["with support from the council", "working with the ICB", "led by a consultant nurse",
          "at very short notice", "using money from the national fund", "with the hospice",
          "in partnership with local charities", "seven days a week", "for the first time", ""]


def generate(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    topics = list(TOPICS.values())
    systems = [f"System {chr(65 + i)}" for i in range(12)]
    rows = []
    for i in range(n):
        who, did, outcome = topics[int(rng.paretovariate(1.2) * 3) % len(topics)]
        if rng.random() < 0.3:  # a second topic in the same finding
            _, did2, _ = rng.choice(topics)
            did = f"{did} and {did2}"
        text = (f"{rng.choice(OPENERS)}{who} {did} {rng.choice(EXTRAS)}, "
                f"{rng.choice(OUTCOMES).format(o=outcome)}.").replace(" ,", ",").strip()
        text = text[0].upper() + text[1:]
        system = systems[rng.randrange(len(systems))]
        rows.append({"id": f"F{i + 1}", "text": text, "system": system,
                     "organisation": f"{system} organisation {rng.randrange(25) + 1}"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--framework", action="store_true", help="code to the default framework")
    parser.add_argument("--all", action="store_true", help="cluster every finding")
    parser.add_argument("--duplicates", action="store_true", help="also find near-duplicates")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        findings = Path(tmp) / "findings.jsonl"
        with open(findings, "w", encoding="utf-8") as handle:
            for row in generate(args.findings):
                handle.write(json.dumps(row) + "\n")
        command = [sys.executable, "-m", "stocktake", "themes", "--input", str(findings),
                   "--output", str(Path(tmp) / "themes.json")]
        if args.framework:
            command += ["--framework", str(FRAMEWORK)]
        if args.all:
            command.append("--all")
        if args.duplicates:
            command.append("--duplicates")
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT)
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        result = json.loads((Path(tmp) / "themes.json").read_text(encoding="utf-8"))
    emergent = result["emergent"]
    print(json.dumps({
        "findings": args.findings, "framework": args.framework, "all": args.all,
        "duplicates": args.duplicates, "wall_s": round(wall, 1), "peak_rss_mb": round(peak_mb),
        "considered": emergent["considered"], "emergent_themes": len(emergent["themes"]),
        "labels": [t["label"] for t in emergent["themes"][:8]],
        "near_duplicate_pairs": len(result.get("near_duplicates") or []),
    }, indent=2))


if __name__ == "__main__":
    main()

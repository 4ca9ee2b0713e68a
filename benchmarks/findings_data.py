"""Realistic synthetic findings for the analysis benchmarks (seeded, no network).

``generate(n, seed)`` composes statements in the style of learning-review
submissions from fragments: an organisation, what it did or faced, the theme's
subject matter and an outcome or complication, sometimes two sentences,
sometimes with abbreviations or PDF-style bullets. Shared by
``benchmarks/code_findings.py`` and ``benchmarks/semantic.py``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ORGS = [
    "Northmere Acute Hospitals NHS Foundation Trust", "the community trust", "Eastvale ICB",
    "Riverside PCN", "the county council", "St Aidan's Hospice", "the mental health trust",
    "the ambulance service", "Westbrook Borough Council adult social care", "the GP federation",
    "Northmere Voluntary Action", "the ICS", "the acute trust", "our place partnership",
    "Harbourside Community Healthcare", "the integrated care board", "the LA", "the CCG",
    "the district nursing team", "the discharge hub", "the children's services team",
]
SUBJECTS = {
    "system": ["a single system winter plan", "mutual aid between providers",
               "a joint system control centre", "pooled budgets for discharge",
               "daily calls between chief executives", "a provider collaborative for elective care",
               "shared bed capacity tracking across the patch", "one discharge to assess model"],
    "place": ["the borough's neighbourhood hubs", "a locality frailty huddle",
              "place-based population health management", "PCN home visiting teams",
              "the town's community partnership", "council and NHS joint commissioning",
              "integrated neighbourhood teams", "the county's community hubs"],
    "innovation": ["a rapid test-and-learn approach", "a pilot of same day emergency care",
                   "PDSA cycles on the ward", "spreading the new pathway to other sites",
                   "an evaluation of the redesigned clinic", "quality improvement coaching",
                   "adopting best practice from a neighbouring trust", "a new model of care"],
    "technology": ["video consultations", "a virtual ward with pulse oximetry",
                   "shared care records", "laptops for community staff", "Microsoft Teams meetings",
                   "remote monitoring for care home residents", "an online booking app",
                   "electronic prescribing", "a live capacity dashboard", "better wi-fi on wards"],
    "wellbeing": ["wobble rooms and rest spaces", "psychological support for staff",
                  "staff risk assessments", "a staff wellbeing hub", "flexible working for carers",
                  "counselling for bereaved colleagues", "occupational health capacity",
                  "thank-you events for teams", "burnout among senior nurses"],
    "workforce": ["redeployment of theatre staff", "student nurses joining the rota",
                  "returners to practice", "a staff passport across employers",
                  "cross-skilling healthcare assistants", "volunteers on reception",
                  "new roles for allied health professionals", "recruitment of bank staff",
                  "junior doctors stepping up to lead"],
    "inequalities": ["outreach to homeless people", "vaccine uptake in ethnic minority communities",
                     "food parcels for shielding residents", "support for people with learning "
                     "disabilities", "care home residents' access to GPs", "digital exclusion "
                     "among older people", "interpreters for refugees", "deprivation in the "
                     "coastal towns", "carers left without respite"],
    "public": ["community champions", "co-production with patients", "faith leaders sharing "
               "messages", "public expectations of services", "Healthwatch feedback",
               "self-care advice for residents", "engagement with residents' groups",
               "clear messaging to the public"],
    "regional": ["daily sitreps to the regional team", "national guidance issued late on Friday",
                 "duplicated data requests from NHS England", "regional assurance meetings",
                 "the regional support offer", "national directives that overrode local plans",
                 "the reporting burden on providers", "autonomy for systems to decide locally"],
}
GOOD = ["set up {s} within two weeks", "successfully introduced {s}", "rolled out {s} across sites",
        "strengthened {s}", "made {s} part of business as usual", "expanded {s} to evenings",
        "worked with partners on {s}", "built on {s} to reach more people",
        "funded {s} from the winter budget", "agreed to keep {s}"]
BAD = ["struggled with {s}", "found {s} difficult to sustain", "saw delays in {s}",
       "could not staff {s}", "reported frustration with {s}", "lacked capacity for {s}",
       "raised concerns about {s}", "had too little time for {s}"]
OUTCOMES = ["Waiting times fell by a third.", "Staff said they felt more valued.",
            "Patients rated it highly.", "Admissions from care homes dropped.",
            "It has since been copied by two other systems.", "Uptake rose to 82%.",
            "The backlog grew over the winter.", "Sickness absence remained high.",
            "Evaluation is planned for next year.", "Older patients found it confusing.",
            "Length of stay was reduced by two days.", "Complaints fell."]
CONTRAST = ["but funding ends in March", "however uptake was lower in deprived areas",
            "although staff were exhausted", "despite shortages of PPE",
            "yet guidance kept changing", "but data sharing agreements took months"]
BULLETS = ["", "", "", "• ", "- ", "1. ", "<li>"]


def statement(rng: random.Random) -> str:
    theme = rng.choice(list(SUBJECTS))
    subject = rng.choice(SUBJECTS[theme])
    org = rng.choice(ORGS)
    verb = rng.choice(GOOD if rng.random() < 0.65 else BAD).format(s=subject)
    text = f"{org[0].upper()}{org[1:]} {verb}"
    if rng.random() < 0.3:
        text += ", " + rng.choice(CONTRAST)
    text += "."
    if rng.random() < 0.5:
        other = rng.choice(SUBJECTS[rng.choice(list(SUBJECTS))])
        text += f" This linked to {other}."
    if rng.random() < 0.6:
        text += " " + rng.choice(OUTCOMES)
    return rng.choice(BULLETS) + text


def generate(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    systems = ["Northmere ICS", "Eastvale ICS", "Westbrook and Harbourside ICS", "BSOL"]
    rows = []
    for i in range(n):
        org = rng.choice(ORGS)
        rows.append({"id": f"f{i:06d}", "text": statement(rng), "organisation": org,
                     "system": rng.choice(systems)})
    return rows


def write_jsonl(rows: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fp:
        for row in rows:
            fp.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path

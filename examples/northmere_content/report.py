"""What the review team wrote for the Northmere report (invented): the summary, a
narrative per theme, summary observations, who leads each recommendation and by when,
and the case studies told at the reflection sessions, with how consent was given."""

SUMMARY = """\
Winter 2024/25 tested every part of health and care in Northmere. Across the four
systems, organisations told us the same thing: **the changes that held were the ones
made together** — discharge to assess, shared data and joint staffing across
organisational boundaries.

This report sets out what the systems achieved, what was hard, and six recommendations
for the region and its partners. The board's response is tracked on the
[Northmere partnership website](https://example.org/northmere/winter-review).
"""

METHOD_NOTE = """\
Reflection sessions of 90 minutes were held with each system's leaders after the
analysis, to test the emerging themes. Quotes are reproduced with the organisations'
agreement; personal details have been removed.
"""

NARRATIVES = {
    "full-system-working": """\
Systems that had already agreed **who decides what** at the start of the winter moved
fastest. Discharge to assess, with trusted assessment shared between the acute trusts
and community services, was the change most often described as one to keep.

Where it did not work, the reasons were familiar:

- assessments repeated by each organisation;
- care home capacity known only by telephone;
- weekend discharge depending on goodwill rather than rotas.
""",
    "technology": """\
Video and telephone follow-up became routine within weeks. Patients valued the choice,
but some — often older people and people without data or devices — were left out.
Loaned devices and a telephone option closed part of that gap.
""",
    "staff-wellbeing": """\
Staff wellbeing hubs were the most valued support for staff, and the most fragile:
most were funded for one winter only. Staff asked for **somewhere to stop**, psychological
support on every site and managers with time to check in.
""",
    "new-workforce": """\
Redeployment brought skilled people to where they were needed, but every move between
organisations meant repeating training and checks. A shared passport would make the
next surge faster and kinder to staff.
""",
    "inequalities-vulnerable": """\
Community champions reached neighbourhoods that services had not, and vaccine uptake
rose where they led. The gap between the most and least deprived places remains.
""",
    "regional-relationship": """\
Systems asked the region for fewer, better data requests. Duplicate daily returns
added during the winter took clinical and managerial time away from patients.
""",
}

# (theme key or None, the observation as the team wrote it)
OBSERVATIONS = [
    ("full-system-working",
     "Working across organisational boundaries — discharge to assess above all — was the "
     "change every system wanted to keep."),
    ("staff-wellbeing",
     "Staff wellbeing support was valued everywhere and funded almost nowhere beyond the winter."),
    (None, "Most of what worked was built on relationships formed before the winter began."),
]

# number: (lead contact, due date)
LEADS = {
    1: ("Director of Integrated Care, Saltmere Coast ICB", "2026-03-31"),
    2: ("Chief Clinical Information Officer", "2026-06-30"),
    3: ("Director of People", "2026-09-30"),
    4: ("Regional Workforce Lead", "2026-12-31"),
    5: ("Director of Public Health", "2026-06-30"),
    6: ("Head of Performance, NRHP", "2026-01-31"),
}

CASE_STUDIES = [
    {"title": "Home for Christmas through discharge to assess",
     "person": "Ward sister, frailty unit",
     "organisation": "Saltmere Coast Integrated Care Board",
     "text": "An 87-year-old man had been ready to leave hospital for nine days. With the "
             "trusted assessor model, the community team accepted the ward's assessment the "
             "same afternoon and he was home, with care in place, two days before Christmas. "
             "Before the winter, the same journey took a week of phone calls.",
     "consent": "Consent form signed at the Saltmere reflection session, 12 June 2025"},
    {"title": "A room to stop",
     "person": "Staff nurse, emergency department",
     "organisation": "Velbrook Teaching Hospitals NHS Foundation Trust",
     "text": "The wellbeing hub was the first place in twenty years where I could sit down "
             "for ten minutes and nobody needed me. On the worst night in January, that "
             "room is why I came back the next day.",
     "consent": ""},  # not yet given: stored, never published
]

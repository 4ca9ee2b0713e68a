"""An earlier Northmere review, published and followed up (invented): the track chain.

The region reviewed how planned care was restored after the pandemic in 2023, published
its report with five recommendations, and has asked the owners twice since: the first
stocktake (closed) and the second (open now). Between them statuses moved, one system
fell behind, one recommendation was overtaken by a national programme, and Ostley's
innovations were decided on — retained, adapted or rejected — so that "cycle 2 against
cycle 1" shows what changed side by side.

Cycle dates are days from the day the demo is loaded, so the open cycle's deadline is
always ahead of whoever tries it.
"""

REGION = "Northmere Regional Health Partnership"
SALTMERE_ICB = "Saltmere Coast Integrated Care Board"
CRI = "Carrowfold Royal Infirmary NHS Foundation Trust"
VELBROOK = "Velbrook Teaching Hospitals NHS Foundation Trust"
DUNMARROW = "Dunmarrow and Hensby Hospitals NHS Trust"
SYSTEMS = {
    "VO": "Velbrook and Ostley Integrated Care System",
    "C": "Carrowfold Integrated Care System",
    "DHW": "Dunmarrow, Hensby and Wrayford Integrated Care System",
    "S": "Saltmere Coast Integrated Care System",
}

REVIEW = {
    "title": "Northmere planned care recovery learning review 2023",
    "slug": "northmere-recovery-2023",
    "scope": "What the region's hospitals, community services and commissioners learned while "
    "restoring planned operations, outpatients and diagnostics after the pandemic.",
    "opens_on": "2023-02-06",
    "closes_on": "2023-03-31",
}

# Who works on it: personas of the winter review (same accounts) and one more owner.
MEMBERS = [
    {"username": "lead.hartley", "role": "lead"},
    {"username": "owner.penhallow", "role": "action_owner", "organisation": SALTMERE_ICB},
    {
        "username": "owner.quayle",
        "role": "action_owner",
        "organisation": CRI,
        "full_name": "Marcus Quayle",
        "email": "marcus.quayle@example.org",
    },
    {"username": "contrib.latchford", "role": "contributor", "organisation": VELBROOK},
    {"username": "viewer.brandt", "role": "viewer"},
]

# What four organisations submitted on the form: (organisation, [(domain, section, text)]).
SUBMISSIONS = [
    (
        SALTMERE_ICB,
        [
            (
                "clinical-quality",
                "achievements",
                "Patient-initiated follow-up let 6,200 people with stable conditions book their own "
                "outpatient review when they needed it, instead of a fixed appointment.",
            ),
            (
                "people",
                "challenges",
                "Clinic letters still offered fixed dates, so some patients did not know they could "
                "book when they needed to.",
            ),
        ],
    ),
    (
        CRI,
        [
            (
                "clinical-quality",
                "challenges",
                "People waiting more than a year for surgery told us nobody had contacted them since "
                "they were listed, and some had become much less fit in the meantime.",
            ),
            (
                "support-processes",
                "learning",
                "A named waiting-list contact and a call every three months found people whose "
                "condition had worsened and brought their operation forward.",
            ),
        ],
    ),
    (
        VELBROOK,
        [
            (
                "people",
                "achievements",
                "Theatre staff worked shifts at Carrowfold under a mutual aid agreement, so both trusts "
                "kept lists running through staff sickness.",
            ),
            (
                "support-processes",
                "challenges",
                "Each loan of theatre staff needed a new honorary contract and fresh checks, which took "
                "up to three weeks.",
            ),
        ],
    ),
    (
        DUNMARROW,
        [
            (
                "clinical-quality",
                "achievements",
                "The community diagnostic centre ran scans on weekday evenings and cut the wait for a "
                "non-urgent MRI from eleven weeks to four.",
            ),
            (
                "inequalities",
                "learning",
                "Evening scan slots were taken up most by people in work; weekend slots by carers.",
            ),
        ],
    ),
]

# (number, text, section, theme, owner, lead contact, due date, per system, evidence phrases)
RECOMMENDATIONS = [
    (
        1,
        "Run one shared waiting list for planned orthopaedic surgery in every system, so patients "
        "are offered the earliest slot in any of its hospitals.",
        "Full system working",
        "full-system-working",
        REGION,
        "Director of planned care, NRHP",
        "2025-03-31",
        True,
        ["waiting"],
    ),
    (
        2,
        "Keep patient-initiated follow-up for outpatients with stable long-term conditions, tell "
        "patients plainly how it works, and publish its use each quarter.",
        "Outpatients",
        "public-relationship",
        SALTMERE_ICB,
        "Head of elective care, Saltmere Coast ICB",
        "2024-09-30",
        False,
        ["patient-initiated", "fixed dates"],
    ),
    (
        3,
        "Give everyone waiting more than 18 weeks for surgery a named contact and a check-in call "
        "every three months.",
        "Waiting well",
        "inequalities-vulnerable",
        CRI,
        "Deputy chief operating officer, CRI",
        "2024-06-30",
        False,
        ["waiting-list contact", "nobody had contacted"],
    ),
    (
        4,
        "Turn the mutual aid agreement for theatre staff into a standing regional arrangement "
        "with one set of checks that every trust accepts.",
        "A new workforce",
        "new-workforce",
        VELBROOK,
        "Director of workforce, VTH",
        "2024-12-31",
        False,
        ["mutual aid", "honorary contract"],
    ),
    (
        5,
        "Open community diagnostic centres in the evenings and at weekends where demand "
        "supports it.",
        "Diagnostics",
        "technology",
        DUNMARROW,
        "Diagnostics programme lead, DHH",
        "2024-09-30",
        False,
        ["diagnostic centre", "evening"],
    ),
]

PUBLISH_REASON = (
    "Published on the board's date: the findings were read by the review team but "
    "not coded, as the framework's themes were still being agreed."
)

REVIEWS_BOARD = "https://intranet.northmere.example/board/"


def _update(
    rec,
    status,
    note,
    *,
    by="lead.hartley",
    rag="",
    system="",
    evidence=(),
    reason="",
    channel="form",
):
    entry = {"recommendation": rec, "status": status, "note": note, "by": by, "channel": channel}
    if rag:
        entry["rag"] = rag
    if system:
        entry["system"] = SYSTEMS[system]
    if evidence:
        entry["evidence"] = list(evidence)
    if reason:
        entry["reason"] = reason
    return entry


CYCLES = [
    {
        "title": "First stocktake: one year on",
        "opens": -400,
        "deadline": -372,
        "note": "What has happened to each recommendation in the year since the report.",
        "asked": [SALTMERE_ICB, CRI],  # owners with a contact: sent their links
        "updates": [
            _update(
                1,
                "in_progress",
                "One list for hip and knee replacements since June; spinal "
                "surgery still listed by hospital.",
                rag="amber",
                system="VO",
                evidence=[REVIEWS_BOARD + "2024-03/vo-ics-elective-hub.pdf"],
            ),
            _update(
                1,
                "in_progress",
                "Both trusts book from the shared list; transport between "
                "sites agreed with the ambulance service.",
                rag="green",
                system="C",
                evidence=[REVIEWS_BOARD + "2024-03/carrowfold-shared-ptl.pdf"],
            ),
            _update(
                1,
                "agreed",
                "Not started: waiting for the new patient administration system to go "
                "live in the autumn.",
                rag="red",
                system="DHW",
            ),
            _update(
                1,
                "in_progress",
                "Shared list agreed in principle by both hospital boards.",
                rag="amber",
                system="S",
            ),
            _update(
                2,
                "in_progress",
                "Patient-initiated follow-up now offered in nine specialties; "
                "new letter wording tested with the patients' panel.",
                by="owner.penhallow",
                rag="green",
                channel="link",
                evidence=["https://saltmere-icb.example/elective/pifu-dashboard-q4-2023"],
            ),
            _update(
                3,
                "in_progress",
                "Named contacts in place for orthopaedics and general "
                "surgery; calls started for people waiting over 40 weeks first.",
                by="owner.quayle",
                rag="amber",
                channel="link",
                evidence=["https://cri.example/board/2024-02/waiting-well.pdf"],
            ),
            _update(
                4,
                "agreed",
                "Agreed by the four trusts' workforce directors; the shared "
                "checks still need legal sign-off.",
                rag="amber",
            ),
            _update(
                5,
                "in_progress",
                "Evening sessions three days a week at the Dunmarrow centre; "
                "weekend sessions under discussion with radiographers.",
                rag="green",
            ),
        ],
        "decisions": [
            (
                "Video visits for insulin-dependent patients",
                "adapt",
                "Keep the video visits, and lend tablets with data to the patients who have none, so "
                "that nobody is left with daily home visits only because of their phone.",
            ),
            (
                "Outreach clinics for people experiencing homelessness",
                "retain",
                "Attendance held up all year and the clinics reach people no other service sees.",
            ),
            (
                "Video speech and language therapy sessions",
                "undecided",
                "Waiting for a second term of attendance figures before deciding.",
            ),
        ],
        "close": True,
    },
    {
        "title": "Second stocktake: two years on",
        "opens": -14,
        "deadline": 28,
        "note": "The second follow-up: what moved since the first stocktake, with evidence.",
        "asked": [SALTMERE_ICB, CRI],  # owners with a contact: sent their links
        "updates": [
            _update(
                1,
                "completed",
                "All planned orthopaedic surgery now booked from one list "
                "across Velbrook and Ostley.",
                rag="green",
                system="VO",
                evidence=[REVIEWS_BOARD + "2025-03/vo-ics-one-list.pdf"],
            ),
            _update(
                1,
                "in_progress",
                "New patient administration system live; the shared list "
                "starts with hips and knees in the spring.",
                rag="amber",
                system="DHW",
            ),
            _update(
                2,
                "completed",
                "Used by 14,000 patients last year; quarterly figures now on "
                "the ICB's website and the new letter in use everywhere.",
                by="owner.penhallow",
                rag="green",
                channel="link",
                evidence=[
                    "https://saltmere-icb.example/elective/pifu-quarterly",
                    "https://saltmere-icb.example/elective/pifu-letter-2025.pdf",
                ],
            ),
            _update(
                3,
                "not_progressed",
                "Calls stopped in the autumn when the waiting-list team "
                "was moved to validation work; we are recruiting two coordinators.",
                by="owner.quayle",
                rag="red",
                channel="link",
            ),
            _update(
                4,
                "in_progress",
                "The regional passport is live for theatre staff at three of the four trusts.",
                rag="amber",
                evidence=[REVIEWS_BOARD + "2025-02/theatre-passport.pdf"],
            ),
            _update(
                5,
                "superseded",
                "Replaced by the national community diagnostic centre "
                "programme, which sets opening hours for every centre.",
                reason="The national programme's standard applies instead.",
            ),
        ],
        "decisions": [
            (
                "Video visits for insulin-dependent patients",
                "retain",
                "With tablets lent, take-up rose to a third of eligible patients and no one "
                "has asked to go back to daily visits.",
            ),
            (
                "Video speech and language therapy sessions",
                "reject",
                "Attendance fell in the second term and therapists could not assess younger "
                "children well by video; sessions return to the centre.",
            ),
            (
                "Interpreters booked for every first visit to families new to the area",
                "retain",
                "Families were seen in their own language at the first visit, and second "
                "visits fell as a result.",
            ),
        ],
        "close": False,
    },
]

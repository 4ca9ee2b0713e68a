"""The Northmere region: review metadata, organisations, participants, personas, recommendations."""

REVIEW = {
    "title": "Northmere winter pressures learning review 2025",
    "slug": "northmere-winter-2025",
    "scope": (
        "What health and care organisations across the four Northmere systems learned from "
        "the sustained pressure of winter 2024/25: what worked, what was hard, and what "
        "should be kept."
    ),
    "opens_on": "2025-03-03",
    "closes_on": "2025-04-25",
}

REGION = {"name": "Northmere Regional Health Partnership", "short_name": "NRHP",
          "type": "regional_body", "aliases": ["Northmere region", "Northmere"]}

# system -> places -> organisations (name, short name, type, aliases)
SYSTEMS = [
    {
        "name": "Velbrook and Ostley Integrated Care System", "short_name": "VOICS",
        "aliases": ["Velbrook & Ostley ICS", "V&O ICS"],
        "places": [
            {"name": "Velbrook", "organisations": [
                ("Velbrook Teaching Hospitals NHS Foundation Trust", "VTH", "acute_trust",
                 ["Velbrook Teaching Hospitals", "Velbrook General"]),
                ("Velbrook Borough Council", "VBC", "local_authority",
                 ["Velbrook Council", "Velbrook Adult Social Care"]),
                ("Larkspur House Hospice", "Larkspur", "hospice", ["Larkspur Hospice"]),
            ]},
            {"name": "Ostley", "organisations": [
                ("Ostley Community Health NHS Trust", "OCH", "community_trust",
                 ["Ostley Community Health"]),
                ("Velbrook and Ostley Integrated Care Board", "VO ICB", "icb", ["VOICB"]),
            ]},
        ],
    },
    {
        "name": "Carrowfold Integrated Care System", "short_name": "CICS",
        "aliases": ["Carrowfold ICS", "Carrowfold system"],
        "places": [
            {"name": "Carrowfold City", "organisations": [
                ("Carrowfold Royal Infirmary NHS Foundation Trust", "CRI", "acute_trust",
                 ["Carrowfold Royal Infirmary", "Carrowfold Royal"]),
                ("Carrowfold City Council", "CCC", "local_authority", ["Carrowfold Council"]),
                ("Carrowfold Together", "CT", "voluntary_sector",
                 ["Carrowfold Together CIC", "Carrowfold VCSE alliance"]),
            ]},
            {"name": "Carrowfold Shires", "organisations": [
                ("Carrowfold Partnership NHS Foundation Trust", "CPFT", "mental_health_trust",
                 ["Carrowfold Partnership"]),
                ("Carrowfold Primary Care Alliance", "CPCA", "gp_federation",
                 ["Carrowfold GP Federation"]),
            ]},
        ],
    },
    {
        "name": "Dunmarrow, Hensby and Wrayford Integrated Care System", "short_name": "DHW",
        "aliases": ["DHW ICS", "Dunmarrow Hensby and Wrayford ICS"],
        "places": [
            {"name": "Dunmarrow", "organisations": [
                ("Dunmarrow and Hensby Hospitals NHS Trust", "DHH", "acute_trust",
                 ["Dunmarrow and Hensby Hospitals", "Dunmarrow Hospitals"]),
                ("Dunmarrow Metropolitan Borough Council", "DMBC", "local_authority",
                 ["Dunmarrow Council"]),
            ]},
            {"name": "Hensby and Wrayford", "organisations": [
                ("Hensby and Wrayford Mental Health NHS Foundation Trust", "HWMH",
                 "mental_health_trust", ["Hensby and Wrayford Mental Health"]),
                ("Wrayford Care Partnership NHS Trust", "WCP", "community_trust",
                 ["Wrayford Care Partnership"]),
            ]},
        ],
    },
    {
        "name": "Saltmere Coast Integrated Care System", "short_name": "SCICS",
        "aliases": ["Saltmere Coast ICS", "Saltmere ICS"],
        "places": [
            {"name": "Saltmere", "organisations": [
                ("Saltmere Coast University Hospitals NHS Foundation Trust", "SCUH", "acute_trust",
                 ["Saltmere Coast University Hospitals", "Saltmere Hospitals"]),
                ("Saltmere County Council", "SCC", "local_authority", ["Saltmere Council"]),
                ("Saltmere Coast Integrated Care Board", "SC ICB", "icb", ["Saltmere ICB"]),
                ("Gullhaven Hospice", "Gullhaven", "hospice", ["Gullhaven Hospice Care"]),
                ("Saltmere Community Action", "SCA", "voluntary_sector",
                 ["Saltmere Community Action Network"]),
            ]},
        ],
    },
]

# Serves the whole region, so it sits directly below it.
REGIONAL_ORGANISATIONS = [
    ("Northmere Ambulance Service NHS Trust", "NAS", "ambulance_trust",
     ["Northmere Ambulance Service", "Northmere Ambulance"]),
]

PARTICIPANTS = [
    ("Velbrook Teaching Hospitals NHS Foundation Trust", "Imogen Latchford", "imogen.latchford@example.org"),
    ("Ostley Community Health NHS Trust", "Tobias Renwick", "tobias.renwick@example.org"),
    ("Velbrook Borough Council", "Priya Halloran", "priya.halloran@example.org"),
    ("Larkspur House Hospice", "Maeve Dunstable", "maeve.dunstable@example.org"),
    ("Carrowfold Royal Infirmary NHS Foundation Trust", "Kwame Ashdown", "kwame.ashdown@example.org"),
    ("Carrowfold Partnership NHS Foundation Trust", "Helena Varga", "helena.varga@example.org"),
    ("Carrowfold City Council", "Owain Pritchley", "owain.pritchley@example.org"),
    ("Carrowfold Primary Care Alliance", "Dr Sunita Mallory", "sunita.mallory@example.org"),
    ("Carrowfold Together", "Bea Fennimore", "bea.fennimore@example.org"),
    ("Dunmarrow and Hensby Hospitals NHS Trust", "Callum Breck", "callum.breck@example.org"),
    ("Dunmarrow Metropolitan Borough Council", "Rosa Quenby", "rosa.quenby@example.org"),
    ("Hensby and Wrayford Mental Health NHS Foundation Trust", "Idris Wolstan", "idris.wolstan@example.org"),
    ("Wrayford Care Partnership NHS Trust", "Nell Carraway", "nell.carraway@example.org"),
    ("Saltmere Coast University Hospitals NHS Foundation Trust", "Farah Lindqvist", "farah.lindqvist@example.org"),
    ("Saltmere County Council", "Declan Morrow", "declan.morrow@example.org"),
    ("Saltmere Coast Integrated Care Board", "Alys Penhallow", "alys.penhallow@example.org"),
    ("Gullhaven Hospice", "Ruth Ingleby", "ruth.ingleby@example.org"),
    ("Saltmere Community Action", "Jonah Treloar", "jonah.treloar@example.org"),
    ("Northmere Ambulance Service NHS Trust", "Marcus Oldroyd", "marcus.oldroyd@example.org"),
]

PERSONAS = [
    {"username": "lead.hartley", "full_name": "Eleanor Hartley", "role": "lead",
     "email": "eleanor.hartley@example.org"},
    {"username": "reviewer.osei", "full_name": "Daniel Osei", "role": "reviewer",
     "email": "daniel.osei@example.org"},
    {"username": "contrib.latchford", "full_name": "Imogen Latchford", "role": "contributor",
     "organisation": "Velbrook Teaching Hospitals NHS Foundation Trust",
     "email": "imogen.latchford@example.org"},
    {"username": "contrib.varga", "full_name": "Helena Varga", "role": "contributor",
     "organisation": "Carrowfold Partnership NHS Foundation Trust",
     "email": "helena.varga@example.org"},
    {"username": "owner.penhallow", "full_name": "Alys Penhallow", "role": "action_owner",
     "organisation": "Saltmere Coast Integrated Care Board", "email": "alys.penhallow@example.org"},
    {"username": "viewer.brandt", "full_name": "Sofia Brandt", "role": "viewer",
     "email": "sofia.brandt@example.org"},
]

# Numbered continuously through the report, in the framework's theme order; the
# last element lists phrases whose findings each recommendation cites as evidence.
RECOMMENDATIONS = [
    (1, "Make the discharge to assess model the default across all four systems, with shared "
        "trusted assessment.", "Full system working", "full-system-working",
     "Saltmere Coast Integrated Care Board", ["discharge to assess"]),
    (2, "Offer every patient a choice of video, telephone or face-to-face follow-up, and "
        "provide loaned devices where people have none.", "Technology", "technology",
     "Carrowfold Royal Infirmary NHS Foundation Trust", ["video consultation", "loaned"]),
    (3, "Fund the staff wellbeing hubs in every acute trust for at least two more winters and "
        "evaluate their use.", "Supporting staff", "staff-wellbeing",
     "Velbrook Teaching Hospitals NHS Foundation Trust", ["wellbeing hub"]),
    (4, "Create a regional redeployment passport so staff can move between organisations "
        "without repeating training and checks.", "A new workforce", "new-workforce",
     "Carrowfold Partnership NHS Foundation Trust", ["passport", "redeployed"]),
    (5, "Commission community champions to lead vaccine outreach in the most deprived "
        "neighbourhoods in each place.", "Inequalities", "inequalities-vulnerable",
     "Dunmarrow Metropolitan Borough Council", ["community champion", "vaccine uptake"]),
    (6, "Agree a single weekly regional data return with systems and retire the duplicate "
        "daily requests that were added during the winter.", "The regional relationship",
     "regional-relationship", "Northmere Regional Health Partnership", ["data request"]),
]

# A submission still being written on the web form: only its own organisation's
# contributors may see it until it is submitted.
DRAFTS = [
    ("Carrowfold Partnership NHS Foundation Trust", [
        ("people", "learning",
         "Draft, not yet agreed by the board: rotating ward staff into the crisis line eased "
         "pressure on both, and we would like to keep a small rotation going."),
        ("inequalities", "challenges",
         "Draft: our interpreter contract did not cover video calls, so some families waited "
         "days for a first assessment in their own language."),
    ]),
]

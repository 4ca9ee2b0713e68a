"""Innovations logged in the Northmere region (invented), for the innovations register.

Ostley Community Health NHS Trust asked every business unit to log its new ways of working
as they happened; its board then named the golden threads running through the log. A few
other organisations logged one or two of their own.

Each innovation: (organisation, business unit, place, title, what changed, since (YYYY-MM),
who leads it, benefits seen, risks seen, support needed).
"""

OSTLEY = "Ostley Community Health NHS Trust"

INNOVATIONS = [
    (OSTLEY, "District nursing", "Ostley north locality",
     "Video visits for insulin-dependent patients",
     "Nurses check blood glucose readings and injection technique on a video call for "
     "patients who are confident with their insulin, instead of a daily home visit.",
     "2024-01", "District nursing team lead",
     "About forty visits a day released for patients who need hands-on care.",
     "Patients without a smartphone or good signal cannot take part.",
     "Tablets and data bundles to lend to patients."),
    (OSTLEY, "Community rehabilitation", "Ostley Memorial Hospital",
     "Home first discharge with therapy on the day",
     "Therapists meet patients at home on the day they leave hospital and assess them "
     "there, rather than on the ward before discharge.",
     "2023-11", "Head of therapies",
     "Average wait for discharge down by a day and a half; fewer readmissions at 30 days.",
     "Therapists travel more; weekend cover is thin.",
     "Pool cars and a weekend rota funded beyond the winter."),
    (OSTLEY, "Community rehabilitation", "Ostley south locality",
     "Home first reablement with the council's carers",
     "Our therapists and the council's reablement carers work as one team from a shared "
     "caseload so people are supported at home from the first day.",
     "2024-02", "Reablement manager",
     "Fewer people placed in a care home straight from hospital.",
     "Two sets of records and two line managers.",
     "A joint record and a shared budget agreed with the council."),
    (OSTLEY, "Children's therapies", "Ostley Child Development Centre",
     "Video speech and language therapy sessions",
     "Children and parents join therapy sessions by video from home, with activity packs "
     "posted beforehand.",
     "2023-10", "Children's therapies lead",
     "Fewer missed appointments; parents see and practise the exercises.",
     "Harder to assess very young children on screen.",
     "Licences for a secure video platform."),
    (OSTLEY, "Podiatry", "Ostley clinics",
     "Self-management plans for diabetic foot care",
     "People at low risk receive a written foot-care plan and a photo check-in by text, "
     "and book a clinic appointment themselves when something changes.",
     "2024-03", "Podiatry service manager",
     "Clinic slots freed for high-risk patients; people feel more in control.",
     "A missed ulcer if a photo is unclear.",
     "Training for staff on reviewing photos safely."),
    (OSTLEY, "Respiratory", "Ostley north locality",
     "Self-management plans for COPD with rescue packs",
     "People with COPD agree a written self-management plan and keep a rescue pack at "
     "home, with a named nurse to call when they start it.",
     "2023-12", "Respiratory nurse consultant",
     "Fewer emergency admissions for flare-ups over the winter.",
     "Antibiotics started without review.",
     "Pharmacist time to review rescue pack use."),
    (OSTLEY, "Sexual health", "Ostley town centre",
     "Outreach clinics for people experiencing homelessness",
     "A nurse and a support worker hold a weekly drop-in clinic at the day centre for people "
     "experiencing homelessness, with no appointment or address needed.",
     "2024-04", "Inclusion health nurse",
     "People seen who had not used the service for years.",
     "Lone working in an unfamiliar setting.",
     "Funding for the support worker beyond March."),
    (OSTLEY, "Health visiting", "Ostley south locality",
     "Interpreters booked for every first visit to families new to the area",
     "Health visitors book an interpreter for the first visit to any family whose first "
     "language is not English, rather than relying on relatives.",
     "2024-01", "Health visiting lead",
     "Safeguarding concerns raised earlier; families understand the advice given.",
     "Interpreter availability for less common languages.",
     "A contract that covers short-notice telephone interpreting."),
    (OSTLEY, "Estates", "Ostley Memorial Hospital",
     "Electric pool cars for community staff",
     "Community staff book electric pool cars for visits instead of using their own cars.",
     "2024-05", "Head of estates",
     "Lower mileage claims and emissions; staff without cars can take community posts.",
     "Charging points are few outside the hospital.",
     "Charging points at the two locality bases."),
    ("Velbrook Teaching Hospitals NHS Foundation Trust", "Outpatients", "Velbrook General",
     "Video consultations for routine outpatient follow-ups",
     "Routine follow-ups in five specialties are offered by video, with a telephone "
     "fallback for anyone who prefers it.",
     "2023-09", "Outpatient transformation lead",
     "Shorter waits for first appointments; less travel for patients.",
     "Some conditions need an examination that cannot be done on screen.",
     "Clinic rooms set up for video with good cameras."),
    ("Carrowfold Partnership NHS Foundation Trust", "Adult community mental health",
     "Carrowfold",
     "Crisis café open in the evenings",
     "A café run with a local charity offers a calm place and a mental health worker to talk "
     "to in the evenings, as an alternative to the emergency department.",
     "2024-02", "Crisis services manager",
     "Fewer mental health attendances at the emergency department after 6pm.",
     "Volunteers need supervision and support after difficult evenings.",
     "Recurrent funding shared with the charity."),
]

# The golden threads Ostley's board named: (register, name, description, titles in it).
GOLDEN_THREADS = [
    (OSTLEY, "Digital", "Care by video and photo, where it suits the person, freeing visits "
     "for those who need them.",
     ["Video visits for insulin-dependent patients",
      "Video speech and language therapy sessions"]),
    (OSTLEY, "Home first", "People supported at home from the day they leave hospital.",
     ["Home first discharge with therapy on the day",
      "Home first reablement with the council's carers"]),
    (OSTLEY, "Self-management", "People given the plans and the means to manage their own "
     "condition, with a named person to call.",
     ["Self-management plans for diabetic foot care",
      "Self-management plans for COPD with rescue packs"]),
    (OSTLEY, "Inclusion", "Services that reach people who used to go without.",
     ["Outreach clinics for people experiencing homelessness",
      "Interpreters booked for every first visit to families new to the area"]),
]

# One innovation evaluated from three angles, decided on and spread (invented figures):
# the days from "medically fit" to discharge, month by month, fell and stayed down after
# home-first discharge began in November 2023 (a shift the run-chart rules find).
EVALUATION = {
    "innovation": "Home first discharge with therapy on the day",
    "measures": [
        {"name": "Days from medically fit to discharge", "kind": "performance",
         "unit": "days", "baseline": 4.1, "target": 2.5, "higher_is_better": False,
         "baseline_points": 8,
         "values": [("2023-03-01", 4.3), ("2023-04-01", 3.9), ("2023-05-01", 4.2),
                    ("2023-06-01", 4.0), ("2023-07-01", 4.4), ("2023-08-01", 3.8),
                    ("2023-09-01", 4.1), ("2023-10-01", 4.2), ("2023-11-01", 3.4),
                    ("2023-12-01", 3.0), ("2024-01-01", 2.9), ("2024-02-01", 2.7),
                    ("2024-03-01", 2.8), ("2024-04-01", 2.6), ("2024-05-01", 2.7),
                    ("2024-06-01", 2.5)]},
        {"name": "Readmissions within 30 days", "kind": "quality", "unit": "% of discharges",
         "target": 8.0, "higher_is_better": False,
         "values": [("2023-09-01", 10.5), ("2023-10-01", 11.2), ("2023-11-01", 9.8),
                    ("2023-12-01", 9.1), ("2024-01-01", 8.7), ("2024-02-01", 8.9),
                    ("2024-03-01", 8.2), ("2024-04-01", 8.4)]},
    ],
    "staff": [
        "Assessing people in their own kitchen tells us far more than a ward assessment ever did.",
        "The travel is hard on a wet Friday, and weekends rely on goodwill.",
        "Fewer people bounce back to us within the month; that is the part I am proudest of.",
    ],
    "service_users": [
        "I was home by lunchtime and the therapist showed me how to use my own stairs.",
        "Nobody told my daughter I was coming home that day, so the house was cold.",
        "Much better than waiting on the ward for a week for a frame.",
    ],
    "decision": {
        "outcome": "adapt",
        "rationale": "Keep home-first discharge across the trust, and fund weekend therapy cover "
                     "and a call to the family before discharge, which the feedback asked for.",
        "scores": {"benefit": (5, "Days to discharge fell and stayed down (a shift)."),
                   "risks": (4, "Weekend cover is the main risk."),
                   "cost": (3, "Pool cars and a weekend rota: about two posts."),
                   "experience": (4, "Patients positive; families need telling earlier.")},
    },
    "adoptions": [("Carrowfold Partnership NHS Foundation Trust", "adapted",
                   "Started in its two community hospitals in spring 2024."),
                  ("Velbrook Teaching Hospitals NHS Foundation Trust", "considering", "")],
}

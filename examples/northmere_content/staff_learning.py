"""Staff learning in the Northmere review (invented): the individual online questionnaire,
a few staff's anonymous answers, and one team conversation's notes.

Answers and notes are keyed by (domain key, section kind): the questionnaire asks the
framework's prompts for each domain (what went well, what was hard, what was learned), and
the notes template has a box for each prompt of each domain.
"""

QUESTIONNAIRE = {
    "title": "Northmere winter 2024/25: what did you learn?",
    "identity": "anonymous",
}

RESPONSES = [
    ("Ostley Community Health NHS Trust", [
        ("people", "achievements",
         "Our locality huddle at 8.30 every morning meant nobody started a shift not knowing "
         "where the pressure was."),
        ("people", "challenges",
         "Bank staff were moved between teams at short notice and never got an induction to "
         "the new patch."),
        ("clinical-quality", "learning",
         "Seeing patients at home on the day they left hospital showed us needs the ward "
         "assessment never picked up."),
    ]),
    ("Ostley Community Health NHS Trust", [
        ("support-processes", "challenges",
         "Laptops took three weeks to arrive for redeployed staff, so notes were written up "
         "at the end of the day from memory."),
        ("leadership-culture", "achievements",
         "Managers said yes to trying things and told us what they had decided the same day."),
    ]),
    ("Velbrook Teaching Hospitals NHS Foundation Trust", [
        ("clinical-quality", "challenges",
         "Corridor care became normal in the emergency department by January and we stopped "
         "noticing how unsafe it felt."),
        ("inequalities", "learning",
         "Interpreters booked by video were there within minutes; phone interpreting had "
         "often taken an hour."),
    ]),
    ("Larkspur House Hospice", [
        ("governance", "learning",
         "Being invited to the system's daily call for the first time meant hospice beds were "
         "counted in discharge planning."),
    ]),
]

TEAM_NOTES = [
    ("Ostley Community Health NHS Trust", "District nursing, Ostley north", [
        ("people", "achievements", "The team covered every visit over Christmas by swapping "
                                   "shifts among themselves, without agency staff."),
        ("people", "challenges", "Three long-term sickness absences in January were never "
                                 "backfilled; the rest of the team carried the caseload."),
        ("clinical-quality", "examples", "Video insulin checks: confident patients checked "
                                         "on a call instead of a daily visit, releasing about "
                                         "forty visits a day."),
        ("support-processes", "challenges", "Mobile signal in the north of the patch is poor, "
                                            "so video visits dropped out for some patients."),
        ("leadership-culture", "keep", "Keep the weekly team debrief: it is where the video "
                                       "visits idea came from."),
    ]),
]

"""Reflection sessions of the Northmere review (docs/user/13-reflection-sessions.md): one
held, its notes made into findings and summarised; one coming up. A session starts at
``starts`` ("2025-05-14 10:00") or ``starts_in_days`` from the day the demo is loaded, so
the upcoming one stays upcoming."""

SESSIONS = [
    {
        "title": "Reflection session with Velbrook and Ostley",
        "with": ["Velbrook and Ostley Integrated Care System"],
        "starts": "2025-05-14 10:00",
        "place": "Velbrook Teaching Hospitals, board room",
        "attendees": [
            {
                "name": "Imogen Latchford",
                "role": "Contact, Velbrook Teaching Hospitals",
                "email": "imogen.latchford@example.org",
            },
            {
                "name": "Tobias Renwick",
                "role": "Contact, Ostley Community Health",
                "email": "tobias.renwick@example.org",
            },
        ],
        "open_questions": (
            "What would you keep from the virtual wards if funding stopped?\n"
            "How did the council and the trust agree discharge decisions so quickly?\n"
        ),
        "notes": (
            "Introductions; the system's leaders joined in person.\n"
            "- Leaders said the shared discharge hub only worked because social workers sat in "
            "the same room as ward staff.\n"
            "- The virtual ward team want to keep remote monitoring for frail patients but have "
            "no recurrent funding for it.\n"
            "- Several people felt the regional sitrep calls took senior time away from the "
            "front line.\n"
        ),
        "findings": [
            {"line": 2, "organisation": "Velbrook Borough Council"},
            {"line": 3, "organisation": "Velbrook Teaching Hospitals NHS Foundation Trust"},
        ],
        "held": True,
        "summary": (
            "The system's leaders see **co-located discharge** as their most important learning, "
            "and want recurrent funding for remote monitoring on the virtual wards.\n"
        ),
    },
    {
        "title": "Reflection session with Carrowfold",
        "with": ["Carrowfold Integrated Care System"],
        "starts_in_days": 21,
        "video_link": "https://meet.example.org/carrowfold-reflection",
        "open_questions": "Which of the crisis-line changes would you keep?\n",
    },
]

"""Dunmarrow, Hensby and Wrayford system: acute trust (Word), mental health trust (PDF export),
community trust (review session notes in Markdown)."""

DHH = {
    "governance": {
        "achievements": [
            "An emergency planning lead was embedded in the system control centre, linking the hospital's business continuity plans to the council's.",
            "Risk registers for both hospital sites were merged so the board saw one picture of the risks across Dunmarrow and Hensby.",
        ],
        "challenges": [
            "Duplicate data requests from the region and the ICB absorbed our information team for hours every day.",
            "Board papers became too long to read during the peak, and some decisions were taken outside the formal cycle without being recorded.",
        ],
    },
    "clinical-quality": {
        "achievements": [
            "A frailty assessment unit at the front door sent half of older patients home the same day with community follow-up.",
            "Discharge to assess beds commissioned with Dunmarrow council freed around sixty acute beds a day.",
            "Remote monitoring of patients with heart failure reduced readmissions over the winter.",
        ],
        "challenges": [
            "Ambulance handover delays exceeded four hours on several days, with patients cared for in ambulances outside the emergency department.",
            "Patients waiting for care home placements stayed in hospital far longer than they needed to.",
        ],
        "learning": [
            "Frailty expertise at the front door prevents admissions that are very hard to reverse once they happen.",
        ],
    },
    "support-processes": {
        "achievements": [
            "Our laboratory expanded rapid testing so that results for respiratory viruses were back within two hours.",
        ],
        "challenges": [
            "The two hospital sites run different patient administration systems, so patients moved between sites appeared as new admissions.",
        ],
    },
    "people": {
        "achievements": [
            "A wellbeing hub on each site offered rest spaces, free meals and access to counselling.",
            "Retired consultants returned to help with clinics and teaching, easing pressure on junior doctors.",
        ],
        "challenges": [
            "International nurses recruited in the autumn arrived during the peak and needed more induction support than we could give.",
        ],
    },
    "inequalities": {
        "achievements": [
            "Pharmacists vaccinated worshippers after Friday prayers at three mosques in central Dunmarrow, with imams explaining the benefits.",
        ],
        "challenges": [
            "Vaccine uptake in the most deprived fifth of Dunmarrow neighbourhoods stayed well below the rest of the borough.",
            "Patients with learning disabilities were not always flagged on admission, so reasonable adjustments were missed.",
        ],
    },
    "leadership-culture": {
        "achievements": [
            "Leaders from both sites began working as one team, ending a long history of rivalry between Dunmarrow and Hensby.",
        ],
        "challenges": [
            "Middle managers felt squeezed between rapid decisions at the top and exhausted teams below them.",
        ],
        "learning": [
            "Shared purpose in a crisis can dissolve old organisational boundaries, but it needs deliberate effort to last.",
        ],
    },
}

# A table in the Dunmarrow submission summarising partnership work (Partner | Key achievements | Challenges).
DHH_TABLE = [
    ("Dunmarrow Metropolitan Borough Council",
     ["Social workers based on every ward for discharge planning", "Rapid brokerage of home care packages within 48 hours"],
     ["Home care workforce shortages in the north of the borough", "Care home fees disputes delayed some placements"]),
    ("Wrayford Care Partnership NHS Trust",
     ["Urgent community response team took referrals direct from the emergency department", "Community beds opened at short notice in Wrayford"],
     ["Rural travel times limited the number of home visits per day"]),
]

# Hensby and Wrayford Mental Health: numbered sections, sub-sections per domain.
HWMH = {
    "governance": {
        "achievements": [
            "Our incident management team met daily and published a short decision log on the intranet so staff could see what had been decided and why.",
            "The trust agreed mutual aid with Carrowfold Partnership to share psychiatric intensive care beds across system boundaries.",
        ],
        "challenges": [
            "Reporting to the region and to two ICBs meant answering the same questions three times a week.",
        ],
    },
    "clinical-quality": {
        "achievements": [
            "Mental health liaison teams in both emergency departments were extended to 24 hours a day, seven days a week.",
            "A street triage car staffed with the police and the ambulance service diverted people in crisis away from police custody.",
        ],
        "challenges": [
            "Waiting times for children and young people's mental health services grew to over a year for some routine referrals.",
            "Delayed discharges from our wards increased because supported housing places were not available.",
        ],
        "learning": [
            "Joint response with the police and ambulance service needs shared records, not just shared vehicles.",
        ],
    },
    "support-processes": {
        "achievements": [
            "Our IT team moved community mental health teams to a single video platform integrated with the patient record.",
        ],
        "challenges": [
            "Old buildings with poor ventilation made infection control difficult on our inpatient wards.",
        ],
    },
    "people": {
        "achievements": [
            "Peer support workers with lived experience were recruited to every community team.",
            "Our staff wellbeing service ran trauma-informed support sessions for teams after serious incidents.",
        ],
        "challenges": [
            "Vacancies in consultant psychiatry meant heavy reliance on locums.",
            "Staff who were shielding felt disconnected from their teams and found returning to work difficult.",
        ],
    },
    "inequalities": {
        "achievements": [
            "We worked with faith leaders and community groups to promote mental health support among South Asian communities in Hensby.",
        ],
        "challenges": [
            "Black men remained over-represented among people detained under the Mental Health Act.",
            "People who were homeless struggled to keep appointments and were discharged for non-attendance.",
        ],
    },
    "leadership-culture": {
        "achievements": [
            "Leaders held open 'ask me anything' sessions every fortnight, which staff valued highly.",
        ],
        "challenges": [
            "Morale dipped when promised wellbeing funding for the community teams was delayed.",
        ],
        "learning": [
            "Telling staff honestly what we could not do built more trust than optimistic messages.",
        ],
    },
}

# Wrayford Care Partnership: notes typed during the system reflection session.
WCP_NOTES = {
    "Governance": [
        "The community trust joined the system control centre but often only heard about decisions afterwards.",
        "Leaders agreed that the regional reporting burden should be raised directly with the regional team.",
    ],
    "Clinical and Quality Processes": [
        "The virtual ward for frail older people kept 300 people at home who would otherwise have been admitted.",
        "Discharge to assess worked well for most patients but broke down when home care was unavailable.",
    ],
    "People": [
        "Volunteers from local churches delivered medicines and food to people who were isolating.",
        "Redeployed district nurses found community hospital wards very different and asked for better induction.",
        "A wellbeing hub for community staff opened in a converted library in Wrayford.",
    ],
    "Inequalities": [
        "Rural isolation and poor broadband meant some older residents could not use digital services at all.",
    ],
    "Leadership and Culture": [
        "Participants agreed that trust between partners is the main thing to protect from the winter.",
    ],
}

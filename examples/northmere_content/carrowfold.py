"""Carrowfold system: the acute trust (Word, written in paragraphs) and the mental health trust (CSV)."""

# Carrowfold Royal Infirmary wrote long paragraphs under each sub-heading.
CRI = {
    "governance": {
        "achievements": [
            "We stood up a system coordination centre with the city council and the mental health trust in the first week of December. "
            "Bed capacity, ambulance handovers and care home vacancies were visible on one screen for all partners. "
            "Mutual aid requests between the three organisations were agreed on the same call rather than by letter. "
            "This made escalation feel like a shared problem instead of a hospital problem.",
            "The board delegated decisions on temporary ward changes to the executive team for twelve weeks.",
        ],
        "challenges": [
            "Regional sitrep returns changed format four times over the winter. "
            "Each change meant rewriting our reporting scripts at the busiest point of the year. "
            "Several requests asked for information that systems had already shared through the shared dashboard. "
            "We estimate that reporting took the equivalent of three full-time posts.",
        ],
        "learning": [
            "Joint command arrangements only work when every partner has equal access to the same data and an equal voice in decisions.",
        ],
    },
    "clinical-quality": {
        "achievements": [
            "Our same day emergency care unit extended its hours to midnight and saw an extra forty patients a day. "
            "Consultant triage at the front door redirected many patients to primary care or the urgent community response team. "
            "Average handover times for ambulances fell to under thirty minutes in February despite record attendances.",
            "Video outpatient appointments were adopted across all specialties, with a booking system that lets patients choose video or telephone.",
            "A discharge lounge run with social workers and the Carrowfold Together volunteers moved patients home earlier in the day.",
        ],
        "challenges": [
            "Infection prevention rules forced us to close bays repeatedly, which cut available beds by up to a tenth. "
            "Norovirus and influenza outbreaks overlapped in January. "
            "Our side room capacity was too small for the number of patients needing isolation.",
            "Cancer referrals dropped by a third in December and we are still working through the backlog.",
        ],
        "learning": [
            "When discharge planning starts on the day of admission, with the council's social workers in the room, patients go home days sooner.",
        ],
        "examples": [
            "Midnight SDEC: extending same day emergency care into the evening with consultant triage so that fewer patients wait overnight in the emergency department.",
        ],
    },
    "support-processes": {
        "achievements": [
            "Our pharmacy team ran a regional mutual aid hub for antivirals and redistributed stock to four other trusts.",
            "The estates team converted a day surgery unit into a twenty-bed ward in nine days.",
        ],
        "challenges": [
            "PPE supply was unpredictable in the first weeks, with some gown sizes unavailable and frequent changes to national guidance on masks. "
            "Fit testing for new respirator models had to be repeated for thousands of staff. "
            "Staff confidence in supplies was shaken and took weeks to rebuild.",
        ],
    },
    "people": {
        "achievements": [
            "A staff wellbeing hub opened in the old chapel, offering rest, food, peer support and a quiet room for reflection.",
            "Redeployment was organised through a central skills register that matched staff to wards by competence rather than grade.",
        ],
        "challenges": [
            "Many staff took on extra shifts for weeks and are now exhausted. "
            "Occupational health waiting times stretched to six weeks at the peak. "
            "We have lost experienced nurses to early retirement since the spring.",
        ],
        "learning": [
            "Our staff told us that being asked, not told, about redeployment made the difference between feeling used and feeling valued.",
        ],
    },
    "inequalities": {
        "achievements": [
            "We worked with Carrowfold Together to run pop-up vaccine clinics in community centres in the most deprived neighbourhoods.",
            "Discharge letters are now available in the eight most common community languages.",
        ],
        "challenges": [
            "Uptake of flu and booster vaccinations in the east of the city remained twenty points below the city average, despite outreach.",
        ],
    },
    "leadership-culture": {
        "achievements": [
            "Senior leaders held daily ten-minute stand-ups on every site, and junior staff said they finally felt heard. "
            "Ideas raised at the stand-ups were tested within days. "
            "The medical director personally thanked every team that took on redeployed staff.",
        ],
        "challenges": [
            "Decision making slowed again once the peak passed, and staff noticed the return of lengthy approval processes.",
        ],
        "learning": [
            "Keeping permission to act quickly, with light-touch governance, is the hardest part of the learning to hold on to.",
        ],
    },
}

# Carrowfold Partnership (mental health) sent a CSV export of their form: Domain, Type, Finding.
CPFT_ROWS = [
    ("Governance", "Achievement", "Our mental health crisis line joined the system coordination centre, so bed pressures in psychiatric wards were seen alongside acute pressures."),
    ("Governance", "Challenge", "National and regional data requests for mental health beds were inconsistent and arrived at short notice."),
    ("Governance", "Learning", "Mental health needs to be a standing item in system command, not something added when there is a crisis."),
    ("Clinical and Quality Processes", "Achievement", "A 24-hour open-access crisis line took over 9,000 calls and reduced mental health attendances at the emergency department."),
    ("Clinical and Quality Processes", "Achievement", "Video therapy sessions let our talking therapies service keep waiting times under six weeks."),
    ("Clinical and Quality Processes", "Challenge", "Out-of-area placements rose when local acute psychiatric beds were full."),
    ("Clinical and Quality Processes", "Challenge", "Some people with psychosis found video consultations distressing and disengaged from care."),
    ("Clinical and Quality Processes", "Example", "Crisis café: an evening drop-in run with Carrowfold Together where people in distress can talk to peer workers instead of going to the emergency department."),
    ("Clinical & Quality", "Keep", "A choice of video, telephone or face-to-face therapy sessions."),
    ("Support Processes", "Achievement", "Laptops were loaned to inpatients so they could keep in touch with family during visiting restrictions."),
    ("Support Processes", "Challenge", "Our inpatient wards needed different PPE advice from acute wards, and national guidance did not reflect mental health settings."),
    ("People", "Achievement", "Our staff psychology service offered confidential support to colleagues in the acute trust and the council as well as our own staff."),
    ("People", "Achievement", "A redeployment passport allowed our nurses to work in the acute trust's discharge team without repeating induction."),
    ("People", "Challenge", "Staff sickness on inpatient wards reached 12 per cent, and agency staff unfamiliar with our patients increased incidents."),
    ("People", "Challenge", "Staff from ethnic minority backgrounds reported feeling less safe at work and less able to raise concerns."),
    ("People", "Learning", "Wellbeing conversations need to be part of supervision, not an optional extra when time allows."),
    ("Inequalities", "Achievement", "Community connectors from Carrowfold Together contacted people on the shielding list who also had severe mental illness."),
    ("Inequalities", "Challenge", "People with severe mental illness had lower vaccine uptake than the general population in every neighbourhood."),
    ("Inequalities", "Challenge", "Digital exclusion meant some service users had no way to join video appointments or online groups."),
    ("Inequalities", "Example", "Vaccination with a friendly face: clinics in our community mental health hubs where people were vaccinated by staff they already knew."),
    ("Leadership and Culture", "Achievement", "Our executive team held weekly listening events for staff networks and acted on what they heard."),
    ("Leadership and Culture", "Challenge", "Staff reported message fatigue from the volume of briefings and changing guidance."),
    ("Leadership and Culture", "Learning", "Psychological safety grew when leaders admitted what they did not know."),
    ("Leadership & Culture", "Keep", "The weekly listening events with staff networks."),
    ("Estates", "Challenge", "Two older ward buildings could not be adapted for isolation and had to close temporarily."),
]

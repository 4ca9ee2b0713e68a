"""Saltmere Coast system: the ICB's system submission (Word) with a partner table."""

# System-level narrative written by the ICB on behalf of partners.
SCICB = {
    "governance": {
        "achievements": [
            "A single system winter plan, signed by every partner, replaced five separate organisational plans.",
            "The system control centre ran seven days a week with representation from the hospital, council, hospice and voluntary sector.",
        ],
        "challenges": [
            "The regional team requested daily returns that duplicated our own system dashboard, and the requests rarely explained how the data would be used.",
        ],
        "learning": [
            "A small coastal system can move quickly when partners know each other well, and that familiarity is an asset to protect.",
        ],
    },
    "clinical-quality": {
        "achievements": [
            "Discharge to assess became the default pathway, with trusted assessors accepted by every care home in the county.",
            "Seasonal visitors were directed to a minor injuries service on the seafront, easing pressure on the emergency department.",
        ],
        "challenges": [
            "The coastal population swells in holiday periods and our acute capacity is planned for residents only.",
        ],
    },
    "support-processes": {
        "achievements": [
            "A shared PPE store for all care homes and home care providers was run by the county council from a single warehouse.",
        ],
        "challenges": [
            "Poor mobile coverage along the coast made remote monitoring unreliable for some patients.",
        ],
    },
    "people": {
        "achievements": [
            "A system staff bank let nurses and care workers pick up shifts in any partner organisation.",
        ],
        "challenges": [
            "Recruitment to coastal care homes is hard because of high housing costs and seasonal competition for workers.",
        ],
    },
    "inequalities": {
        "achievements": [
            "Mobile vaccination buses visited caravan parks, fishing harbours and seasonal worker accommodation.",
        ],
        "challenges": [
            "Coastal towns have some of the highest deprivation in the region, and life expectancy differs by nine years between neighbourhoods.",
        ],
    },
    "leadership-culture": {
        "achievements": [
            "Chief executives of all partners met weekly as one leadership group and agreed to share risks as well as resources.",
        ],
        "learning": [
            "Leaders learned that sharing bad news early with partners got help faster than trying to cope alone.",
        ],
    },
}

# Partner table: Organisation | Key achievements | Challenges (each cell a list).
SC_PARTNERS = [
    ("Saltmere Coast University Hospitals NHS Foundation Trust",
     ["Video consultations for outpatient follow-up across all specialties",
      "Same day emergency care open seven days a week",
      "Wellbeing hub with free meals and counselling for staff"],
     ["Bed occupancy above 98 per cent for most of January",
      "Long waits for patients needing care home placements",
      "Staff fatigue after months of extra shifts"]),
    ("Saltmere County Council",
     ["Discharge to assess beds purchased in local care homes",
      "Community hubs delivered food parcels to shielding residents",
      "Social workers joined the hospital discharge team seven days a week"],
     ["Home care market fragile, with providers handing back contracts",
      "Care home staff vaccination uptake lower than in the NHS"]),
    ("Gullhaven Hospice",
     ["Hospice at home service doubled its capacity to support people to die at home",
      "Video calls arranged between patients and families who could not visit"],
     ["Fundraising income fell sharply when charity shops closed",
      "Specialist palliative care nurses stretched across a large rural area"]),
    ("Saltmere Community Action",
     ["Over 1,200 volunteers recruited and trained in a month",
      "Befriending calls to isolated older people",
      "Transport to vaccination centres for people without cars"],
     ["Volunteer fatigue as the winter went on",
      "Short-term grant funding made it hard to plan beyond March"]),
]

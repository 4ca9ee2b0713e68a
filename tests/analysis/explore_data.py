"""Constructed findings for the emergent-themes, consensus and similar-practice tests."""

from __future__ import annotations

VIRTUAL_WARDS = [
    "Patients on the virtual ward were monitored at home with pulse oximeters and daily calls.",
    "The virtual ward let people with covid go home early while nurses watched oxygen levels.",
    "We set up a virtual ward so community nurses could check oxygen saturation at home.",
    "Remote monitoring on the virtual ward cut admissions; patients sent oximeter readings daily.",
    "A virtual ward for respiratory patients used pulse oximeters and a nurse phone call each day.",
    "Virtual ward nurses escalated falling oxygen readings to the acute team within the hour.",
    "Care home residents joined the virtual ward and staff recorded oxygen saturation twice a day.",
    "The virtual ward model is being kept for heart failure patients monitored at home.",
]
FOOD_BANKS = [
    "Food banks run by volunteers fed families who lost income during lockdown.",
    "The council and local charities organised food bank deliveries for households shielding.",
    "Demand at food banks doubled, and volunteers delivered food parcels to families in need.",
    "We referred families to the food bank and helped them claim emergency grants for food.",
    "Community food banks worked with schools so children on free school meals still ate.",
    "Faith groups opened a new food bank in the town centre when the supermarket shelves emptied.",
    "Food bank volunteers noticed older people going hungry and alerted social prescribers.",
    "The food bank network shared one list of families so parcels were not duplicated.",
]
ESTATES = [
    "The estates team converted the car park into a drive-through testing site within a week.",
    "Estates colleagues rebuilt ward ventilation and installed screens between beds.",
    "Our estates and facilities team repurposed the outpatient building as extra ward space.",
    "The estates department fitted new oxygen pipework and ventilation to expand critical care.",
    "Estates staff turned the staff car park and a gym into temporary clinical space.",
    "Estates and facilities managers moved walls overnight to create separate covid entrances.",
    "The estates team re-zoned the emergency department into hot and cold areas with new doors.",
    "Facilities and estates colleagues kept the boilers and lifts running through every surge.",
]
GROUPS = {"virtual-wards": VIRTUAL_WARDS, "food-banks": FOOD_BANKS, "estates": ESTATES}
SYSTEMS = ["Northmere", "Saltmere", "Velbrook", "Dunmarrow", "Carrowfold"]


def constructed_findings() -> list[dict]:
    """24 findings: virtual wards in every system, food banks in all but one,
    estates only in Saltmere and Velbrook; two or three organisations per system."""
    rows = []
    for group, texts in GROUPS.items():
        for i, text in enumerate(texts):
            if group == "estates":
                system = ["Saltmere", "Velbrook"][i % 2]
            elif group == "food-banks":
                system = SYSTEMS[i % 4]
            else:
                system = SYSTEMS[i % 5]
            org = f"{system} {['Trust', 'Council', 'Hospice'][i % 3]}"
            rows.append({"id": f"{group}-{i + 1}", "text": text, "organisation": org,
                         "system": system, "group": group})
    order = [(i * 7) % len(rows) for i in range(len(rows))]  # a fixed shuffle
    return [rows[i] for i in order]

"""Velbrook and Ostley system: the acute trust (Word) and the community trust (text)."""

VTH = {
    "governance": {
        "achievements": [
            "A single incident control room for the trust and the borough council met twice daily and cut the time to agree escalation actions from days to hours.",
            "The board moved to a streamlined monthly assurance meeting with a two-page risk summary, which non-executives said gave them a clearer view of pressure points.",
            "Gold, silver and bronze command roles were published on one page so every ward knew who could make which decision.",
        ],
        "challenges": [
            "Daily data requests from the regional team often duplicated figures we had already submitted through the national sitrep, taking two analysts away from local work.",
            "Decision logs were kept in three different formats, which made it hard to reconstruct why some choices were made when we reviewed them in spring.",
        ],
        "learning": [
            "Clear, time-limited delegated authority let us act quickly without losing accountability, and we want to write this into our standing financial instructions.",
        ],
        "examples": [
            "Escalation on a page: a one-page OPEL action card for each ward that links local triggers to system-wide actions.",
        ],
        "keep": [
            "The twice-daily joint huddle with adult social care and the community trust.",
        ],
    },
    "clinical-quality": {
        "achievements": [
            "Video consultations replaced two thirds of outpatient follow-ups within three weeks, and patient feedback on convenience was strongly positive.",
            "The discharge to assess model, run jointly with the borough council, reduced the number of patients with no reason to reside from 140 to 85.",
            "A virtual ward using home pulse oximetry supported more than 600 patients with respiratory illness who would otherwise have been admitted.",
            "Harm reviews of long waiters were completed for every patient waiting over 52 weeks, with clinical prioritisation agreed across specialties.",
        ],
        "challenges": [
            "Elective waiting lists grew sharply when theatres were repurposed, and recovery has been slowest in orthopaedics and ophthalmology.",
            "Corridor care in the emergency department on the worst days created risks to dignity and infection prevention that staff found deeply distressing.",
            "Video clinics did not suit everyone, and some older patients missed appointments because they could not join the call.",
        ],
        "learning": [
            "Clinical leadership of pathway changes, with operational teams alongside, produced faster and safer redesign than top-down instruction.",
        ],
        "examples": [
            "Respiratory virtual ward: home oxygen saturation monitoring with a daily call from a nurse and a clear escalation route to the acute medical team.",
        ],
        "keep": [
            "Video and telephone follow-up as a standard choice offered to every outpatient.",
        ],
    },
    "support-processes": {
        "achievements": [
            "Procurement and estates teams built a shared stock dashboard for PPE that showed every ward's days of supply in real time.",
            "Mutual aid between Velbrook and Ostley pharmacies kept critical medicines available when a national supplier failed.",
            "Laptops and headsets were issued to 900 staff within a month so that administrative teams could work from home.",
        ],
        "challenges": [
            "Early PPE supply was unreliable, with fit-test failures on new mask types and deliveries arriving without notice.",
            "Our ageing Wi-Fi could not cope with the number of video calls on some wards, which delayed the roll-out of virtual visiting.",
        ],
        "learning": [
            "Logistics expertise from outside healthcare, including a retired supply chain manager who volunteered, transformed how we tracked stock.",
        ],
    },
    "people": {
        "achievements": [
            "A staff wellbeing hub with rest areas, free hot food and drop-in psychological support was used by over 3,000 staff.",
            "More than 400 staff were redeployed to critical care and respiratory wards after short, focused training.",
            "Final-year nursing students joined the workforce on paid placements and many have since taken permanent posts.",
        ],
        "challenges": [
            "Sickness absence peaked at 9 per cent in January, and bank and agency fill rates could not keep pace.",
            "Some redeployed staff felt they were sent to unfamiliar areas without enough support or a clear end date.",
            "Burnout among critical care nurses remains high, and we are seeing more resignations than before the winter.",
        ],
        "learning": [
            "Staff told us that small things mattered most: a manager asking how they were, a proper break, and being thanked by name.",
        ],
        "keep": [
            "The wellbeing hub and the team of psychologists who support it.",
        ],
    },
    "inequalities": {
        "achievements": [
            "Vaccine uptake among staff from ethnic minority backgrounds rose after sessions led by respected clinicians from the same communities.",
            "Interpreters were made available by video on every ward, cutting the wait for an interpreter from hours to minutes.",
        ],
        "challenges": [
            "Patients in the most deprived wards of Velbrook were more likely to miss video appointments because of poor connectivity or shared devices.",
            "We lacked reliable ethnicity data in about a fifth of patient records, which limited our ability to see who was missing out.",
        ],
        "learning": [
            "Looking at waiting lists by deprivation and ethnicity changed the way we prioritise, and it should be routine.",
        ],
    },
    "leadership-culture": {
        "achievements": [
            "Executives were visible on the wards every day, and staff surveys showed more confidence that leaders understood the pressure.",
            "Permission to try things without lengthy business cases released a wave of local ideas from junior staff.",
        ],
        "challenges": [
            "Communication overload meant important messages were lost among dozens of daily emails and bulletins.",
        ],
        "learning": [
            "Compassionate leadership is not a soft option; it kept people at work when they were exhausted.",
        ],
        "examples": [
            "Ask the exec: a weekly open online session where any member of staff could question the chief executive.",
        ],
    },
}

# Ostley Community Health: the submission arrived as a plain text e-mail attachment.
OCH = {
    "governance": {
        "achievements": [
            "We joined the acute trust's incident control room, which meant community capacity was considered alongside hospital beds for the first time.",
            "Our board agreed a short list of decisions that could be taken by the on-call director without waiting for a committee.",
        ],
        "challenges": [
            "Regional data requests arrived at short notice and often asked for the same community figures in a different format.",
            "Assurance meetings multiplied: at one point we attended eleven system meetings a week.",
        ],
        "learning": [
            "Fewer, better-prepared system meetings would free senior time for the front line.",
        ],
    },
    "clinical-quality": {
        "achievements": [
            "A two-hour urgent community response service was launched in six weeks and now takes referrals directly from the ambulance service.",
            "Community nurses supported care homes with daily calls, infection prevention advice and rapid testing.",
            "Video consultations let our podiatry and physiotherapy teams keep seeing patients who were shielding.",
        ],
        "challenges": [
            "Care home outbreaks placed heavy demands on district nursing teams who were already short-staffed.",
            "Pressure ulcer rates rose among housebound patients whose visits were reduced.",
        ],
        "learning": [
            "Home first works when community teams, social care and hospital discharge teams share one plan for each patient.",
        ],
        "examples": [
            "Care home huddle: a daily video call between care home managers, a community matron and a GP that resolved problems before they became admissions.",
        ],
    },
    "support-processes": {
        "achievements": [
            "Shared care records gave community staff sight of hospital results for the first time.",
        ],
        "challenges": [
            "PPE deliveries to community bases lagged behind those to hospitals, and staff sometimes bought their own masks.",
            "Community staff lacked mobile devices that could run the electronic patient record in patients' homes.",
        ],
    },
    "people": {
        "achievements": [
            "Volunteers drove community staff to remote visits when snow closed rural roads.",
            "A buddy scheme paired newly qualified nurses with experienced district nurses.",
        ],
        "challenges": [
            "Staff working alone in the community felt cut off from the wellbeing offers that hospital staff could reach.",
            "Shielding staff were redeployed to telephone roles but some felt their skills were wasted.",
        ],
        "learning": [
            "Wellbeing support must travel to community staff rather than expecting them to come to it.",
        ],
    },
    "inequalities": {
        "achievements": [
            "Our teams kept an up-to-date shielding list with the borough council and phoned every person on it.",
            "Outreach vaccination clinics in a mosque, a traveller site and a homeless hostel reached people who had not come forward.",
        ],
        "challenges": [
            "Digital exclusion among older housebound patients meant virtual appointments widened the gap in access.",
        ],
    },
    "leadership-culture": {
        "achievements": [
            "Team leaders were trusted to change rotas and visiting patterns without asking permission.",
        ],
        "challenges": [
            "Community services were sometimes treated as an afterthought in hospital-led command structures.",
        ],
        "learning": [
            "Trust between community and hospital leaders grew when they shared the same daily information.",
        ],
    },
}

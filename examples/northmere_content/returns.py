"""The DHW system's compiled return: one row per organisation, its approach to gathering
learning, and its key findings so far as a bulleted list (a Word table, as systems send
them), and the region's board response to the review's recommendations."""

SYSTEM_RETURNS = [
    ("Dunmarrow Metropolitan Borough Council (DMBC)",
     "Three workshops with adult social care managers and a survey of 140 care home managers.",
     ["Care home managers valued the daily call with the council's quality team above every other support.",
      "Trusted assessors from the council cut the wait for a care home place after discharge from five days to two.",
      "For the discharge hub, families were told to ring 0113 496 0321 or write to hub.team@dunmarrow.example.org, which overwhelmed two staff."]),
    ("Hensby and Wrayford Mental Health",
     "Listening events on every ward and a staff questionnaire, triangulated with service users' feedback.",
     ["Moving crisis assessments out of the emergency department into a crisis café halved waits for an assessment.",
      "Ward staff said remote consultant reviews at night left junior doctors exposed.",
      "Mrs Edith Marlowe, a carer, told us her son was discharged without anyone phoning her."]),
    ("Wrayford Care Partnership NHS Trust",
     "Each business unit logged innovations as they happened; the board reviewed them in June.",
     ["Virtual ward nurses kept 300 frail patients out of hospital over the winter.",
      "District nurses lost an hour a day to duplicate recording in two systems.",
      "The shared care record reached community teams only in March."]),
]

BOARD_RESPONSE = [
    (1, "Accepted. The four ICBs have agreed discharge to assess as the default pathway from April, with a shared trusted assessor framework."),
    (2, "Accepted in part. Every trust will offer a choice of follow-up; funding for loaned devices is agreed for one year only while the evidence is gathered."),
    (3, "In progress. Two of the four acute trusts have funded their hubs for two more winters; the other two will decide in September."),
    (4, "Accepted. The regional workforce group will publish the passport and its checks by the end of the year."),
    (5, "Not accepted. The councils will fund champions through their own public health grants rather than a regional commission."),
    (6, "Complete. The single weekly data return started on 1 October and the daily requests have been retired."),
]

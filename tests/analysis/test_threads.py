"""Golden threads: innovations grouped by the emergent themes, named by readable phrases."""

from __future__ import annotations

from stocktake.analysis.threads import golden_threads, thread_label

TITLES = ["Virtual ward for frail older people", "Virtual ward for heart failure",
          "Remote monitoring on the virtual ward", "Video consultations in outpatients",
          "Video consultations for physiotherapy", "Video group clinics for diabetes",
          "Staff wellbeing hubs", "Wellbeing hub for night staff",
          "Psychological support hub for staff"]


def test_a_thread_is_named_by_the_phrase_its_titles_share():
    assert thread_label(["Virtual ward for frailty", "A virtual ward at night",
                         "Heart failure virtual wards"]) == "Virtual ward"
    assert thread_label(["Home first discharge", "Home first reablement",
                         "Discharge lounge"], ["home", "first"]) == "Home first"
    # Small words never start or end a label; acronyms keep their case.
    assert thread_label(["GP access hubs", "GP access by video"]) == "GP access"


def test_with_nothing_shared_the_representative_title_names_it():
    assert thread_label(["Drive-through pharmacy", "Evening crisis café"],
                        representative="Evening crisis café") == "Evening crisis café"


def test_threads_group_alike_innovations_and_read_as_phrases():
    threads = golden_threads(TITLES, [f"{t}. {t}" for t in TITLES])
    labels = {t.label: sorted(TITLES[i] for i in t.members) for t in threads}
    assert labels["Virtual ward"] == sorted(TITLES[:3])
    assert "Video consultations" in labels
    assert any(label.startswith("Wellbeing hub") for label in labels)  # "hub" or "hubs"
    for label in labels:
        assert "/" not in label and label[0].isupper()
    assert golden_threads(TITLES, [f"{t}. {t}" for t in TITLES]) == threads  # seeded

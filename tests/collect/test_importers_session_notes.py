"""Session notes: their header lines (date, attendees, place …) are the session's details,
not findings; the rest reads as any submission."""

from __future__ import annotations

import docx

from stocktake.collect.importers import extract
from stocktake.collect.importers.blocks import session_detail

NOTES = """# Reflection session notes: Ostley Community Health

Date: 14 May 2025
Attendees: Jane Smith (Chief Executive), Ade Okoro (Medical Director)
Venue: Ostley House, room 2

## Governance

- The community trust joined the system control centre early.
- Daily calls with the council kept discharge moving.
"""


def test_markdown_header_lines_are_the_sessions_details(tmp_path):
    path = tmp_path / "ostley-session.md"
    path.write_text(NOTES)
    x = extract(path)
    assert [f.text for f in x.findings] == [
        "The community trust joined the system control centre early.",
        "Daily calls with the council kept discharge moving.",
    ]
    assert {f.organisation for f in x.findings} == {"Ostley Community Health"}
    assert x.session == [
        ("date", "14 May 2025"),
        ("attendees", "Jane Smith (Chief Executive), Ade Okoro (Medical Director)"),
        ("place", "Ostley House, room 2"),
    ]
    assert x.to_dict()["session"][0] == {"field": "date", "value": "14 May 2025"}
    assert not x.problems


def test_word_session_notes(tmp_path):
    document = docx.Document()
    document.add_heading("Ostley Community Health – reflection session notes", level=1)
    document.add_paragraph("Session held 14 May 2025, 90 minutes, with the executive team.")
    document.add_paragraph("Present: Jane Smith, Ade Okoro")
    document.add_heading("People", level=2)
    document.add_paragraph("Redeployed nurses asked for a better induction.", style="List Bullet")
    path = tmp_path / "ostley.docx"
    document.save(path)
    x = extract(path)
    assert [f.text for f in x.findings] == ["Redeployed nurses asked for a better induction."]
    assert x.findings[0].organisation == "Ostley Community Health"
    assert [k for k, _ in x.session] == ["held", "attendees"]


def test_a_submission_is_not_read_as_session_notes(tmp_path):
    path = tmp_path / "ostley.md"
    path.write_text(
        "# Submission from Ostley Community Health\n\n## Governance\n\n"
        "Date: the board met weekly through the winter.\n"
    )
    x = extract(path)
    assert [f.text for f in x.findings] == ["Date: the board met weekly through the winter."]
    assert x.session == []


def test_session_detail():
    assert session_detail("Attendees: A, B") == ("attendees", "A, B")
    assert session_detail("In attendance : A") == ("attendees", "A")
    assert session_detail("The session was held on 3 June 2026") == ("held", "3 June 2026")
    assert session_detail("Discharge worked well: most patients went home") is None


def test_the_example_reviews_session_notes():
    from tests.collect.test_importers_formats import SUBMISSIONS

    x = extract(SUBMISSIONS / "wrayford-care-partnership-session-notes.md")
    assert x.session == [("held", "14 May 2025, 90 minutes, with the trust's executive team")]
    assert not any("Session held" in f.text for f in x.findings)

"""Reports with numbered recommendations and the responses to them, as text exports and as PDFs.

All text here is invented: a review of winter discharge in two made-up places.
"""

from __future__ import annotations

import pytest

from stocktake.collect.importers import extract
from stocktake.collect.importers.furniture import clean_pages, running_lines, strip_markers
from stocktake.collect.importers.recommendations import follows
from stocktake.collect.importers.responses import status_of

HEADER = "Ostley and Velbrook winter discharge review 2025"

# Each page: its body lines (headers and footers are added per format).
REPORT_PAGES = [
    ["Ostley and Velbrook winter discharge review 2025",
     "",
     "Contents",
     "1 Introduction .................................. 2",
     "2 What we found .................................. 2",
     "3 Summary of recommendations ..................... 3",
     "Appendix A: Case study .......................... 4"],
    ["1 Introduction",
     "",
     "1.1 This review looked at how people left hospital over the winter of 2024/25 in",
     "Ostley and Velbrook. Teams from both systems took part.4",
     "",
     "2 What we found",
     "",
     "2.1 Discharge lounges helped most where pharmacy staff worked in them.5 The",
     "lounges that closed at six in the evening sent people home the next day.",
     "",
     "2.2 Both systems should keep the discharge lounges open until ten in the",
     "evening, with pharmacy cover on every shift.",
     "",
     "2.3 Care homes found it hard to accept people at weekends.",
     "",
     "4 Survey of ward managers, January 2025.",
     "5 Pharmacy rota review, February 2025."],
    ["3 Summary of recommendations",
     "",
     "Discharge lounges",
     "1. Both systems should keep the discharge lounges open until ten in the",
     "evening, with pharmacy cover on every shift.",
     "2. Each lounge should publish its opening hours on the trust website.",
     "Weekend discharge",
     "3. The integrated care boards should agree weekend admission rules with",
     "care homes, including:",
     "a) a named contact at every home on Saturdays and Sundays;",
     "b) shared medication records before the person arrives.",
     "4. Community teams should visit within a day of a weekend discharge.",
     "5. Commissioners should fund weekend social work cover for the",
     "winter months.",
     "6. The review group should meet again in a year to check what has changed and"],
    ["publish what it finds for both boards and the public.",
     "",
     "Appendix A: Case study",
     "",
     "Case study: The Ward 7 lounge",
     "Priya Nandakumar, Discharge Lead",
     "The lounge on Ward 7 stayed open late for a month and nobody waited overnight."],
]

RESPONSE_PAGES = [
    ["Response to the Ostley and Velbrook winter discharge review",
     "",
     "The integrated care boards thank the review group for its report.",
     "",
     "Recommendation 1",
     "",
     "Both systems should keep the discharge lounges open until ten in the",
     "evening, with pharmacy cover on every shift.",
     "",
     "Accepted. Both lounges will open until ten from November.",
     "",
     "Recommendation 2",
     "",
     "Each lounge should publish its opening hours on the trust website.",
     "",
     "Complete. The hours were published in October."],
    ["Recommendation 3",
     "",
     "The integrated care boards should agree weekend admission rules with care homes.",
     "",
     "We accept this recommendation in part: the named contact will be agreed, but",
     "shared records need a new system first.",
     "",
     "Recommendation 4",
     "",
     "Community teams should visit within a day of a weekend discharge.",
     "",
     "The boards do not accept this recommendation; visits are already planned by need.",
     "",
     "Recommendation 5",
     "",
     "Commissioners should fund weekend social work cover for the winter months.",
     "",
     "In progress. Funding has been agreed for two of the three councils.",
     "",
     "Recommendation 6",
     "",
     "The review group should meet again in a year.",
     "",
     "The boards note the recommendation and will consider it in the spring."],
]

EXPECTED_RECS = [
    ("1", "Discharge lounges", "Both systems should keep the discharge lounges open until ten in the evening, "
                               "with pharmacy cover on every shift."),
    ("2", "Discharge lounges", "Each lounge should publish its opening hours on the trust website."),
    ("3", "Weekend discharge", "The integrated care boards should agree weekend admission rules with care "
                               "homes, including: a) a named contact at every home on Saturdays and Sundays; "
                               "b) shared medication records before the person arrives."),
    ("4", "Weekend discharge", "Community teams should visit within a day of a weekend discharge."),
    ("5", "Weekend discharge", "Commissioners should fund weekend social work cover for the winter months."),
    ("6", "Weekend discharge", "The review group should meet again in a year to check what has changed and "
                               "publish what it finds for both boards and the public."),
]
EXPECTED_STATUSES = [("1", "accepted"), ("2", "complete"), ("3", "accepted_in_part"), ("4", "not_accepted"),
                     ("5", "in_progress"), ("6", "noted")]


def _text_export(pages: list[list[str]]) -> str:
    """Pages as ``pdftotext`` writes them: a running header, the body, a page number, form feeds."""
    return "\f".join("\n".join([HEADER, "", *body, "", str(number)])
                     for number, body in enumerate(pages, start=1)) + "\f"


def _pdf(pages: list[list[str]], path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(format="A4")
    pdf.set_auto_page_break(False)
    for number, body in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.set_xy(20, 10)
        pdf.cell(0, 5, HEADER)
        y = 25.0
        for line in body:
            if not line:
                y += 4
                continue
            footnote = line[:1].isdigit() and line.endswith("2025.")
            pdf.set_font("Helvetica", "", 8 if footnote else 11)
            pdf.set_xy(20, y)
            pdf.cell(0, 5, line)
            y += 6
        pdf.set_font("Helvetica", "", 8)
        pdf.set_xy(100, 285)
        pdf.cell(0, 5, str(number))
    pdf.output(str(path))


@pytest.fixture(params=["text", "pdf"])
def report(request, tmp_path):
    if request.param == "text":
        path = tmp_path / "review.txt"
        path.write_text(_text_export(REPORT_PAGES), encoding="utf-8")
    else:
        path = tmp_path / "review.pdf"
        _pdf(REPORT_PAGES, path)
    return extract(path)


@pytest.fixture(params=["text", "pdf"])
def response(request, tmp_path):
    if request.param == "text":
        path = tmp_path / "response.txt"
        path.write_text(_text_export(RESPONSE_PAGES), encoding="utf-8")
    else:
        path = tmp_path / "response.pdf"
        _pdf(RESPONSE_PAGES, path)
    return extract(path)


def test_report_recommendations_counted_once_with_sections_and_parts(report):
    # the body's paragraph 2.2 repeats recommendation 1: matched, not added; 2.1 and 2.3 are no
    # recommendations; the last one runs on over the page break, without the header in it
    assert [(r.label, r.section, r.text) for r in report.recommendations] == EXPECTED_RECS
    assert [r.number for r in report.recommendations] == [1, 2, 3, 4, 5, 6]
    assert not report.responses


def test_report_case_study_is_not_an_example(report):
    assert [(c.title, c.person) for c in report.case_studies] == [("The Ward 7 lounge",
                                                                    "Priya Nandakumar, Discharge Lead")]
    assert report.examples == []
    assert not any("Priya" in f.text for f in report.findings)


def test_response_document_answers_each_recommendation(response):
    assert [(r.label, r.status) for r in response.responses] == EXPECTED_STATUSES
    first = response.responses[0]
    assert first.number == 1
    assert first.recommendation_text.startswith("Both systems should keep the discharge lounges")
    assert first.text == "Accepted. Both lounges will open until ten from November."
    assert response.recommendations == []  # quoted, not new


@pytest.mark.parametrize(("answer", "status"), [
    ("Accepted. Work starts in May.", "accepted"),
    ("Not accepted. The costs are too high.", "not_accepted"),
    ("Partially accepted: the first part only.", "accepted_in_part"),
    ("The Government accepts this recommendation in principle.", "accepted_in_part"),
    ("The Government agrees with the Committee.", "accepted"),
    ("The Government rejects this recommendation.", "not_accepted"),
    ("The Department notes the Committee's recommendation.", "noted"),
    ("Status: complete. The guidance was issued in June.", "complete"),
    ("Delivered in March 2025.", "complete"),
    ("Work is under way with three trusts.", "in_progress"),
    ("The trust has spent £2m on the ward.", "unknown"),
])
def test_status_from_wording(answer, status):
    assert status_of(answer) == status


def test_footnote_markers_go_and_numbers_stay():
    assert strip_markers("helped most where pharmacy staff worked.5 The lounges") == (
        "helped most where pharmacy staff worked. The lounges")
    assert strip_markers("services23 and teams") == "services and teams"
    for kept in ("COVID-19 cases", "in 2024 we", "R1 and R2", "NHS111 calls", "(paragraph 4.8).", "2019/20"):
        assert strip_markers(kept) == kept


def test_running_lines_only_when_the_number_follows_the_page():
    def body(n):
        return [f"Paragraph {n}.{i} of the review, with its own words {i * n}." for i in range(8)]

    pages = [[f"Recommendation {n * 3}", *body(n)] for n in range(1, 6)]
    assert running_lines(pages) == set()  # a marker repeated with other numbers is content
    pages = [[f"{n + 40}  Winter review", *body(n), f"Page {n}"] for n in range(1, 6)]
    assert running_lines(pages) == {"# winter review", "page #"}


def test_page_break_inside_a_sentence_is_joined():
    lines = clean_pages([["1. The boards should agree weekend rules with"], ["care homes before winter."]])
    assert [line.text for line in lines if line.text] == [
        "1. The boards should agree weekend rules with", "care homes before winter."]
    assert all(line.text for line in lines)  # no paragraph break between the pages


@pytest.mark.parametrize(("previous", "label", "expected"), [
    (None, "1", True), (None, "8.1", True), ("1", "2", True), ("8.9", "8.10", True), ("2", "2a", True),
    ("2a", "2b", True), ("2b", "3", True), ("4.9", "5.1", True), ("1", "3", False), ("8.2", "2.3", False),
])
def test_numbering_sequences(previous, label, expected):
    assert follows(previous, label) is expected


def test_response_that_numbers_the_recommendations_it_quotes(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(
        "Government response to the committee's report on winter discharge\n\n"
        "1. The Department should publish weekend discharge figures every month. (Paragraph 12)\n\n"
        "The Government agrees. Figures will be published from April.\n\n"
        "2. NHS England should fund pharmacy cover in every discharge lounge. (Paragraph 15)\n\n"
        "The Government does not accept this recommendation. Trusts fund their own lounges.\n\n"
        "3. The Department should review the guidance within a year. (Paragraph 19)\n\n"
        "The Government accepts this recommendation in principle and will review it in 2027.\n",
        encoding="utf-8")
    x = extract(path)
    assert [(r.label, r.status) for r in x.responses] == [
        ("1", "accepted"), ("2", "not_accepted"), ("3", "accepted_in_part")]
    assert x.responses[1].recommendation_text.startswith("NHS England should fund")
    assert x.recommendations == []


def test_a_submission_about_a_response_is_not_a_response_document(tmp_path):
    path = tmp_path / "submission.txt"
    path.write_text(
        "Winter response: learning review submission from Ostley Community Health\n\n"
        "Organisation: Ostley Community Health\n\n"
        "WORKFORCE\n\n"
        "Achievements:\n"
        "1. We opened a staff rest hub on every site.\n\n"
        "The hub was used every day.\n\n"
        "2. Rotas were agreed a month ahead.\n\n"
        "Staff said this helped.\n\n"
        "3. Sickness absence fell by a fifth.\n\n"
        "The fall held through March.\n", encoding="utf-8")
    x = extract(path)
    assert x.responses == [] and x.findings


def test_pdf_table_of_numbered_recommendations(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Recommendations", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    rows = [("No.", "Recommendation", "Lead"),
            ("1", "The trust should open a second discharge lounge before next winter.", "Chief nurse"),
            ("2", "The board should review weekend pharmacy cover every quarter.", "Medical director"),
            ("3", "Community teams should share their rotas with the wards.", "Community lead")]
    with pdf.table(col_widths=(15, 120, 35), text_align="LEFT") as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    path = tmp_path / "table.pdf"
    pdf.output(str(path))
    x = extract(path)
    assert [(r.label, r.text) for r in x.recommendations] == [
        ("1", "The trust should open a second discharge lounge before next winter."),
        ("2", "The board should review weekend pharmacy cover every quarter."),
        ("3", "Community teams should share their rotas with the wards.")]


def test_report_that_discusses_each_recommendation_is_no_response(tmp_path):
    parts = ["Learning review of falls in Ostley", ""]
    for number, text in enumerate(["The trust should review night staffing on the frailty wards.",
                                   "Each ward should keep a falls huddle at every handover.",
                                   "Pharmacists should review sedatives for every patient over 80."], start=1):
        parts += [f"Recommendation {number}", "", text, "",
                  "Staff told us that nights were the hardest time to keep people safe.", ""]
    path = tmp_path / "falls.txt"
    path.write_text("\n".join(parts), encoding="utf-8")
    x = extract(path)
    assert x.responses == []
    assert [(r.label, r.text) for r in x.recommendations] == [
        ("1", "The trust should review night staffing on the frailty wards."),
        ("2", "Each ward should keep a falls huddle at every handover."),
        ("3", "Pharmacists should review sedatives for every patient over 80.")]


def test_progress_report_statuses(tmp_path):
    path = tmp_path / "progress.txt"
    path.write_text(
        "Progress update on the review's recommendations, March 2026\n\n"
        "Recommendation 1: Both systems should keep the discharge lounges open until ten.\n\n"
        "Progress: both lounges now open until ten.\nStatus: Complete\n\n"
        "Recommendation 2: Each lounge should publish its opening hours.\n\n"
        "Progress: one of two websites updated.\nStatus: In progress\n\n"
        "Recommendation 3: Community teams should visit within a day of discharge.\n\n"
        "Progress: not started; the boards did not accept this.\nStatus: Not accepted\n",
        encoding="utf-8")
    x = extract(path)
    assert [(r.label, r.status) for r in x.responses] == [
        ("1", "complete"), ("2", "in_progress"), ("3", "not_accepted")]
    assert x.responses[0].recommendation_text.startswith("Both systems should keep")


def test_bold_recommendations_in_a_pdf_without_a_list(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    for text, bold in [
        ("Discharge at weekends", True),
        ("Teams told us that weekends were the hardest time to find a care home place for anyone.", False),
        ("We recommend that the integrated care board agrees weekend admission rules with every "
         "care home in the county.", True),
        ("Pharmacy", True),
        ("The lounges had no pharmacist after five in the evening on most days of the week.", False),
        ("The trust should fund a pharmacist in each discharge lounge until ten in the evening "
         "from next winter.", True)]:
        pdf.set_font("Helvetica", "B" if bold else "", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    path = tmp_path / "bold.pdf"
    pdf.output(str(path))
    x = extract(path)
    assert [(r.label, r.section) for r in x.recommendations] == [
        ("1", "Discharge at weekends"), ("2", "Pharmacy")]
    assert x.recommendations[1].text.startswith("The trust should fund a pharmacist")


def test_paragraph_numbers_do_not_hide_recommendation_numbers(tmp_path):
    path = tmp_path / "numbered.txt"
    path.write_text(
        "Review of stroke services\n\n"
        "2 Findings\n\n"
        "2.98 Stroke units met the four-hour target on most days of the winter.\n\n"
        "2.99 Recommendation 4: The ICB should fund weekend therapy on every stroke unit.\n\n"
        "2.100 Therapy at weekends was the gap most families described to us.\n\n"
        "2.101 Recommendation 5: Trusts should report weekend therapy hours to their boards.\n",
        encoding="utf-8")
    x = extract(path)
    assert [(r.label, r.text) for r in x.recommendations] == [
        ("4", "The ICB should fund weekend therapy on every stroke unit."),
        ("5", "Trusts should report weekend therapy hours to their boards.")]


def test_report_quoting_earlier_answers_stays_a_report(tmp_path):
    earlier = []
    for number in (1, 2, 3):
        earlier += [f"Recommendation {number}", "", f"The board should publish report {number} each month.",
                    "", "Accepted. The board agreed in 2023.", ""]
    recommendations = [f"{n}. The trust should act on finding {n} before the winter." for n in range(1, 6)]
    path = tmp_path / "second-review.txt"
    path.write_text("\n".join(["Second review of discharge", "", "What the first review asked", "",
                               *earlier, "Recommendations", "", *recommendations, ""]), encoding="utf-8")
    x = extract(path)
    assert x.responses == []
    assert [r.label for r in x.recommendations] == ["1", "2", "3", "4", "5"]


def test_numbers_on_lines_of_their_own_and_answers_run_on(tmp_path):
    report = tmp_path / "copied.txt"
    report.write_text("Review of weekend discharge\n\nRecommendations\n1.\n\n"
                      "The boards should agree weekend admission rules with care homes.\n\n2.\n\n"
                      "Each lounge should publish its opening hours.\n", encoding="utf-8")
    assert [(r.label, r.text) for r in extract(report).recommendations] == [
        ("1", "The boards should agree weekend admission rules with care homes."),
        ("2", "Each lounge should publish its opening hours.")]
    response = tmp_path / "copied-response.txt"
    response.write_text("Government response to the review of weekend discharge\n\n" + "\n".join(
        f"Recommendation {n}\nThe boards should do thing {n} before the winter.\n"
        f"The Government agrees and will fund it from April.\n" for n in (1, 2, 3)), encoding="utf-8")
    x = extract(response)
    assert [(r.label, r.recommendation_text, r.status) for r in x.responses] == [
        (str(n), f"The boards should do thing {n} before the winter.", "accepted") for n in (1, 2, 3)]


def test_a_response_document_is_not_told_it_has_no_findings(tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text(
        "Government response to the winter review\n\n"
        "Recommendation 1: Every system should agree a single escalation rota.\n"
        "Government response: Accepted. Rotas will be published by October.\n\n"
        "Recommendation 2: Hospices should be funded to provide night cover.\n"
        "Government response: Accepted in principle. Funding is for the spending review.\n\n"
        "Recommendation 3: Discharge teams should include therapists every day.\n"
        "Government response: Not accepted. Local systems decide staffing.\n",
        encoding="utf-8")
    x = extract(path)
    assert [r.label for r in x.responses] == ["1", "2", "3"]
    assert not [p for p in x.problems if "no findings found" in p.message]


def test_a_summary_lends_text_and_the_body_its_sections(tmp_path):
    path = tmp_path / "summary-first.txt"
    path.write_text(
        "Review of urgent care in Ostley\n\n"
        "Summary of recommendations\n\n"
        "Recommendation 1: The board should agree one escalation plan across the system.\n"
        "Recommendation 2: Every ward should publish its discharge times each week.\n"
        "Recommendation 3: Commissioners should fund therapy cover at weekends.\n\n"
        "1. Working across the system\n\n"
        "Partners told us that escalation plans differed from one trust to the next.\n\n"
        "Recommendation 1: The board should agree one escalation plan across the system.\n\n"
        "2. Discharge\n\n"
        "Wards kept their discharge times to themselves.\n\n"
        "Recommendation 2: Every ward should publish its discharge times each week.\n\n"
        "3. Weekend therapy\n\n"
        "Therapy stopped on Friday afternoons.\n\n"
        "Recommendation 3: Commissioners should fund therapy cover at weekends.\n", encoding="utf-8")
    x = extract(path)
    assert [(r.label, r.section) for r in x.recommendations] == [
        ("1", "Working across the system"), ("2", "Discharge"), ("3", "Weekend therapy")]
    assert [r.location for r in x.recommendations] == [
        "page 1, line 13", "page 1, line 19", "page 1, line 25"]  # where the body makes them


def test_short_numbered_items_of_a_list_stay_recommendations(tmp_path):
    path = tmp_path / "short-items.txt"
    path.write_text(
        "Review of urgent care in Ostley\n\nRecommendations\n\n"
        "1. One escalation plan\n\n2. Weekly discharge times\n\n3. Weekend therapy cover\n\n"
        "Background\n\nPartners told us that plans differed.\n", encoding="utf-8")
    assert [r.label for r in extract(path).recommendations] == ["1", "2", "3"]


@pytest.mark.parametrize("count", [1, 2])
def test_a_short_response_document_gives_responses(tmp_path, count):
    parts = ["Government response to the review of urgent care in Ostley", ""]
    for n in range(1, count + 1):
        parts += [f"Recommendation {n}: The board should do thing {n} before the winter.",
                  f"Government response: Accepted. The board will do thing {n} by March.", ""]
    path = tmp_path / "short-response.txt"
    path.write_text("\n".join(parts), encoding="utf-8")
    x = extract(path)
    assert [(r.label, r.status) for r in x.responses] == [(str(n), "accepted") for n in range(1, count + 1)]
    assert x.recommendations == []


def test_two_answers_under_response_headings_without_a_title(tmp_path):
    path = tmp_path / "update.txt"
    path.write_text(
        "Ostley Trust: where we are\n\n"
        "Recommendation 1\n\nThe trust should open a second discharge lounge.\n\n"
        "Progress update: the second lounge opened in May.\n\n"
        "Recommendation 2\n\nThe board should review weekend pharmacy cover.\n\n"
        "Progress update: in progress; the review reports in June.\n", encoding="utf-8")
    assert [r.label for r in extract(path).responses] == ["1", "2"]


def test_a_report_quoting_one_answer_is_no_response(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "Second review of discharge in Ostley\n\n"
        "The first review asked:\n\n"
        "Recommendation 4: The trust should open a second discharge lounge.\n"
        "Response: Accepted. A lounge will open in May.\n\n"
        "We found that no lounge had opened by the winter, and patients waited on the wards.\n",
        encoding="utf-8")
    assert extract(path).responses == []


def test_titled_items_each_over_a_paragraph_stay_a_list():
    from stocktake.collect.importers import recommendations
    from stocktake.collect.importers.furniture import PageLine
    text = ("Review of urgent care in Ostley\n\nRecommendations\n\n"
            "1. One escalation plan\n\nThe board should agree a single plan for the system.\n\n"
            "2. Weekly discharge times\n\nEvery ward should publish its discharge times.\n")
    lines = [PageLine(t, 1, i, "") for i, t in enumerate(text.split("\n"))]
    assert [r.label for r in recommendations.find(lines)] == ["1", "2"]

"""The upload preview of a report and a response document: each section heading with the theme
it matched (changeable, and the change honoured), responses that will not attach, case studies."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from stocktake.collect.importers import (
    ExtractedCaseStudy,
    ExtractedRecommendation,
    ExtractedResponse,
    Extraction,
)
from stocktake.report.models import Recommendation

UPLOAD = "/reviews/winter-2025/upload/"
REPORT = Extraction(file="previous-report.txt", format="text", recommendations=[
    ExtractedRecommendation(number=31, label="3.1", text="Agree one data request a week.",
                            section="Developing the NHSE/I relationship with the local NHS"),
    ExtractedRecommendation(number=32, label="3.2", text="Publish guidance once, not daily.",
                            section="Developing the NHSE/I relationship with the local NHS"),
    ExtractedRecommendation(number=51, label="5.1", text="Keep rest hubs open at night.",
                            section="Looking after our people"),
], case_studies=[ExtractedCaseStudy(title="Ward sister's story", text="We changed rotas.",
                                    person="Ward sister")])


def _preview(client, path):
    location = client.post(UPLOAD, {"files": [SimpleUploadedFile(path.name, path.read_bytes())]})
    return location["Location"], client.get(location["Location"]).content.decode()


def test_the_preview_shows_each_heading_with_its_theme_and_the_choice_is_honoured(
        world, login, documents):
    client = login(world.users["lena"])
    themes = {t.key: t for t in world.framework.themes.all()}
    url, html = _preview(client, documents(REPORT))
    # One select per distinct heading, the matched theme chosen.
    assert html.count('name="heading-1-') == 2
    assert "Theme for \u201cDeveloping the NHSE/I relationship with the local NHS\u201d" in html
    assert "2 recommendations · matched: The relationship between the regional body" in html
    assert f'<option value="{themes["regional-relationship"].pk}" selected' in html
    assert f'<option value="{themes["staff-wellbeing"].pk}" selected' in html
    assert "Case studies: 1" in html and "Ward sister" in html
    # The person moves the first heading to another theme and leaves the second as matched.
    client.post(url + "confirm/", {"file": ["1"],
                                   "heading-1-1": REPORT.recommendations[0].section,
                                   "theme-1-1": str(themes["technology"].pk),
                                   "heading-1-2": "Looking after our people",
                                   "theme-1-2": str(themes["staff-wellbeing"].pk)})
    recs = {r.label: r for r in Recommendation.objects.filter(review=world.review, label__gt="")}
    assert recs["3.1"].theme == themes["technology"] and recs["3.2"].theme == themes["technology"]
    assert recs["5.1"].theme == themes["staff-wellbeing"]


def test_a_theme_chosen_before_updating_the_preview_stays_chosen(world, login, documents):
    client = login(world.users["lena"])
    themes = {t.key: t for t in world.framework.themes.all()}
    url, _ = _preview(client, documents(REPORT))
    # "Update preview" (the preview form posted to itself) carries the heading's choice …
    client.post(url, {"heading-1-1": REPORT.recommendations[0].section,
                      "theme-1-1": str(themes["technology"].pk)})
    html = client.get(url).content.decode()
    # … and the page read again shows it, not the automatic match.
    assert f'<option value="{themes["technology"].pk}" selected' in html
    assert f'<option value="{themes["regional-relationship"].pk}" selected' not in html
    assert f'<option value="{themes["staff-wellbeing"].pk}" selected' in html


def test_choosing_no_theme_is_honoured_and_a_foreign_theme_is_ignored(world, login, documents):
    client = login(world.users["lena"])
    url, _ = _preview(client, documents(REPORT))
    client.post(url + "confirm/", {"file": ["1"],
                                   "heading-1-1": REPORT.recommendations[0].section,
                                   "theme-1-1": "",
                                   "heading-1-2": "Looking after our people",
                                   "theme-1-2": "999999"})  # not a theme of this review
    recs = {r.label: r for r in Recommendation.objects.filter(review=world.review, label__gt="")}
    assert recs["3.1"].theme is None
    assert recs["5.1"].theme.key == "staff-wellbeing"  # matched by the import itself


def test_the_preview_names_responses_that_will_not_attach(world, login, documents):
    response = Extraction(file="response.txt", format="text", responses=[
        ExtractedResponse(label="7.3", number=None, text="Accepted.", status="accepted",
                          location="page 2")])
    _, html = _preview(login(world.users["lena"]), documents(response))
    assert "Ready to import" in html and "Responses to recommendations: 1" in html
    assert "Recommendation 7.3 (page 2): no recommendation 7.3 in this review; it will be kept " \
           "unattached" in html


def test_the_examples_page_lists_case_studies_for_leads_only_until_consent(world, login,
                                                                          documents):
    from stocktake.track.importing import import_document

    import_document(review=world.review, path=documents(REPORT), by=world.users["lena"])
    lead = login(world.users["ravi"]).get("/reviews/winter-2025/examples/").content.decode()
    assert "Case studies" in lead and "Ward sister&#39;s story" in lead
    assert "Consent to share" in lead
    world.review.refresh_from_db()
    viewer = login(world.users["vera"]).get("/reviews/winter-2025/examples/").content.decode()
    assert "Ward sister" not in viewer

"""The recommendations register and a recommendation's tracking page, as each persona."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from stocktake.report import actions as report_actions
from stocktake.track.actions import record_progress, set_per_system
from stocktake.track.models import ProgressUpdate
from tests.track.test_actions import publish

REGISTER = "/reviews/winter-2025/register/"


def page_of(world, number):
    rec = world.review.recommendations.get(number=number)
    return f"{REGISTER}{rec.pk}/", rec


@pytest.fixture
def published(world):
    world.review = publish(world)
    return world


@pytest.mark.parametrize("name, status", [
    ("lena", 200), ("ravi", 200), ("connie", 200), ("owen", 200), ("vera", 200), ("sam", 404),
])
def test_register_as_each_persona(published, login, name, status):
    response = login(published.users[name]).get(REGISTER)
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Agree one regional data request per week." in html
        assert "Keep the rest hubs funded" in html


def test_before_publication_owen_sees_only_what_ashby_owns(world, login):
    html = login(world.users["owen"]).get(REGISTER).content.decode()
    assert "Agree one regional data request" in html and "rest hubs" not in html
    url, _ = page_of(world, 1)
    page = login(world.users["owen"]).get(url).content.decode()
    assert "Updates open once the report is published" in page
    response = login(world.users["owen"]).post(url, {"status": "in_progress"})
    assert response.status_code == 302 and not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("name, form", [
    ("lena", True), ("owen", True), ("ravi", False), ("connie", False), ("vera", False),
])
def test_update_form_shown_to_leads_and_owners(published, login, name, form):
    url, _ = page_of(published, 1)
    html = login(published.users[name]).get(url).content.decode()
    assert ("Save update" in html) is form


def test_owen_updates_with_an_attachment_and_others_download_it(published, login, client):
    url, rec = page_of(published, 1)
    login(published.users["owen"])
    response = client.post(url, {
        "status": "completed", "rag": "green", "note": "Weekly request live.",
        "evidence_links": "https://example.org/minutes\n",
        "attachment": SimpleUploadedFile("board minutes.pdf", b"%PDF-1.4 the minutes"),
    })
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.attachment_name == "board minutes.pdf" and update.channel == "form"
    assert update.evidence_links == ["https://example.org/minutes"]
    html = client.get(url).content.decode()
    assert "Weekly request live." in html and "https://example.org/minutes" in html
    download = f"{REGISTER}updates/{update.pk}/attachment/"
    assert download in html
    for name, status in [("vera", 200), ("lena", 200), ("sam", 404)]:
        response = login(published.users[name]).get(download)
        assert response.status_code == status, name
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 the minutes"
            assert 'attachment; filename="board minutes.pdf"' in response["Content-Disposition"]


def test_bad_updates_get_one_clear_message(published, login):
    url, _ = page_of(published, 1)
    client = login(published.users["owen"])
    response = client.post(url, {"status": "completed"})
    assert response.status_code == 400
    assert "needs evidence" in response.content.decode()
    response = client.post(url, {"status": "in_progress", "attachment": SimpleUploadedFile(
        "tool.exe", b"MZ")})
    assert response.status_code == 400 and "must be one of" in response.content.decode()
    response = client.post(url, {"status": "in_progress", "evidence_links": "not a link"})
    assert "Evidence link 1" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_owen_cannot_update_what_ashby_does_not_own(published, login):
    url, _ = page_of(published, 2)
    client = login(published.users["owen"])
    assert "Save update" not in client.get(url).content.decode()
    assert client.post(url, {"status": "in_progress"}).status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_lead_switches_to_per_system_and_owner_reports_a_system(published, login):
    url, rec = page_of(published, 1)
    lena = login(published.users["lena"])
    assert lena.post(url + "per-system/", {"per_system": "1"}).status_code == 302
    rec.refresh_from_db()
    assert rec.per_system
    owen = login(published.users["owen"])
    assert owen.post(url + "per-system/", {"per_system": "0"}).status_code == 403
    response = owen.post(url, {"status": "in_progress"})
    assert response.status_code == 400
    assert "Choose the system" in response.content.decode()
    northfold = published.orgs["northfold"]
    owen.post(url, {"status": "in_progress", "rag": "amber", "organisation": str(northfold.pk)})
    html = owen.get(REGISTER).content.decode()
    assert "Status in each system" in html and "NICS" in html


def test_filters_and_counts(published, login):
    rec1 = published.review.recommendations.get(number=1)
    record_progress(recommendation=rec1, status="in_progress", rag="red",
                    by=published.users["lena"])
    client = login(published.users["lena"])
    html = client.get(REGISTER + "?status=in_progress").content.decode()
    assert "Agree one regional" in html and "rest hubs" not in html
    assert "In progress: 1" in html and "Agreed, not started: 1" in html
    html = client.get(REGISTER + "?rag=none").content.decode()
    assert "Agree one regional" not in html and "rest hubs" in html
    html = client.get(REGISTER + f"?owner={published.orgs['bracken'].pk}").content.decode()
    assert "Agree one regional" not in html and "rest hubs" in html
    html = client.get(REGISTER + "?theme=staff-wellbeing").content.decode()
    assert "Agree one regional" not in html and "rest hubs" in html
    html = client.get(REGISTER + "?owner=junk&status=junk").content.decode()
    assert "Agree one regional" in html and "rest hubs" in html


def test_overdue_flag_and_filter(published, login):
    import datetime as dt
    rec = published.review.recommendations.get(number=2)
    report_actions.update_recommendation(recommendation=rec, by=published.users["lena"],
                                         due_date=dt.date(2020, 1, 31))
    client = login(published.users["lena"])
    html = client.get(REGISTER + "?overdue=1").content.decode()
    assert "rest hubs" in html and "Agree one regional" not in html and "Overdue" in html
    assert "Overdue: 1" in html


def test_export_has_the_full_history(published, login):
    rec = published.review.recommendations.get(number=1)
    owen = published.users["owen"]
    record_progress(recommendation=rec, status="in_progress", note="Started", by=owen)
    record_progress(recommendation=rec, status="completed", note="=HYPERLINK(\"x\")",
                    reason="Agreed at the board", by=owen)
    client = login(published.users["lena"])
    response = client.get(REGISTER + "export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    mine = [r for r in rows if r["Number"] == "1"]
    assert [r["Update status"] for r in mine] == ["In progress", "Complete"]
    assert mine[1]["Narrative"] == "'=HYPERLINK(\"x\")" and mine[1]["Updated by"] == "Owen Owner"
    assert [r["Update status"] for r in rows if r["Number"] == "2"] == [""]
    response = client.get(REGISTER + "export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Recommendations", "Status per system", "Updates"]
    assert [row[2] for row in book["Updates"].iter_rows(min_row=2, values_only=True)] == [
        "In progress", "Complete"]
    assert client.get(REGISTER + "export.pdf").status_code == 404


def test_register_queries_stay_flat_as_rows_grow(published, login):
    lena = published.users["lena"]
    client = login(lena)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(REGISTER).status_code == 200
        return len(queries)

    before = count()
    themes = list(published.framework.themes.all())
    for n in range(12):
        made = report_actions.create_recommendation(
            review=published.review, text=f"Extra recommendation {n}", by=lena,
            theme=themes[n % len(themes)], owner=published.orgs["ashby"])
        set_per_system(recommendation=made, per_system=True, by=lena)
        record_progress(recommendation=made, status="in_progress", by=lena,
                        organisation=published.orgs["northfold"])
    assert count() <= before + 1  # (the matrix's systems: one query once any is per system)


def test_organisation_page_lists_what_it_owns(published, login):
    url = f"/organisations/{published.orgs['ashby'].pk}/recommendations/"
    html = login(published.users["owen"]).get(url).content.decode()
    assert "Agree one regional data request" in html and "rest hubs" not in html
    region = login(published.users["vera"]).get(
        f"/organisations/{published.orgs['region'].pk}/recommendations/").content.decode()
    assert "Agree one regional" in region and "rest hubs" in region
    assert login(published.users["sam"]).get(url).status_code in (403, 200)
    assert "Agree one regional" not in login(published.users["sam"]).get(url).content.decode()
    detail = login(published.users["owen"]).get(
        f"/organisations/{published.orgs['ashby'].pk}/").content.decode()
    assert url in detail


def test_strangers_reach_nothing_of_the_register(published, login):
    url, _ = page_of(published, 1)
    client = login(published.users["sam"])
    for address in (url, REGISTER + "export.csv", url + "per-system/"):
        assert client.get(address).status_code in (404, 405), address
    assert client.post(url, {"status": "in_progress"}).status_code == 404
    assert client.post(url + "per-system/", {"per_system": "1"}).status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_imported_responses_show_in_the_history(published, login):
    from stocktake.collect.importers import ExtractedResponse
    from stocktake.track.actions import record_responses

    record_responses(review=published.review, by=published.users["lena"], responses=[
        ExtractedResponse(label="1", number=1, text="We now send one request a week.",
                          status="in_progress", location="Row 3")])
    url, rec = page_of(published, 1)
    html = login(published.users["vera"]).get(url).content.decode()
    assert "We now send one request a week." in html
    assert "Imported response document" in html
    rec.refresh_from_db()
    assert rec.status == "in_progress"


def test_an_update_made_meanwhile_is_never_silently_overtaken(published, login):
    url, rec = page_of(published, 1)
    client = login(published.users["owen"])
    html = client.get(url).content.decode()
    assert 'name="latest" value="0"' in html
    record_progress(recommendation=rec, status="not_progressed", note="Lena's view",
                    by=published.users["lena"])
    response = client.post(url, {"status": "in_progress", "note": "Owen's view", "latest": "0"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "updated by someone else" in page and "Lena&#39;s view" in page
    assert "Owen&#39;s view" in page  # what he typed is kept
    latest = ProgressUpdate.objects.get().pk
    assert f'name="latest" value="{latest}"' in page
    again = client.post(url, {"status": "in_progress", "note": "Owen's view",
                              "latest": str(latest)})
    assert again.status_code == 302 and ProgressUpdate.objects.count() == 2


def test_recommendation_page_queries_stay_flat_as_history_grows(published, login):
    url, rec = page_of(published, 1)
    client = login(published.users["lena"])
    owen = published.users["owen"]

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    record_progress(recommendation=rec, status="in_progress", by=owen,
                    evidence_links=["https://example.org/1"])
    before = count()
    for n in range(8):
        record_progress(recommendation=rec, status="in_progress", by=owen, note=f"Week {n}",
                        attachment=SimpleUploadedFile(f"week{n}.pdf", b"%PDF-1.4 week"))
    assert count() == before


def test_what_the_register_keeps_moves_on_with_every_change(published, login):
    """The register is kept per scope, filters, page and data version: an update, a new
    recommendation and a renamed owner show at once."""
    from stocktake.reviews.actions import update_organisation

    lena = published.users["lena"]
    client = login(lena)
    first = client.get(REGISTER).content.decode()
    assert "In progress: 0" in first and "Brand new recommendation" not in first
    _, rec = page_of(published, 1)
    record_progress(recommendation=rec, status="in_progress", by=lena)
    after = client.get(REGISTER).content.decode()
    assert "In progress: 1" in after
    assert "In progress: 1" in client.get(REGISTER + "?status=in_progress").content.decode()
    report_actions.create_recommendation(review=published.review, by=lena,
                                         text="Brand new recommendation.",
                                         owner=published.orgs["ashby"])
    assert "Brand new recommendation." in client.get(REGISTER).content.decode()
    update_organisation(organisation=published.orgs["ashby"], name="Ashby Renamed NHS Trust",
                        by=lena)
    assert "Ashby Renamed NHS Trust" in client.get(REGISTER).content.decode()


def test_a_kept_register_is_never_shown_to_another_scope(world, login):
    assert "rest hubs" in login(world.users["lena"]).get(REGISTER).content.decode()
    owen = login(world.users["owen"]).get(REGISTER).content.decode()  # before publication
    assert "Agree one regional data request" in owen and "rest hubs" not in owen

"""The innovations register's pages: who sees what, logging with validation, the
innovation's page and edit (conflicts), themes, threads, exports and query counts."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stocktake.track import actions
from stocktake.track.actions import threads as thread_actions
from stocktake.track.models import Innovation


def _log(world, org="ashby", who="connie", title="Virtual ward for frail older people",
         **extra):
    return actions.log_innovation(organisation=world.orgs[org], by=world.users[who],
                                  title=title, what_changed=extra.pop("what_changed",
                                                                      "Monitoring at home."),
                                  code=extra.pop("code", False), **extra)


FORM = {"title": "Drive-through prescriptions", "what_changed": "Collect from the car park.",
        "unit": "Pharmacy", "since-month": "3", "since-year": "2024", "lead_name": "Chief pharmacist"}


def test_the_register_shows_each_persona_only_their_scope(world, login, client):
    _log(world, title="Ashby's ward")
    _log(world, org="bracken", who="colin", title="Brackenford's hub")
    seen = {}
    for name in ("ada", "lena", "connie", "colin", "owen"):
        login(world.users[name])
        page = client.get("/innovations/").content.decode()
        seen[name] = {t for t in ("Ashby&#39;s ward", "Brackenford&#39;s hub") if t in page}
    assert seen["ada"] == seen["lena"] == {"Ashby&#39;s ward", "Brackenford&#39;s hub"}
    assert seen["connie"] == seen["owen"] == {"Ashby&#39;s ward"}
    assert seen["colin"] == {"Brackenford&#39;s hub"}
    for name in ("vera", "sam"):  # the review is not published; no role
        login(world.users[name])
        page = client.get("/innovations/").content.decode()
        assert "0 innovations" in page and "once its review" in page and "ward" not in page
        assert "Ashby" not in client.get("/innovations/export.csv").content.decode()
    login(world.users["connie"])
    bracken = Innovation.objects.get(title="Brackenford's hub")
    for path in (f"/innovations/{bracken.pk}/", f"/innovations/{bracken.pk}/edit/",
                 f"/innovations/{bracken.pk}/logged/"):
        assert client.get(path).status_code == 404
    csv_text = client.get("/innovations/export.csv").content.decode("utf-8-sig")
    assert "Ashby's ward" in csv_text and "Brackenford" not in csv_text


def test_the_register_filters_and_pages_with_a_fixed_number_of_queries(world, login, client):
    login(world.users["lena"])
    for n in range(3):
        _log(world, title=f"Innovation {n}", code=True)

    def count():
        client.get("/innovations/")  # the organisation tree is read again after any action
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/innovations/").status_code == 200
        return len(queries)

    few = count()
    for n in range(3, 40):
        _log(world, title=f"Innovation {n}", code=n < 6)
    assert count() == few
    page = client.get("/innovations/?page=2").content.decode()
    assert "40 innovations" in page and "Innovation 0" in page
    found = client.get("/innovations/?q=innovation+39").content.decode()
    assert "1 innovation matches the filters" in found
    by_org = client.get(f"/innovations/?organisation={world.orgs['eastmarsh'].pk}").content.decode()
    assert "0 innovations match the filters" in by_org


def test_a_contributor_logs_an_innovation_with_clear_validation(world, login, client):
    login(world.users["connie"])
    page = client.get("/innovations/log/").content.decode()
    assert "Ashby General Hospital NHS Foundation Trust" in page
    assert 'type="hidden" name="organisation"' in page  # the only one: preselected
    bad = client.post("/innovations/log/", {"organisation": world.orgs["ashby"].pk,
                                            "since-month": "13", "since-year": "2024",
                                            "lead_email": "not-an-email"}).content.decode()
    for message in ("Enter a short title for the innovation", "Describe what changed",
                    "The date it started must be a real month and year",
                    "Enter the lead&#39;s email address in the right format"):
        assert message in bad
    assert "#since-month" in bad and not Innovation.objects.exists()
    other = client.post("/innovations/log/", {**FORM, "organisation": world.orgs["bracken"].pk})
    assert "Select an organisation from the list" in other.content.decode()
    response = client.post("/innovations/log/", {**FORM, "organisation": world.orgs["ashby"].pk})
    made = Innovation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/innovations/{made.pk}/logged/"
    assert made.started_on.isoformat() == "2024-03-01" and made.unit == "Pharmacy"
    done = client.get(response["Location"]).content.decode()
    assert "Innovation logged" in done and "Drive-through prescriptions" in done


def test_edit_refuses_a_stale_revision_and_keeps_the_text(world, login, client):
    innovation = _log(world)
    login(world.users["connie"])
    form = {**FORM, "organisation": world.orgs["ashby"].pk, "revision": 1}
    actions.update_innovation(innovation=innovation, by=world.users["lena"], benefits="Fewer beds")
    stale = client.post(f"/innovations/{innovation.pk}/edit/", form).content.decode()
    assert "changed by someone else" in stale and "Drive-through prescriptions" in stale
    fresh = client.post(f"/innovations/{innovation.pk}/edit/", {**form, "revision": 2})
    assert fresh.status_code == 302
    innovation.refresh_from_db()
    assert innovation.title == "Drive-through prescriptions" and innovation.benefits == ""
    login(world.users["colin"])
    assert client.get(f"/innovations/{innovation.pk}/edit/").status_code == 404


def test_a_lead_confirms_themes_and_moves_threads_a_contributor_cannot(world, login, client):
    innovation = _log(world, code=True)
    login(world.users["connie"])
    page = client.get(f"/innovations/{innovation.pk}/").content.decode()
    assert "Suggested by the coder" in page and "Confirm themes" not in page
    theme = world.framework.themes.get(key="staff-wellbeing")
    assert client.post(f"/innovations/{innovation.pk}/themes/",
                       {"themes": [theme.pk]}).status_code == 403
    assert client.get("/innovations/threads/").status_code == 403
    login(world.users["lena"])
    assert "Confirm themes" in client.get(f"/innovations/{innovation.pk}/").content.decode()
    client.post(f"/innovations/{innovation.pk}/themes/", {"themes": [theme.pk], "revision": 1})
    innovation.refresh_from_db()
    assert innovation.themes_confirmed and list(innovation.themes.all()) == [theme]


def test_golden_threads_pages(world, login, client):
    for title in ("Virtual ward for frailty", "Virtual ward for heart failure",
                  "Virtual ward at night", "Video clinics for diabetes",
                  "Video clinics for asthma", "Video clinics in outpatients"):
        _log(world, title=title, what_changed=title + ".")
    login(world.users["lena"])
    region = world.orgs["region"].pk
    page = client.get(f"/innovations/threads/?organisation={region}").content.decode()
    assert "6 innovations in no thread" in page
    client.post("/innovations/threads/suggest/", {"organisation": region})
    page = client.get(f"/innovations/threads/?organisation={region}").content.decode()
    assert "Virtual ward" in page and "Video clinics" in page and "Suggested" in page
    thread = world.orgs["region"].golden_threads.get(name="Virtual ward")
    response = client.post(f"/innovations/threads/{thread.pk}/",
                           {"name": "", "revision": thread.revision})
    assert "Enter a name for the golden thread" in response.content.decode()
    client.post(f"/innovations/threads/{thread.pk}/", {"name": "Care at home", "confirm": "yes",
                                                      "revision": thread.revision})
    thread.refresh_from_db()
    assert thread.name == "Care at home" and thread.confirmed
    video = world.orgs["region"].golden_threads.get(name="Video clinics")
    client.post(f"/innovations/threads/{video.pk}/dissolve/")
    assert not world.orgs["region"].golden_threads.filter(pk=video.pk).exists()
    login(world.users["connie"])
    assert client.get(f"/innovations/threads/{thread.pk}/").status_code == 403


def test_exports_carry_what_is_shown(world, login, client):
    _log(world, title="=HYPERLINK(1)")
    _log(world, title="Second")
    login(world.users["lena"])
    rows = list(csv.reader(io.StringIO(
        client.get("/innovations/export.csv?q=second").content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Id", "Organisation"] and [r[4] for r in rows[1:]] == ["Second"]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/innovations/export.xlsx").content))
    titles = [row[4] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == ["'=HYPERLINK(1)", "Second"]


def _upload(client, name, data):
    return client.post("/innovations/import/", {"file": _file(name, data)})


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("name, data, message", [
    ("empty.csv", b"", "The selected file is empty"),
    ("notes.docx", b"PK..", "must be a CSV file (.csv) or an Excel workbook"),
])
def test_import_refuses_unusable_uploads(world, login, client, name, data, message):
    login(world.users["connie"])
    assert message in _upload(client, name, data).content.decode()


def test_import_preview_then_all_or_nothing(world, login, client):
    login(world.users["connie"])
    bad = _upload(client, "log.csv", b"Organisation,Title,Started\nAGH,Ward,soon\n,Hub,\n")
    preview = client.get(bad["Location"]).content.decode()
    assert "Row 2: “soon” is not a date" in preview and "Row 3: no organisation" in preview
    assert "Import 2 innovations" not in preview
    assert client.post(bad["Location"]).status_code == 200 and not Innovation.objects.exists()
    corrupt = _upload(client, "log.xlsx", b"PK\x03\x04 not really a workbook")
    assert "could not be read" in client.get(corrupt["Location"]).content.decode()
    book = openpyxl.Workbook()
    book.active.append(["Trust", "Team", "Name of innovation", "Description", "Date started"])
    book.active.append(["Ashby General", "Outpatients", "Video clinics", "By video", "03/2024"])
    out = io.BytesIO()
    book.save(out)
    good = _upload(client, "log.xlsx", out.getvalue())
    preview = client.get(good["Location"]).content.decode()
    assert "Import 1 innovation" in preview and "Business unit" in preview
    login(world.users["colin"])  # another user's token finds nothing
    assert client.get(good["Location"]).status_code == 404
    login(world.users["connie"])
    done = client.post(good["Location"])
    assert done["Location"] == "/innovations/import/done/"
    assert "1 innovation from log.xlsx" in client.get(done["Location"]).content.decode()
    made = Innovation.objects.get()
    assert made.source == "import" and made.unit == "Outpatients"
    assert client.get(good["Location"]).status_code == 404  # the staged file is gone


def test_a_large_register_is_grouped_in_the_background(world, login, client, monkeypatch):
    for n in range(5):
        _log(world, title=f"Virtual ward {n}")
    monkeypatch.setattr(thread_actions, "SYNC_SUGGESTIONS", 3)
    queued, real = [], thread_actions.suggest_golden_threads_task

    class Task:
        @staticmethod
        def enqueue(*args):
            queued.append(args)

    monkeypatch.setattr(thread_actions, "suggest_golden_threads_task", Task)
    login(world.users["lena"])
    region = world.orgs["region"]
    response = client.post("/innovations/threads/suggest/", {"organisation": region.pk},
                           follow=True)
    assert "grouping 5 innovations in the background" in response.content.decode()
    assert queued == [(region.pk, world.users["lena"].pk)]
    assert real.call(*queued[0]) >= 1


def test_edit_keeps_a_review_the_editor_cannot_choose(world, login, client):
    innovation = _log(world, review=world.review)
    login(world.users["connie"])
    form = {**FORM, "organisation": world.orgs["ashby"].pk, "revision": 1}  # no review field
    assert client.post(f"/innovations/{innovation.pk}/edit/", form).status_code == 302
    innovation.refresh_from_db()
    assert innovation.review == world.review and innovation.title == FORM["title"]
    assert client.post(f"/innovations/{innovation.pk}/thread/", {"thread": ""}).status_code == 403


def test_a_column_read_wrongly_is_chosen_on_the_preview(world, login, client):
    login(world.users["connie"])
    staged = _upload(client, "log.csv", b"Trust,Initiative,Notes\nAGH,Video clinics,x\n")
    preview = client.get(staged["Location"]).content.decode()
    assert "No column for title" in preview and 'name="column-1"' in preview
    both = client.get(staged["Location"] + "?column-1=title&column-2=title").content.decode()
    assert "Two columns are read as title: “Initiative” and “Notes”; choose one" in both
    chosen = client.get(staged["Location"] + "?column-1=title").content.decode()
    assert "Import 1 innovation" in chosen and 'type="hidden" name="column-1" value="title"' in chosen
    done = client.post(staged["Location"], {"column-0": "organisation", "column-1": "title",
                                            "column-2": ""})
    assert done.status_code == 302
    assert Innovation.objects.get().title == "Video clinics"


def test_the_organisation_filter_offers_only_what_the_user_sees(world, login, client):
    _log(world)
    login(world.users["connie"])
    page = client.get("/innovations/").content.decode()
    assert "Ashby General Hospital NHS Foundation Trust (1)" in page
    assert "Northfold Integrated Care System (1)" not in page and "Wessex Vale" not in page
    login(world.users["lena"])
    page = client.get("/innovations/").content.decode()
    assert "Northfold Integrated Care System (1)" in page and "Wessex Vale Region (1)" in page


def test_findings_are_linked_from_what_the_user_may_see(world, login, client):
    innovation = _log(world)
    login(world.users["connie"])
    page = client.get(f"/innovations/{innovation.pk}/findings/").content.decode()
    assert "Video consultations replaced" in page and "DRAFT-ONLY" not in page
    video = world.findings["ashby"][0]
    client.post(f"/innovations/{innovation.pk}/findings/", {"findings": [video.pk]})
    assert list(innovation.findings.all()) == [video]
    shown = client.get(f"/innovations/{innovation.pk}/").content.decode()
    assert "Video consultations replaced" in shown
    login(world.users["colin"])  # not Ashby's
    assert client.get(f"/innovations/{innovation.pk}/findings/").status_code == 404
    login(world.users["vera"])
    assert client.get(f"/innovations/{innovation.pk}/").status_code == 404
    login(world.users["connie"])
    client.post(f"/innovations/{innovation.pk}/findings/", {})
    assert not innovation.findings.exists()


def test_what_the_register_keeps_moves_on_with_every_change(world, login, client):
    """The filter choices and the list are kept per scope and data version: a new
    innovation and a decision show at once, in the list and in the choices' counts."""
    from stocktake.track.actions import evaluation as ev

    login(world.users["lena"])
    _log(world, title="Ashby's ward")
    first = client.get("/innovations/").content.decode()
    assert "1 innovation" in first and "Retain (" not in first
    made = _log(world, title="Second ward")
    page = client.get("/innovations/").content.decode()
    assert "2 innovations" in page and "Second ward" in page
    assert f"{world.orgs['ashby'].name} (2)" in page
    ev.decide(innovation=made, outcome="retain", rationale="It works.", by=world.users["lena"])
    page = client.get("/innovations/?outcome=retain").content.decode()
    assert "Retain (1)" in page and "1 innovation matches the filters" in page
    assert "Second ward" in page and "Ashby&#39;s ward" not in page
    # Connie (a contributor for Ashby) has her own scope, kept apart from Lena's.
    login(world.users["colin"])
    assert "0 innovations" in client.get("/innovations/").content.decode()

"""The report's writing pages: who may open them, narratives (sanitised, never overwritten),
summary observations and evidence, all through forms that work without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.report.actions import builder
from stocktake.report.models import EvidenceQuote, ReportText, SummaryObservation, TextKind
from stocktake.reviews.models import Participant
from tests.report import conftest as report_fixtures
from tests.report.codes import human

# The report tests' fixtures: the world coded to themes, and a review of five systems.
coded, domains, themes = report_fixtures.coded, report_fixtures.domains, report_fixtures.themes
five_systems = report_fixtures.five_systems

BASE = "/reviews/winter-2025/report/write/"
THEME = BASE + "theme/technology/"


def _revision(html: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', html).group(1)


@pytest.mark.parametrize("name", ["connie", "colin", "owen", "vera", "sam"])
def test_only_leads_and_reviewers_may_write(coded, login, name):
    client = login(coded.users[name])
    for url in (BASE, BASE + "summary/", BASE + "method/", THEME, THEME + "evidence/"):
        assert client.get(url).status_code == 404, url
    response = client.post(THEME, {"source": "Mine", "revision": "0"})
    assert response.status_code == 404
    assert not ReportText.objects.exists()


def test_a_reviewer_writes_a_theme_narrative(coded, login):
    client = login(coded.users["ravi"])
    index = client.get(BASE)
    assert index.status_code == 200
    html = index.content.decode()
    assert 'href="/reviews/winter-2025/report/write/theme/technology/"' in html
    assert "Suggested by the report" in html and "Not written" in html
    page = client.get(THEME).content.decode()
    assert "What the report says itself" in page and "coded to this theme" in page
    assert "Markdown" in page  # the formatting hint
    response = client.post(THEME, {"source": "Video **stayed**.", "revision": _revision(page)})
    assert response.status_code == 302 and response["Location"] == THEME
    text = ReportText.objects.get(kind=TextKind.THEME, theme__key="technology")
    assert text.html == "<p>Video <strong>stayed</strong>.</p>" and text.updated_by.username == "ravi"
    after = client.get(THEME).content.decode()
    assert "The narrative for Using technology to improve care delivery saved." in after
    assert "Written" in client.get(BASE).content.decode()


def test_scripts_and_javascript_links_never_reach_a_page_as_markup(coded, login):
    client = login(coded.users["lena"])
    source = ('<script>alert("x")</script> [click](javascript:alert(1)) '
              '<img src=x onerror=alert(2)> [ok](https://www.nhs.uk)')
    client.post(THEME, {"source": source, "revision": "0"})
    client.post(BASE + "summary/", {"source": source, "revision": "0"})
    for url in (THEME, BASE + "summary/", "/reviews/winter-2025/report/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert 'href="javascript:' not in html and "onerror=alert" not in html.replace(
            "onerror=alert(2)&gt;", ""), url
        assert "<img src=x" not in html, url
    # As typed, it is shown escaped in the box for editing.
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get(THEME).content.decode()


def test_an_edit_conflict_keeps_my_text_and_shows_theirs(coded, login, themes):
    lena = login(coded.users["lena"])
    loaded = _revision(lena.get(THEME).content.decode())
    builder.save_report_text(review=coded.review, kind=TextKind.THEME, theme=themes["technology"],
                             source="Ravi's **version**.", by=coded.users["ravi"],
                             expected_revision=0)
    response = lena.post(THEME, {"source": "Lena's draft.", "revision": loaded})
    assert response.status_code == 409
    html = response.content.decode()
    assert "There is a problem" in html and "Someone else saved this text" in html
    assert html.index("There is a problem") < html.index("<h1")
    assert re.search(r"<textarea[^>]*>\s*Lena&#39;s draft.</textarea>", html)
    assert "The version Ravi Reviewer saved" in html and re.search(r"Ravi(&#39;|')s <strong>version</strong>\.", html)
    assert ReportText.objects.get(theme__key="technology").source == "Ravi's **version**."
    # Having seen theirs, saving again (with their revision) replaces it.
    again = lena.post(THEME, {"source": "Merged.", "revision": _revision(html)})
    assert again.status_code == 302
    assert ReportText.objects.get(theme__key="technology").source == "Merged."
    assert lena.post(THEME, {"source": "No revision"}).status_code == 400
    # A refused save keeps the revision it was loaded at, so a later one is still checked.
    current = _revision(lena.get(THEME).content.decode())
    builder.save_report_text(review=coded.review, kind=TextKind.THEME, theme=themes["technology"],
                             source="Ravi again.", by=coded.users["ravi"])
    too_long = lena.post(THEME, {"source": "x" * 50_001, "revision": current})
    assert too_long.status_code == 400 and _revision(too_long.content.decode()) == current
    assert lena.post(THEME, {"source": "Shorter.", "revision": current}).status_code == 409


def test_choose_evidence_search_use_move_and_remove(coded, login):
    client = login(coded.users["lena"])
    video, hubs, _data = coded.findings["ashby"]
    listing = client.get(THEME + "evidence/", {"q": "video"}).content.decode()
    assert "1 finding containing" in listing and "Video consultations" in listing
    assert f'href="/reviews/winter-2025/findings/{video.pk}/"' in listing
    assert client.get(THEME + "evidence/", {"q": "nothing like it"}).content.decode().count(
        "Use as evidence") == 0
    challenges = client.get(THEME + "evidence/", {"polarity": "challenge"}).content.decode()
    assert "0 findings, challenges only." in challenges
    response = client.post(THEME + "evidence/", {"finding": video.pk, "q": "video",
                                                 "polarity": "achievement"})
    assert response.status_code == 302
    assert response["Location"].endswith("evidence/?q=video&polarity=achievement")
    assert "Chosen as evidence" in client.get(THEME + "evidence/").content.decode()
    (draft,) = coded.findings["bracken"]
    refused = client.post(THEME + "evidence/", {"finding": draft.pk}, follow=True)
    assert f"Finding {draft.pk} is not a submitted finding you can see" in refused.content.decode()
    builder.choose_quote(review=coded.review, theme=video.codes.first().theme, finding=hubs,
                         by=coded.users["lena"])
    page = client.get(THEME).content.decode()
    assert page.index("Video consultations") < page.index("Staff rest hubs")
    second = EvidenceQuote.objects.get(finding=hubs)
    client.post(THEME + f"evidence/{second.pk}/move/", {"direction": "up"})
    assert [q.finding_id for q in EvidenceQuote.objects.order_by("position")] == [hubs.pk, video.pk]
    client.post(THEME + f"evidence/{second.pk}/remove/")
    assert list(EvidenceQuote.objects.values_list("finding_id", flat=True)) == [video.pk]
    assert client.get(THEME + f"evidence/{second.pk}/remove/").status_code == 405


def test_keep_the_suggested_quotes(coded, login):
    client = login(coded.users["ravi"])
    page = client.get(THEME).content.decode()
    assert "Keep these as the evidence" in page
    ids = re.findall(r'name="finding" value="(\d+)"', page)
    assert ids
    client.post(THEME + "evidence/keep/", {"finding": ids})
    assert [str(i) for i in EvidenceQuote.objects.values_list("finding_id", flat=True)] == ids
    assert "Keep these as the evidence" not in client.get(THEME).content.decode()
    (draft,) = coded.findings["bracken"]
    client.post(BASE + "theme/staff-wellbeing/evidence/keep/", {"finding": [draft.pk]})
    assert EvidenceQuote.objects.count() == len(ids)


def test_summary_observations_draft_add_change_move_delete(five_systems, world, login, themes):
    client = login(world.users["lena"])
    base = "/reviews/five-systems/report/write/summary/"
    client.post(base + "draft/")
    drafted = list(SummaryObservation.objects.filter(review=five_systems))
    assert [o.theme.key for o in drafted] == ["full-system-working", "focus-on-place"]
    page = client.get(base).content.decode()
    assert "Raised in 5 of 5 systems, by 5 organisations" in page
    client.post(base + "draft/")  # nothing new to draft
    assert SummaryObservation.objects.filter(review=five_systems).count() == 2
    empty = client.post(base + "observations/add/", {"text": "  ", "theme": ""})
    assert empty.status_code == 400 and "A summary observation needs its text" in empty.content.decode()
    long = "Partners met weekly. " * 120
    refused = client.post(base + "observations/add/", {"text": long,
                                                       "theme": themes["technology"].pk})
    html = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in html
    assert long.strip() in html  # what was typed is kept, not lost
    assert f'<option value="{themes["technology"].pk}" selected' in html
    assert SummaryObservation.objects.filter(review=five_systems).count() == 2
    client.post(base + "observations/add/", {"text": "Partners met weekly.",
                                             "theme": themes["technology"].pk})
    added = SummaryObservation.objects.get(text="Partners met weekly.")
    assert added.theme.key == "technology"
    client.post(base + f"observations/{added.pk}/move/", {"direction": "up"})
    assert list(SummaryObservation.objects.filter(review=five_systems).values_list(
        "pk", flat=True))[1] == added.pk
    edit = base + f"observations/{added.pk}/"
    loaded = _revision(client.get(edit).content.decode())
    builder.update_summary_observation(observation=added, text="Theirs.", by=world.users["lena"],
                                       expected_revision=added.revision)
    conflict = client.post(edit, {"text": "Mine.", "theme": "", "revision": loaded})
    assert conflict.status_code == 409 and "Theirs." in conflict.content.decode()
    assert "Mine.</textarea>" in conflict.content.decode()
    saved = client.post(edit, {"text": "Mine.", "theme": "",
                               "revision": _revision(conflict.content.decode())})
    assert saved.status_code == 302
    added.refresh_from_db()
    assert added.text == "Mine." and added.theme is None
    confirm = client.get(base + f"observations/{added.pk}/delete/")
    assert "Delete this summary observation?" in confirm.content.decode()
    assert SummaryObservation.objects.filter(pk=added.pk).exists()  # asking deletes nothing
    client.post(base + f"observations/{added.pk}/delete/")
    assert not SummaryObservation.objects.filter(pk=added.pk).exists()
    # Another review's observation is not reachable from this one.
    other = builder.add_summary_observation(review=world.review, text="Elsewhere.",
                                            by=world.users["lena"])
    assert client.get(base + f"observations/{other.pk}/").status_code == 404


def test_method_note_and_unknown_theme(coded, login):
    client = login(coded.users["lena"])
    client.post(BASE + "method/", {"source": "Sessions ran online.", "revision": "0"})
    assert ReportText.objects.get(kind=TextKind.METHOD).html == "<p>Sessions ran online.</p>"
    assert client.get(BASE + "theme/no-such-theme/").status_code == 404


def test_every_form_carries_its_csrf_token(coded, login, themes):
    client = login(coded.users["lena"])
    row = builder.add_summary_observation(review=coded.review, text="One.", by=coded.users["lena"])
    builder.add_summary_observation(review=coded.review, text="Two.", by=coded.users["lena"])
    video = coded.findings["ashby"][0]
    builder.choose_quote(review=coded.review, theme=themes["technology"], finding=video,
                         by=coded.users["lena"])
    summary = BASE + "summary/"
    for url in (summary, BASE + "method/", THEME, BASE + "theme/staff-wellbeing/",
                THEME + "evidence/", summary + f"observations/{row.pk}/",
                summary + f"observations/{row.pk}/delete/"):
        html = client.get(url).content.decode()
        forms = len(re.findall(r'<form[^>]*method="post"', html))
        assert forms and html.count('name="csrfmiddlewaretoken"') == forms, url


def _queries(client, url) -> int:
    client.get(url)  # what a process keeps (the organisation tree) is read once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_theme_and_evidence_pages_do_not_query_per_quote(world, login, themes):
    lena, theme = world.users["lena"], themes["technology"]
    client = login(lena)
    participant = Participant.objects.get(review=world.review, organisation=world.orgs["bracken"])
    submission = collect_actions.create_submission(participant=participant, by=lena)
    new = collect_actions.add_findings(submission=submission, by=lena, findings=[
        NewFinding(f"Video clinic number {n} kept patients at home.") for n in range(12)])
    collect_actions.submit_submission(submission=submission, by=lena)
    for finding in new:
        human(finding, theme, user=lena)
    counts = {}
    for chosen in (1, 12):
        for finding in new[:chosen]:
            builder.choose_quote(review=world.review, theme=theme, finding=finding, by=lena)
        counts[chosen] = (_queries(client, THEME), _queries(client, THEME + "evidence/"))
    assert counts[1] == counts[12]

"""Setting a review up in the browser's pages (without JavaScript): create a review with
its own framework, edit the framework, participants, members and the workflow."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stocktake.assess.actions import confirm_code
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions
from stocktake.reviews.models import Membership, Participant, Review, Role, Theme

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_staff_create_a_review_with_its_own_copy_of_the_framework(world, login):
    client = login(world.users["ada"])
    page = client.get("/")
    assert "Create a review" in page.content.decode()
    response = client.post(
        "/reviews/new/",
        {
            "title": "Spring 2026 review",
            "slug": "",
            "scope": "Discharge",
            "framework": "default",
            "region": world.orgs["region"].pk,
            "opens_on": "2026-03-01",
            "closes_on": "2026-04-01",
            "reflection_by": "2026-05-01",
            "report_due_on": "2026-06-01",
        },
        follow=True,
    )
    review = Review.objects.get(slug="spring-2026-review")
    assert response.redirect_chain[-1][0] == "/reviews/spring-2026-review/setup/"
    assert "You are its lead" in response.content.decode()
    assert review.framework_id != world.framework.pk
    assert review.framework.themes.count() == world.framework.themes.count()
    assert review.reflection_by.isoformat() == "2026-05-01"
    assert Membership.objects.filter(
        review=review, user=world.users["ada"], role=Role.LEAD
    ).exists()


def test_copy_of_another_reviews_framework_and_errors(world, login):
    client = login(world.users["lena"])  # a lead of another review may create one
    response = client.post(
        "/reviews/new/",
        {
            "title": "Winter again",
            "slug": "winter-2025",
            "framework": str(world.framework.pk),
            "opens_on": "2026-04-01",
            "closes_on": "2026-03-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "A review with the web address" in body or "cannot close before" in body
    response = client.post(
        "/reviews/new/",
        {"title": "Winter again", "framework": str(world.framework.pk)},
        follow=True,
    )
    review = Review.objects.get(slug="winter-again")
    assert list(review.framework.themes.values_list("key", flat=True)) == list(
        world.framework.themes.values_list("key", flat=True)
    )


def test_who_may_create_a_review(world, login):
    for name, status in [("ravi", 403), ("connie", 403), ("sam", 403)]:
        assert login(world.users[name]).get("/reviews/new/").status_code == status, name
    assert login(world.users["lena"]).get("/reviews/new/").status_code == 200


def _new_review(client, slug="set-up"):
    client.post("/reviews/new/", {"title": "Set up", "slug": slug, "framework": "default"})
    return Review.objects.get(slug=slug)


def test_framework_editor_add_edit_move_retire_delete(world, login):
    client = login(world.users["ada"])
    review = _new_review(client)
    base = f"/reviews/{review.slug}/setup/framework/"
    assert client.get(base).status_code == 200
    revision = review.framework.revision
    response = client.post(
        base + "theme/add/",
        {
            "name": "Digital inclusion",
            "description": "Access to digital services",
            "keywords": "digital exclusion\nbroadband, devices",
            "revision": revision,
        },
        follow=True,
    )
    assert "Theme “Digital inclusion” added." in response.content.decode()
    theme = Theme.objects.get(framework=review.framework, name="Digital inclusion")
    assert theme.key == "digital-inclusion"
    assert theme.keywords == ["digital exclusion", "broadband", "devices"]
    # An edit from the page as it was before the add is refused, nothing saved.
    response = client.post(
        base + f"theme/{theme.pk}/", {"name": "Digital", "revision": revision}, follow=True
    )
    assert "changed by someone else" in response.content.decode()
    theme.refresh_from_db()
    assert theme.name == "Digital inclusion"
    framework = review.framework
    framework.refresh_from_db()
    response = client.post(
        base + f"theme/{theme.pk}/up/", {"revision": framework.revision}, follow=True
    )
    assert "moved up" in response.content.decode()
    keys = list(framework.themes.order_by("position", "id").values_list("key", flat=True))
    assert keys.index("digital-inclusion") == len(keys) - 2
    framework.refresh_from_db()
    response = client.post(
        base + f"theme/{theme.pk}/delete/", {"revision": framework.revision}, follow=True
    )
    assert "deleted" in response.content.decode()
    assert not Theme.objects.filter(pk=theme.pk).exists()
    # The other review's framework is untouched.
    assert not world.framework.themes.filter(key="digital-inclusion").exists()


def test_a_theme_in_use_is_retired_not_deleted(world, login):
    client = login(world.users["lena"])
    review = world.review
    # The winter review's framework is its own (no other review shares it).
    theme = world.framework.themes.first()
    finding = world.findings["ashby"][0]
    confirm_code(finding=finding, theme=theme, by=world.users["ravi"], applies=True)
    base = f"/reviews/{review.slug}/setup/framework/"
    page = client.get(base).content.decode()
    assert "Retire<span" in page
    world.framework.refresh_from_db()
    response = client.post(
        base + f"theme/{theme.pk}/delete/", {"revision": world.framework.revision}, follow=True
    )
    assert "retire it instead" in response.content.decode()
    response = client.post(
        base + f"theme/{theme.pk}/retire/", {"revision": world.framework.revision}, follow=True
    )
    assert "retired" in response.content.decode()
    theme.refresh_from_db()
    assert theme.retired and theme.codes.exists()


def test_framework_import_and_export(world, login):
    client = login(world.users["ada"])
    review = _new_review(client)
    base = f"/reviews/{review.slug}/setup/framework/"
    exported = client.get(base + "framework.yaml")
    assert exported["Content-Disposition"].endswith('set-up-framework.yaml"')
    text = exported.content.decode()
    assert "themes:" in text
    bad = SimpleUploadedFile(
        "mine.yaml", b"name: Mine\nthemes:\n  - key: a\n    name: A\n  - key: a\n    name: B\n"
    )
    response = client.post(base + "import/", {"file": bad, "revision": review.framework.revision})
    body = response.content.decode()
    assert "mine.yaml:5: duplicate theme key" in body
    # Every problem of a file is listed, each with its line.
    worse = SimpleUploadedFile(
        "worse.yaml",
        b"name: Mine\ndomains:\n  - key: d\nthemes:\n"
        b"  - name: A\n  - key: b\n    name: B\n"
        b"    keywords: 3\n",
    )
    body = client.post(
        base + "import/", {"file": worse, "revision": review.framework.revision}
    ).content.decode()
    for problem in (
        "worse.yaml:3: domains entry 1 has no &#39;name&#39;",
        "worse.yaml:5: themes entry 1 has no &#39;key&#39;",
        "worse.yaml:6: keywords of &#39;b&#39; must be a list",
    ):
        assert problem in body, problem
    good = SimpleUploadedFile(
        "mine.yaml",
        b"name: Mine\ndomains:\n  - key: d\n    name: D\n"
        b"themes:\n  - key: a\n    name: A\n    keywords: [x]\n",
    )
    response = client.post(
        base + "import/", {"file": good, "revision": review.framework.revision}, follow=True
    )
    assert "Framework imported from mine.yaml" in response.content.decode()
    assert list(review.framework.themes.values_list("key", flat=True)) == ["a"]
    assert list(review.framework.domains.values_list("key", flat=True)) == ["d"]


def test_participants_search_bulk_add_and_remove(world, login):
    client = login(world.users["ada"])
    review = _new_review(client)
    review.region = world.orgs["region"]
    base = f"/reviews/{review.slug}/setup/participants/"
    found = client.get(base, {"q": "AGH"}).content.decode()
    assert "Ashby General Hospital NHS Foundation Trust" in found
    response = client.post(base + "add/", {"organisation": [world.orgs["ashby"].pk]}, follow=True)
    assert "1 organisation added" in response.content.decode()
    response = client.post(
        base + "add/", {"system": world.orgs["eastmarsh"].pk, "with_system": "1"}, follow=True
    )
    assert "2 organisations added" in response.content.decode()
    participant = Participant.objects.get(review=review, organisation=world.orgs["ashby"])
    assert "Remove Ashby" in client.get(
        base + f"{participant.pk}/remove/"
    ).content.decode().replace("?", "")
    response = client.post(base + f"{participant.pk}/remove/", follow=True)
    assert "no longer takes part" in response.content.decode()
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_a_participant_that_submitted_cannot_be_removed(world, login):
    client = login(world.users["lena"])
    participant = Participant.objects.get(review=world.review, organisation=world.orgs["ashby"])
    url = f"/reviews/{world.review.slug}/setup/participants/{participant.pk}/remove/"
    assert "stays a participant" in client.get(url).content.decode()
    client.post(url)
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_members_add_by_email_change_role_and_remove(world, login):
    client = login(world.users["lena"])
    base = f"/reviews/{world.review.slug}/setup/members/"
    response = client.post(
        base,
        {"who": "nadia@example.nhs.uk", "full_name": "Nadia New", "role": "reviewer"},
        follow=True,
    )
    assert "Nadia New added as reviewer" in response.content.decode()
    membership = Membership.objects.get(review=world.review, user__email="nadia@example.nhs.uk")
    response = client.post(base, {"who": "x@example.nhs.uk", "role": "contributor"})
    assert "Choose the organisation they speak for" in response.content.decode()
    response = client.post(base, {"who": "Vera", "role": "reviewer"}, follow=True)
    assert "Vera Viewer added as reviewer" in response.content.decode()
    response = client.post(base, {"who": "nobody", "role": "reviewer"})
    assert "There is no account called" in response.content.decode()
    response = client.post(
        base + f"{membership.pk}/",
        {"role": "action_owner", "organisation": world.orgs["ashby"].pk},
        follow=True,
    )
    assert "Role changed" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "action_owner"
    response = client.post(base + f"{membership.pk}/remove/", follow=True)
    assert "is no longer action owner" in response.content.decode()
    lead = Membership.objects.get(review=world.review, role="lead")
    response = client.post(base + f"{lead.pk}/remove/", follow=True)
    assert "A review needs a lead" in response.content.decode()
    events = AuditEvent.objects.filter(verb__startswith="member.")
    assert not any("nadia@" in str(e.details) for e in events)


def test_workflow_buttons_say_what_each_step_does(world, login):
    client = login(world.users["ada"])
    review = _new_review(client)
    page = client.get(f"/reviews/{review.slug}/setup/").content.decode()
    assert "Open collection" in page and "personal link" in page
    confirm = client.get(f"/reviews/{review.slug}/setup/status/collecting/")
    assert "What this does" in confirm.content.decode()
    response = client.post(f"/reviews/{review.slug}/setup/status/collecting/", follow=True)
    assert "is now collecting submissions" in response.content.decode()
    # Tracking is reached only by publishing: there is no button for it.
    assert client.get(f"/reviews/{review.slug}/setup/status/tracking/").status_code == 404


def test_set_up_pages_are_for_leads_only(world, login):
    for name in ("ravi", "connie", "vera"):
        client = login(world.users[name])
        for path in ("setup/", "setup/framework/", "setup/members/", "setup/participants/"):
            assert client.get(f"/reviews/{world.review.slug}/{path}").status_code == 403


def test_a_retired_theme_is_not_offered_for_coding(world, login):
    client = login(world.users["lena"])
    theme = world.framework.themes.last()
    finding = world.findings["ashby"][0]
    url = f"/reviews/{world.review.slug}/findings/{finding.pk}/"
    assert f'value="{theme.key}"' in client.get(url).content.decode()
    world.framework.refresh_from_db()
    client.post(
        f"/reviews/{world.review.slug}/setup/framework/theme/{theme.pk}/retire/",
        {"revision": world.framework.revision},
    )
    assert f'value="{theme.key}"' not in client.get(url).content.decode()


def test_reporting_offers_publishing_not_a_tracking_button(world, login):
    lena = world.users["lena"]
    for status in ("assessing", "reporting"):
        actions.change_review_status(review=world.review, status=status, by=lena)
    page = login(lena).get(f"/reviews/{world.review.slug}/setup/").content.decode()
    assert "A review moves to tracking only when its report is published" in page
    assert f'href="/reviews/{world.review.slug}/report/publish/"' in page
    assert "Back to assessing" in page

"""The organisation register's pages, as each persona sees them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stocktake.core.models import AuditEvent
from stocktake.reviews import actions
from stocktake.reviews.models import Organisation
from stocktake.reviews.orgtree import OrgTree
from tests.web.crawl import crawl

REGISTER = "/organisations/"


@pytest.mark.parametrize("name, status", [("ada", 200), ("lena", 200), ("ravi", 200),
                                          ("connie", 200), ("vera", 200), ("sam", 403)])
def test_who_may_read_the_register(world, login, name, status):
    client = login(world.users[name])
    assert client.get(REGISTER).status_code == status
    assert client.get(f"{REGISTER}{world.orgs['ashby'].pk}/").status_code == status
    assert client.get(f"{REGISTER}register.csv").status_code == status


@pytest.mark.parametrize("name, edit, merge", [
    ("ada", 200, 200), ("lena", 200, 403), ("ravi", 403, 403), ("connie", 403, 403),
    ("sam", 403, 403)])
def test_who_may_change_it(world, login, name, edit, merge):
    client = login(world.users[name])
    ashby = world.orgs["ashby"].pk
    assert client.get(f"{REGISTER}new/").status_code == edit
    assert client.get(f"{REGISTER}{ashby}/edit/").status_code == edit
    assert client.get(f"{REGISTER}{ashby}/merge/").status_code == merge
    assert client.get(f"{REGISTER}import/").status_code == merge
    assert client.post(f"{REGISTER}{ashby}/merge/confirm/",
                       {"absorb": world.orgs["bracken"].pk}).status_code in (
        (403,) if merge == 403 else (302,))


@pytest.mark.parametrize("name", ["ada", "lena", "ravi", "connie", "colin", "owen", "vera"])
def test_every_register_page_a_persona_is_shown_opens(world, login, name):
    result = crawl(login(world.users[name]), [REGISTER], within=REGISTER)
    assert {url: v.status for url, v in result.visits.items() if v.status != 200} == {}
    assert len(result.visits) >= 6  # the list, five organisations, the CSV …


def test_the_list_shows_the_tree_and_searches_names_acronyms_and_aliases(world, login):
    client = login(world.users["lena"])
    page = client.get(REGISTER).content.decode()
    assert page.index("Wessex Vale Region") < page.index("Northfold Integrated Care System (NICS)")
    found = client.get(REGISTER, {"q": "agh"}).content.decode()
    assert "Ashby General Hospital NHS Foundation Trust (AGH)" in found
    assert "in Wessex Vale Region › Northfold Integrated Care System" in found
    assert "Brackenford" not in found
    assert "Ashby General Hospital" in client.get(REGISTER, {"q": "ashby general"}).content.decode()
    # The page promises that "Full Name (ACR)" finds the organisation too.
    both = client.get(REGISTER, {"q": "Ashby General Hospital NHS Foundation Trust (AGH)"})
    assert "1 organisation matching" in both.content.decode()


def test_the_organisation_page_lists_aliases_children_and_visible_reviews(world, login):
    page = login(world.users["lena"]).get(f"{REGISTER}{world.orgs['northfold'].pk}/")
    text = page.content.decode()
    assert "Northfold ICS" in text  # its alias
    assert "Ashby General Hospital NHS Foundation Trust (AGH)" in text  # below it
    ashby = login(world.users["connie"]).get(f"{REGISTER}{world.orgs['ashby'].pk}/")
    assert "Winter 2025 learning review" in ashby.content.decode()


def test_a_lead_adds_and_edits_an_organisation_by_typing_the_parent(world, login):
    client = login(world.users["lena"])
    response = client.post(f"{REGISTER}new/", {
        "name": "Leeds Community Healthcare NHS Trust (LCH)", "short_name": "",
        "level": "organisation", "kind": "nhs_trust", "parent": "NICS",
        "aliases": "Leeds Community Health\n\n"})
    assert response.status_code == 302
    lch = Organisation.objects.get(name="Leeds Community Healthcare NHS Trust")
    assert (lch.short_name, lch.parent) == ("LCH", world.orgs["northfold"])
    assert OrgTree.load().resolve("Leeds Community Health") == lch
    edit = client.post(f"{REGISTER}{lch.pk}/edit/", {
        "name": lch.name, "short_name": "LCH", "level": "organisation", "kind": "community_trust",
        "parent": "Eastmarsh and Deane ICS", "aliases": ""})
    assert edit.status_code == 302
    lch.refresh_from_db()
    assert (lch.kind, lch.parent, lch.aliases.count()) == (
        "community_trust", world.orgs["eastmarsh"], 0)


def test_a_parent_that_is_not_found_is_one_clear_error_with_the_likely_one(world, login):
    client = login(world.users["lena"])
    response = client.post(f"{REGISTER}new/", {
        "name": "Somewhere Surgery", "level": "organisation", "kind": "gp_practice",
        "parent": "Northfold Integrated Care Systm"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is no organisation called “Northfold Integrated Care Systm” for the parent. " \
           "Did you mean Northfold Integrated Care System?" in text
    assert 'href="#parent"' in text
    assert not Organisation.objects.filter(name="Somewhere Surgery").exists()


def test_merge_shows_what_moves_then_merges(world, login):
    client = login(world.users["ada"])
    other = actions.create_organisation(name="Ashby General Hospital", level="organisation",
                                        parent=world.orgs["northfold"], by=world.users["ada"])
    actions.add_participant(review=world.review, organisation=other, by=world.users["ada"])
    ashby = world.orgs["ashby"].pk
    confirm = client.get(f"{REGISTER}{ashby}/merge/", {"other": "Ashby General Hospital"})
    text = confirm.content.decode()
    assert "Merge Ashby General Hospital into Ashby General Hospital NHS Foundation Trust" in text
    assert "1 review participations" in text
    response = client.post(f"{REGISTER}{ashby}/merge/confirm/", {"absorb": other.pk})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(verb="organisation.merged").count() == 1


def test_merge_with_itself_is_refused_on_the_confirmation_page(world, login):
    client = login(world.users["ada"])
    ashby = world.orgs["ashby"].pk
    text = client.get(f"{REGISTER}{ashby}/merge/", {"other": "AGH"}).content.decode()
    assert "These cannot be merged: An organisation cannot be merged with itself." in text
    assert "organisation_merge_confirm" not in text and "/merge/confirm/" not in text


def test_register_download_and_upload(world, login):
    client = login(world.users["ada"])
    download = client.get(f"{REGISTER}register.csv")
    assert download["Content-Type"].startswith("text/csv")
    body = download.content.decode()
    assert body.startswith("name,acronym,level,type,parent,aliases\n")
    new = body + "Gullhaven Surgery,,organisation,gp_practice,NICS,\n"
    response = client.post(f"{REGISTER}import/", {
        "file": SimpleUploadedFile("register.csv", new.encode())})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Gullhaven Surgery").exists()
    bad = "name,level\nOne,regin\nTwo,orgnisation\n"
    page = client.post(f"{REGISTER}import/", {
        "file": SimpleUploadedFile("bad.csv", bad.encode())}).content.decode()
    assert "Nothing was imported." in page
    assert "Row 2: Unknown organisation level" in page and "Row 3: Unknown organisation level" in page
    assert not Organisation.objects.filter(name="One").exists()
    wrong = client.post(f"{REGISTER}import/", {
        "file": SimpleUploadedFile("register.xlsx", b"PK")}).content.decode()
    assert "must be a CSV file" in wrong


def test_a_refusal_links_to_the_field_it_is_about(world, login):
    client = login(world.users["lena"])
    northfold = world.orgs["northfold"]
    page = client.post(f"{REGISTER}{northfold.pk}/edit/", {
        "name": northfold.name, "short_name": "NICS", "level": "unit", "kind": "ics",
        "parent": "Wessex Vale Region", "aliases": ""}).content.decode()
    assert 'href="#level"' in page and "sits below it" in page
    page = client.post(f"{REGISTER}new/", {
        "name": "Northfold Integrated Care System", "level": "system", "kind": "ics",
        "parent": "Wessex Vale Region"}).content.decode()
    assert 'href="#name"' in page and "already an organisation called" in page


def test_a_possible_duplicate_is_offered_to_administrators_with_its_merge(world, login):
    dup = actions.create_organisation(name="Ashby General Hospital NHS Trust", level="organisation",
                                      parent=world.orgs["eastmarsh"], by=world.users["ada"])
    ashby = world.orgs["ashby"].pk
    page = login(world.users["ada"]).get(f"{REGISTER}{ashby}/").content.decode()
    assert "Possibly the same organisation" in page
    assert f"/organisations/{ashby}/merge/?absorb={dup.pk}" in page
    confirm = login(world.users["ada"]).get(f"{REGISTER}{ashby}/merge/", {"absorb": dup.pk})
    assert "Merge Ashby General Hospital NHS Trust into Ashby General Hospital NHS Foundation " \
           "Trust" in confirm.content.decode()
    lena_page = login(world.users["lena"]).get(f"{REGISTER}{ashby}/").content.decode()
    assert "Possibly the same organisation" not in lena_page  # she may not merge


def test_similar_to_skips_the_organisation_itself_and_its_own_branch(world):
    tree = OrgTree.load()
    assert tree.similar_to(world.orgs["ashby"].pk) is None
    assert tree.similar_to(world.orgs["northfold"].pk) is None


@pytest.mark.parametrize("name, sees", [("lena", True), ("ravi", True), ("connie", True),
                                        ("colin", False)])
def test_an_organisations_page_lists_its_approaches_per_review_as_each_may_see_them(
        world, login, name, sees):
    from stocktake.collect.actions import record_approach
    record_approach(review=world.review, organisation=world.orgs["ashby"], by=world.users["lena"],
                    text="We held three learning huddles.\nThen a staff survey.",
                    source_location="Table 1, row 2")
    response = login(world.users[name]).get(f"{REGISTER}{world.orgs['ashby'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ("How it went about its learning in Winter 2025 learning review" in html) is sees
    assert ("<p>We held three learning huddles.</p><p>Then a staff survey.</p>" in html) is sees
    assert ("From Table 1, row 2" in html) is sees

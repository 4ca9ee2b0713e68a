"""The upload preview promises what the import does: the same names, the same organisations."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from stocktake.collect import importers, staging
from stocktake.collect.models import Finding
from stocktake.report.importing import import_document
from stocktake.reviews.models import Organisation

ROWS = [
    # (organisation as the file names it, its system)
    ("Ashby General Hospital NHS Foundation Trust (AGH)", "Northfold ICS"),  # Full Name (ACR)
    ("BCS", "Eastmarsh and Deane ICS"),  # acronym (short name)
    ("Ashby General", ""),  # alias, no system
    ("Northfold ICS", ""),  # a system's alias, named as an organisation
    ("Brand New Hospice", "Northfold ICS"),  # not in the register: created
    ("Brand New Hospice (BNH)", "Northfold ICS"),  # … and then found by its full name
    ("Gullhaven Care Collective", "Gullhaven ICS"),  # new organisation in a new system
]


def _csv() -> bytes:
    lines = ["Organisation,System,Domain,Type,Finding"]
    for number, (name, system) in enumerate(ROWS, start=1):
        lines.append(f'"{name}","{system}",Governance,Challenge,"Statement {number} about rotas."')
    return ("\n".join(lines) + "\n").encode()


def test_preview_and_import_resolve_the_same_names_to_the_same_organisations(world, tmp_path):
    review, lena = world.review, world.users["lena"]
    upload = SimpleUploadedFile("returns.csv", _csv())
    staged = staging.stage([upload], user_id=lena.pk, review_id=review.pk)
    item = staged.files[0]
    domains = list(review.framework.domains.all())
    preview = staging.preview_file(review, staged, item, domains=domains)
    promised = {org.name: org.matched for org in preview.organisations}
    assert set(promised) == {name for name, _ in ROWS}
    before = set(Organisation.objects.values_list("pk", flat=True))

    result = import_document(review=review, path=staged.path(item), by=lena,
                             original_name=item.name)

    extraction = importers.extract(staged.path(item), name=item.name,
                                   domains=[(d.key, d.name) for d in domains])
    named = {f.location: f.organisation for f in extraction.findings}
    imported = {named[f.source_location]: f.organisation
                for f in Finding.objects.filter(source_document=result.document)
                .select_related("organisation")}
    assert set(imported) == set(promised)
    for name, org in imported.items():
        if promised[name] is None:  # the preview said "new organisation, will be added"
            assert org.pk not in before, name
        else:
            assert org.pk in before and org.name == promised[name], name
    # and the cases this test is about came out as they should
    assert imported["Ashby General Hospital NHS Foundation Trust (AGH)"] == world.orgs["ashby"]
    assert imported["Ashby General"] == world.orgs["ashby"]
    assert imported["BCS"] == world.orgs["bracken"]
    assert imported["Northfold ICS"] == world.orgs["northfold"]
    assert imported["Brand New Hospice (BNH)"] == imported["Brand New Hospice"]
    assert promised["Brand New Hospice"] is None and promised["Gullhaven Care Collective"] is None
    assert Organisation.objects.filter(name__startswith="Brand New Hospice").count() == 1
    # every organisation the import created, systems included, was promised, and no more
    added = Organisation.objects.exclude(pk__in=before).select_related("parent")
    assert sorted((o.name, o.level, o.parent.name) for o in added) == sorted(
        (new.name, new.level, new.parent) for new in preview.created)
    assert ("Gullhaven ICS", "system", world.orgs["region"].name) in {
        (new.name, new.level, new.parent) for new in preview.created}


def test_the_preview_page_says_which_organisation_a_name_matches(world, login):
    client = login(world.users["lena"])
    response = client.post("/reviews/winter-2025/upload/",
                           {"files": [SimpleUploadedFile("returns.csv", _csv())]})
    page = client.get(response["Location"]).content.decode()
    assert ("Ashby General Hospital NHS Foundation Trust (AGH) (Northfold ICS): matches "
            "Ashby General Hospital NHS Foundation Trust") in page
    assert "BCS (Eastmarsh and Deane ICS): matches Brackenford Community Services NHS Trust" in page
    assert "Brand New Hospice (Northfold ICS): new organisation, will be added" in page
    assert ("Gullhaven Care Collective (Gullhaven ICS): new organisation, will be added in a "
            "new system, Gullhaven ICS, also added") in page


def test_a_near_name_is_new_in_the_preview_with_its_likely_match_never_applied(world, tmp_path):
    """"Ashby Generel Hospital" (a typo) is not resolved: the preview offers Ashby General
    as likely, and the import creates a new organisation rather than guessing."""
    review, lena = world.review, world.users["lena"]
    text = ("Organisation,System,Domain,Type,Finding\n"
            '"Ashby Generel Hospital NHS Foundation Trust","Northfold ICS",Governance,Challenge,'
            '"Rotas were rebuilt weekly."\n')
    staged = staging.stage([SimpleUploadedFile("typo.csv", text.encode())], user_id=lena.pk,
                           review_id=review.pk)
    item = staged.files[0]
    preview = staging.preview_file(review, staged, item,
                                   domains=list(review.framework.domains.all()))
    [org] = preview.organisations
    assert (org.matched, org.likely_match) == (
        None, "Ashby General Hospital NHS Foundation Trust")
    [new] = preview.created
    assert new.likely_match == "Ashby General Hospital NHS Foundation Trust"
    import_document(review=review, path=staged.path(item), by=lena, original_name=item.name)
    assert Organisation.objects.filter(name="Ashby Generel Hospital NHS Foundation Trust").exists()


def test_full_name_with_acronym_is_planned_and_created_as_name_and_acronym(world):
    review, lena = world.review, world.users["lena"]
    text = ("Organisation,System,Domain,Type,Finding\n"
            '"Leeds Community Healthcare NHS Trust (LCH)","Northfold ICS",Governance,Challenge,'
            '"Rotas were rebuilt weekly."\n'
            '"LCH","Northfold ICS",People,Achievement,"Staff stayed."\n')
    staged = staging.stage([SimpleUploadedFile("lch.csv", text.encode())], user_id=lena.pk,
                           review_id=review.pk)
    item = staged.files[0]
    preview = staging.preview_file(review, staged, item,
                                   domains=list(review.framework.domains.all()))
    assert [(n.name, n.level) for n in preview.created] == [
        ("Leeds Community Healthcare NHS Trust", "organisation")]
    import_document(review=review, path=staged.path(item), by=lena, original_name=item.name)
    lch = Organisation.objects.get(name="Leeds Community Healthcare NHS Trust")
    assert lch.short_name == "LCH"
    assert set(Finding.objects.filter(review=review, text__in=["Rotas were rebuilt weekly.",
                                                               "Staff stayed."])
               .values_list("organisation_id", flat=True)) == {lch.pk}


TYPO = ("Organisation,System,Domain,Type,Finding\n"
        '"Ashby Generel Hospital NHS Foundation Trust","Northfold ICS",Governance,Challenge,'
        '"Rotas were rebuilt weekly."\n'
        '"Brand New Hospice","Northfold ICS",People,Achievement,"Volunteers stayed on."\n')
AGH = "Ashby General Hospital NHS Foundation Trust"


def _typo_upload(client):
    from tests.collect.test_web_upload_choices import form_fields

    response = client.post("/reviews/winter-2025/upload/",
                           {"files": [SimpleUploadedFile("typo.csv", TYPO.encode())]})
    url = response["Location"]
    return url, client.get(url).content.decode(), form_fields


def _select(html: str, label_name: str) -> tuple[str, str]:
    """The picker for a name: its field name and its options' HTML."""
    import re

    found = re.search(r'<select[^>]* id="(org-1-\d)" name="[^"]+"[^>]*>(.*?)</select>', html, re.S)
    assert found, "no organisation picker"
    return found.group(1), found.group(2)


def test_a_likely_match_waits_for_a_choice_and_the_suggestion_can_be_taken(world, login):
    client = login(world.users["lena"])
    url, html, form_fields = _typo_upload(client)
    assert "Names that may already be in the register" in html
    field, options = _select(html, "Ashby Generel")
    assert f"{AGH} (suggested: likely the same)" in options
    assert "A new organisation: Ashby Generel Hospital NHS Foundation Trust" in options
    assert '<option value="" selected' in options  # no choice made for the person
    # Confirming without a choice imports nothing and says what to choose, where.
    response = client.post(url + "confirm/", form_fields(html))
    assert response.status_code == 302 and "undecided=1" in response["Location"]
    assert not Organisation.objects.filter(name__startswith="Ashby Generel").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported yet" in page
    assert f"typo.csv: choose what “Ashby Generel Hospital NHS Foundation Trust” is: {AGH}" in page
    assert f'href="#{field}"' in page and "nhsuk-error-message" in page
    # Taking the suggestion: the finding goes to the register's organisation; nothing new.
    suggestion = world.orgs["ashby"].pk
    before = Organisation.objects.count()
    done = client.post(url + "confirm/", form_fields(html) | {field: [str(suggestion)]})
    assert done.status_code == 200 and "Imported typo.csv" in done.content.decode()
    assert Finding.objects.get(text="Rotas were rebuilt weekly.").organisation_id == suggestion
    assert Organisation.objects.count() == before + 1  # Brand New Hospice only


def test_a_likely_match_can_be_refused_for_a_new_organisation(world, login):
    client = login(world.users["lena"])
    url, html, form_fields = _typo_upload(client)
    field, _ = _select(html, "Ashby Generel")
    client.post(url, form_fields(html) | {field: ["new"]})  # Update preview
    html = client.get(url).content.decode()
    _, options = _select(html, "Ashby Generel")
    assert '<option value="new" selected' in options
    assert (f"Ashby Generel Hospital NHS Foundation Trust (Northfold ICS): new organisation, will "
            f"be added (chosen as new rather than {AGH})") in html
    done = client.post(url + "confirm/", form_fields(html))
    assert done.status_code == 200 and "Imported typo.csv" in done.content.decode()
    made = Organisation.objects.get(name="Ashby Generel Hospital NHS Foundation Trust")
    assert Finding.objects.get(text="Rotas were rebuilt weekly.").organisation_id == made.pk


def test_a_likely_match_can_be_another_organisation_of_the_register(world, login):
    client = login(world.users["lena"])
    url, html, form_fields = _typo_upload(client)
    field, _ = _select(html, "Ashby Generel")
    other = world.orgs["bracken"].pk
    done = client.post(url + "confirm/", form_fields(html) | {field: [str(other)]})
    assert done.status_code == 200
    assert Finding.objects.get(text="Rotas were rebuilt weekly.").organisation_id == other


def test_the_command_line_refuses_a_likely_match_until_same_as_or_new_says_which(
        world, tmp_path, monkeypatch):
    from tests.collect.test_import_batches import cli

    monkeypatch.setenv("STOCKTAKE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "typo.csv"
    path.write_text(TYPO)
    slug = world.review.slug
    refused = cli("import", str(path), "--review", slug)
    assert refused.exit_code == 1
    assert (f"“Ashby Generel Hospital NHS Foundation Trust” is probably {AGH} in the organisation "
            "register") in refused.output and "--same-as" in refused.output
    assert not Finding.objects.filter(text="Rotas were rebuilt weekly.").exists()
    bad = cli("import", str(path), "--review", slug, "--same-as", "Ashby Generel")
    assert bad.exit_code == 2 and "NAME IN THE FILE=REGISTER NAME" in bad.output
    unknown = cli("import", str(path), "--review", slug,
                  "--same-as", "Ashby Generel Hospital NHS Foundation Trust=Ashby Genral")
    assert unknown.exit_code == 2 and "did you mean" in unknown.output
    done = cli("import", str(path), "--review", slug,
               "--same-as", "Ashby Generel Hospital NHS Foundation Trust=Ashby General")
    assert done.exit_code == 0, done.output
    assert Finding.objects.get(text="Rotas were rebuilt weekly.").organisation == world.orgs["ashby"]
    assert not Organisation.objects.filter(name__startswith="Ashby Generel").exists()


def test_the_command_line_adds_a_likely_match_as_new_when_told_to(world, tmp_path, monkeypatch):
    from tests.collect.test_import_batches import cli

    monkeypatch.setenv("STOCKTAKE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "typo.csv"
    path.write_text(TYPO)
    done = cli("import", str(path), "--review", world.review.slug,
               "--new", "Ashby Generel Hospital NHS Foundation Trust")
    assert done.exit_code == 0, done.output
    made = Organisation.objects.get(name="Ashby Generel Hospital NHS Foundation Trust")
    assert Finding.objects.get(text="Rotas were rebuilt weekly.").organisation == made

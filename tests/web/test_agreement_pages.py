"""The agreement pages: start an exercise, code blind, results after finishing, reconcile."""

import csv
import io

import pytest
from sklearn.metrics import cohen_kappa_score

from stocktake.assess.agreement.models import AgreementExercise
from stocktake.assess.models import Code, CodeOrigin

AGREEMENT = "/reviews/winter-2025/agreement/"


def start(client, world, **fields):
    data = {"title": "Spring sample", "size": "3", "seed": "5",
            "coders": [str(world.users["lena"].pk), str(world.users["ravi"].pk)]} | fields
    return client.post(AGREEMENT, data)


def code_all(client, exercise, choices):
    """Code the sample in order: ``choices`` is a list of theme-key lists."""
    url = f"{AGREEMENT}{exercise.pk}/code/"
    for item, themes in zip(exercise.items.order_by("position"), choices, strict=True):
        page = client.get(url)
        assert page.status_code == 200
        assert f'name="item" value="{item.pk}"' in page.content.decode()
        answer = client.post(url, {"item": item.pk, "themes": themes, "domain": ""})
        assert answer.status_code == 302


@pytest.mark.parametrize(("persona", "status"), [
    ("lena", 200), ("ravi", 200), ("connie", 403), ("owen", 403), ("vera", 403), ("sam", 404)])
def test_who_may_open_the_agreement_page(world, login, persona, status):
    assert login(world.users[persona]).get(AGREEMENT).status_code == status


def test_only_leads_see_the_start_form_and_may_post_it(world, login):
    ravi = login(world.users["ravi"])
    assert "Start the exercise" not in ravi.get(AGREEMENT).content.decode()
    assert start(ravi, world).status_code == 403
    assert not AgreementExercise.objects.exists()


def test_start_form_errors_are_named(world, login):
    lena = login(world.users["lena"])
    answer = start(lena, world, size="abc", coders=[str(world.users["lena"].pk)], title="")
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "There is a problem" in html
    for message in ["Enter a title", "Sample size must be a whole number", "Choose at least two"]:
        assert message in html
    answer = start(lena, world, size="50")
    assert answer.status_code == 400
    assert "larger than the review" in answer.content.decode()
    assert "3 submitted findings" in answer.content.decode()


def test_blind_coding_then_results_disagreements_and_reconciling(world, login, client):
    lena = login(world.users["lena"])
    assert start(lena, world).status_code == 302
    exercise = AgreementExercise.objects.get()
    lena_choices = [["technology"], ["staff-wellbeing"], ["regional-relationship"]]
    ravi_choices = [["technology"], ["staff-wellbeing", "technology"], []]
    code_all(lena, exercise, lena_choices)
    # lena finished: she sees results; ravi has not started: the exercise page keeps them hidden
    client.logout()
    ravi = login(world.users["ravi"])
    page = ravi.get(f"{AGREEMENT}{exercise.pk}/").content.decode()
    assert "results stay hidden" in page and "Cohen" not in page
    assert ravi.get(f"{AGREEMENT}{exercise.pk}/disagreements/").status_code == 302
    assert ravi.get(f"{AGREEMENT}{exercise.pk}/results.csv").status_code == 302
    # the coding page shows nothing of lena's choices or the machine's
    first = ravi.get(f"{AGREEMENT}{exercise.pk}/code/").content.decode()
    assert first.count(" checked") == 2 and "value=\"\" checked" in first  # "Not decided", the keys box
    code_all(ravi, exercise, ravi_choices)
    page = ravi.get(f"{AGREEMENT}{exercise.pk}/").content.decode()
    assert "Cohen" in page and "kappa" in page and "All themes" in page, page[page.find('<h2>Results'):][:800]
    export = ravi.get(f"{AGREEMENT}{exercise.pk}/results.csv")
    rows = {r["theme"]: r for r in csv.DictReader(io.StringIO(export.content.decode()))}
    tech = cohen_kappa_score([1, 0, 0], [1, 1, 0])
    assert float(rows["technology"]["cohen_kappa"]) == pytest.approx(tech, abs=1e-4)
    disagreements = ravi.get(f"{AGREEMENT}{exercise.pk}/disagreements/").content.decode()
    items = list(exercise.items.order_by("position"))
    assert f'id="item-{items[1].pk}"' in disagreements
    assert f'id="item-{items[0].pk}"' not in disagreements
    answer = ravi.post(f"{AGREEMENT}{exercise.pk}/items/{items[1].pk}/reconcile/",
                       {"themes": ["staff-wellbeing"]})
    assert answer.status_code == 302
    human = dict(Code.objects.filter(finding=items[1].finding, origin=CodeOrigin.HUMAN)
                 .values_list("theme__key", "applies"))
    assert human == {"staff-wellbeing": True, "technology": False}
    assert "Reconciled" in ravi.get(f"{AGREEMENT}{exercise.pk}/disagreements/").content.decode()


def test_a_non_coder_cannot_code_and_a_closed_exercise_shows_results(world, login, client):
    ada = world.users["ada"]
    lena = login(world.users["lena"])
    start(lena, world)
    exercise = AgreementExercise.objects.get()
    client.logout()
    admin = login(ada)
    assert admin.get(f"{AGREEMENT}{exercise.pk}/code/").status_code == 403
    client.logout()
    lena = login(world.users["lena"])
    assert lena.post(f"{AGREEMENT}{exercise.pk}/status/", {"status": "closed"}).status_code == 302
    exercise.refresh_from_db()
    assert not exercise.is_open
    page = lena.get(f"{AGREEMENT}{exercise.pk}/").content.decode()
    assert "Reopen the exercise" in page and "No finding has been coded by every coder" in page


def test_posting_a_theme_outside_the_framework_is_refused_with_the_form_kept(world, login):
    lena = login(world.users["lena"])
    start(lena, world)
    exercise = AgreementExercise.objects.get()
    item = exercise.items.first()
    answer = lena.post(f"{AGREEMENT}{exercise.pk}/code/",
                       {"item": item.pk, "themes": ["no-such-theme", "technology"]})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Choose themes from the list" in html
    assert not item.judgements.exists()

import time

from stocktake.assess import actions
from stocktake.assess.models import Code, CodeOrigin
from stocktake.collect.actions import NewFinding, add_findings

STATEMENTS = [
    "Video consultations replaced outpatient follow-ups.",
    "Staff rest hubs offered psychological support.",
    "Data requests from the regional team duplicated local reporting.",
    "Volunteers and students joined the workforce.",
]


def test_thousands_of_findings_in_chunks(world, monkeypatch):
    monkeypatch.setattr(actions, "CHUNK_SIZE", 500)
    add_findings(submission=world.submissions["bracken"], by=world.users["colin"],
                 findings=[NewFinding(f"{STATEMENTS[i % 4]} ({i})") for i in range(2000)])
    seen = []
    start = time.perf_counter()
    run = actions.analyse_review(review=world.review, by=world.users["lena"],
                                 progress=lambda done, total: seen.append(done))
    assert time.perf_counter() - start < 15
    assert seen == [500, 1000, 1500, 2000, 2004]
    assert run.progress == run.finding_count == 2004
    assert Code.objects.filter(origin=CodeOrigin.MACHINE, rank=0).count() == 2004

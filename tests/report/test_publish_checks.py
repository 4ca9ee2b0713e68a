"""The publish checks: each one fires on what is incomplete and clears once it is put right."""

from __future__ import annotations

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.report import actions as report_actions
from stocktake.report.actions import appendix, builder
from stocktake.report.checks import blocking, publish_checks, quoted_finding_ids
from stocktake.report.models import TextKind
from tests.report.codes import human, machine


def checks(review) -> dict:
    return {c.code: c for c in publish_checks(review)}


def test_recommendations_without_owner_or_evidence(world):
    lena = world.users["lena"]
    found = checks(world.review)
    # The world: recommendation 1 owned by Ashby citing a finding; 2 owned, citing nothing.
    assert found["recommendations_without_owner"].count == 0
    assert found["recommendations_without_owner"].passed
    assert found["recommendations_without_evidence"].count == 1
    assert found["recommendations_without_evidence"].message == (
        "1 recommendation cites no finding as evidence.")
    rec = report_actions.create_recommendation(review=world.review, text="Share the learning.",
                                               by=lena)
    found = checks(world.review)
    assert found["recommendations_without_owner"].count == 1
    assert found["recommendations_without_owner"].fix == "report_recommendations"
    assert found["recommendations_without_evidence"].count == 2
    report_actions.update_recommendation(recommendation=rec, by=lena, owner=world.orgs["ashby"],
                                         findings=[world.findings["ashby"][0]])
    second = world.review.recommendations.get(number=2)
    report_actions.update_recommendation(recommendation=second, by=lena,
                                         findings=[world.findings["ashby"][1]])
    found = checks(world.review)
    assert found["recommendations_without_owner"].passed
    assert found["recommendations_without_evidence"].passed


def test_themes_without_narrative(world):
    lena = world.users["lena"]
    themes = list(world.framework.themes.order_by("position"))
    found = checks(world.review)["themes_without_narrative"]
    assert found.count == len(themes) and found.fix == "report_write"
    assert found.message.startswith(f"{len(themes)} themes have no narrative: {themes[0].name}")
    assert found.message.endswith(f"and {len(themes) - 5} more.")
    for theme in themes[:-1]:
        builder.save_report_text(review=world.review, kind=TextKind.THEME, theme=theme, by=lena,
                                 source=f"What we heard about *{theme.name}*.")
    found = checks(world.review)["themes_without_narrative"]
    assert found.count == 1 and found.message == f"1 theme has no narrative: {themes[-1].name}."
    builder.save_report_text(review=world.review, kind=TextKind.THEME, theme=themes[-1], by=lena,
                             source="Written.")
    assert checks(world.review)["themes_without_narrative"].passed


def test_quotes_coded_only_by_the_machine(world):
    lena, ravi = world.users["lena"], world.users["ravi"]
    themes = {t.key: t for t in world.framework.themes.all()}
    video, hubs, data = world.findings["ashby"]
    (draft,) = world.findings["bracken"]
    machine(world.review, (video, themes["technology"], 0, 0.9),
            (hubs, themes["technology"], 0, 0.8), (draft, themes["technology"], 0, 0.9), by=ravi)
    human(data, themes["regional-relationship"], user=ravi)
    # Technology's suggested quotes are video and hubs (the draft never shows): both machine only.
    assert quoted_finding_ids(world.review) == {video.pk, hubs.pk}
    found = checks(world.review)["quotes_with_machine_codes_only"]
    assert found.count == 2 and "coded only by the machine" in found.message
    # Choosing a reviewed quote replaces the suggestion; confirming the other clears it.
    builder.choose_quote(review=world.review, theme=themes["technology"], finding=video, by=lena)
    assert quoted_finding_ids(world.review) == {video.pk}
    human(video, themes["technology"], user=ravi)
    assert checks(world.review)["quotes_with_machine_codes_only"].passed


def test_flagged_personal_data_pending_in_the_report(world):
    lena = world.users["lena"]
    finding = collect_actions.add_findings(
        submission=world.submissions["ashby"], by=world.users["connie"],
        findings=[NewFinding("Mrs Edith Barnes (NHS number 943 476 5919) waited nine hours.")])[0]
    # A draft finding's flags do not count: it is not in the report.
    collect_actions.add_findings(
        submission=world.submissions["bracken"], by=world.users["colin"],
        findings=[NewFinding("NHS number 943 476 5919 again, in a draft.")])
    found = checks(world.review)["personal_data_undecided"]
    assert found.count == 2 and found.fix == "personal_data"
    assert "not yet redacted or kept" in found.message
    collect_actions.redact_personal_data(finding=finding, by=lena)
    assert checks(world.review)["personal_data_undecided"].passed


def test_case_studies_without_consent_are_information_only(world):
    found = checks(world.review)["case_studies_without_consent"]
    assert found.passed
    study = report_actions.create_case_study(review=world.review, title="Night shift", by=None,
                                             text="A nurse's story of the first wave.")
    found = checks(world.review)["case_studies_without_consent"]
    assert found.count == 1 and found.severity == "info" and not found.blocks
    assert found.message == ("1 case study is stored without consent recorded and will not "
                             "be published.")
    assert found not in blocking(publish_checks(world.review))
    appendix.record_consent(study=study, note="Signed form, 3 March", by=world.users["lena"])
    assert checks(world.review)["case_studies_without_consent"].passed


def test_checks_are_counted_in_a_few_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        publish_checks(world.review)


def test_the_quote_check_follows_the_built_report(world):
    """Many findings, organisations and polarities, some with personal data undecided:
    the check's quoted findings are exactly the built report's unreviewed quotes."""
    from stocktake.collect.actions import NewFinding as F
    from stocktake.collect.models import Polarity
    from stocktake.report.build import build_report

    themes = list(world.framework.themes.order_by("position"))
    texts = [("Staff said " + "the winter plan worked well " * (n % 17 + 1)
              + ("call 0113 496 0000 " if n % 5 == 0 else "")).strip() for n in range(60)]
    made = collect_actions.add_findings(
        submission=world.submissions["ashby"], by=world.users["connie"],
        findings=[F(t, polarity=[Polarity.ACHIEVEMENT, Polarity.CHALLENGE, ""][n % 3] or None)
                  for n, t in enumerate(texts)])
    machine(world.review, *[(f, themes[n % 4], 0, 0.5) for n, f in enumerate(made)],
            by=world.users["ravi"])
    for f in made[::7]:
        human(f, themes[0], user=world.users["ravi"])
    data = build_report(world.review)
    shown = {q.finding_id for s in data.theme_sections for q in s.quotes}
    reviewed = {f.pk for f in made[::7]}
    assert quoted_finding_ids(world.review) == shown - reviewed

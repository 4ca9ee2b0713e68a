"""Who sees which innovations: the register's one scope (track/scopes.py), per persona."""

from __future__ import annotations

from stocktake.reviews import actions as review_actions
from stocktake.track.scopes import innovation_scope


def test_each_persona_reaches_what_their_role_gives(world):
    orgs, review = world.orgs, world.review
    everything = {o.pk for o in orgs.values()}
    ada, lena, ravi = (innovation_scope(world.users[n]) for n in ("ada", "lena", "ravi"))
    assert ada.everything and ada.may_log_for(orgs["bracken"].pk)
    for scope in (lena, ravi):  # the review's region and all below it
        assert everything <= scope.sees and everything <= scope.logs_for
        assert scope.reviews == {review.pk}
    connie, owen = innovation_scope(world.users["connie"]), innovation_scope(world.users["owen"])
    for scope in (connie, owen):  # Ashby only
        assert orgs["ashby"].pk in scope.sees and scope.may_log_for(orgs["ashby"].pk)
        assert orgs["bracken"].pk not in scope.sees and not scope.may_log_for(orgs["region"].pk)
        assert scope.reviews == set()
    sam = innovation_scope(world.users["sam"])
    assert sam.sees == set() and sam.logs_for == set() and sam.reviews == set()


def test_a_viewer_sees_the_region_only_once_the_review_is_published(world):
    vera = world.users["vera"]
    assert innovation_scope(vera).sees == set()
    for status in ("assessing", "reporting"):
        review_actions.change_review_status(review=world.review, status=status,
                                            by=world.users["lena"])
    from stocktake.report.actions import publish_report

    publish_report(review=world.review, by=world.users["lena"], reason="Testing")
    scope = innovation_scope(vera)
    assert world.orgs["bracken"].pk in scope.sees and scope.logs_for == set()

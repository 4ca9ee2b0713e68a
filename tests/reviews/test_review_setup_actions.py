"""The actions behind setting a review up in the browser: a review's own framework, the
framework editor (revisions, retiring, import), participants and members."""

from __future__ import annotations

import datetime as dt

import pytest

from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import parse_framework
from stocktake.assess.actions import confirm_code
from stocktake.core.errors import EditConflict, InvalidInput, InvalidTransition
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions
from stocktake.reviews.frameworks import items_of, spec_for, uses_by_item
from stocktake.reviews.models import Membership, Participant, Role, Theme

pytestmark = pytest.mark.django_db


def _review(world, slug="spring", **extra):
    return actions.set_up_review(title="Spring review", slug=slug, by=world.users["ada"], **extra)


def test_every_new_review_gets_its_own_framework(world):
    one = _review(world, "one", framework_from=world.framework)
    two = _review(world, "two", framework_from=world.framework)
    assert len({one.framework_id, two.framework_id, world.framework.pk}) == 3
    actions.add_framework_item(review=one, kind="theme", name="Estates", by=world.users["ada"])
    assert one.framework.themes.filter(name="Estates").exists()
    assert not two.framework.themes.filter(name="Estates").exists()
    assert not world.framework.themes.filter(name="Estates").exists()
    assert one.memberships.get().role == Role.LEAD


def test_dates_must_come_in_order(world):
    with pytest.raises(InvalidInput, match="Reflection sessions cannot end before"):
        _review(world, closes_on=dt.date(2026, 4, 1), reflection_by=dt.date(2026, 3, 1))
    with pytest.raises(InvalidInput, match="report cannot be due before"):
        _review(world, reflection_by=dt.date(2026, 5, 1), report_due_on=dt.date(2026, 4, 1))
    review = _review(
        world,
        opens_on=dt.date(2026, 3, 1),
        closes_on=dt.date(2026, 4, 1),
        reflection_by=dt.date(2026, 5, 1),
        report_due_on=dt.date(2026, 6, 1),
    )
    with pytest.raises(InvalidInput, match="report cannot be due"):
        actions.update_review(
            review=review, report_due_on=dt.date(2026, 4, 15), by=world.users["ada"]
        )


def test_an_edit_from_an_older_revision_is_refused_and_pages_see_each_edit(world):
    review = _review(world)
    framework = review.framework
    seen = framework.revision
    before = [t.name for t in items_of(framework).themes]
    theme = framework.themes.first()
    actions.update_framework_item(
        review=review, item=theme, name="Renamed", revision=seen, by=world.users["ada"]
    )
    with pytest.raises(EditConflict, match="changed by someone else"):
        actions.update_framework_item(
            review=review, item=theme, description="Other", revision=seen, by=world.users["lena"]
        )
    framework.refresh_from_db()
    assert framework.revision == seen + 1
    assert [t.name for t in items_of(framework).themes] == ["Renamed", *before[1:]]


def test_reorder_retire_and_delete(world):
    review = _review(world)
    ada = world.users["ada"]

    def keys():
        return list(
            review.framework.themes.order_by("position", "id").values_list("key", flat=True)
        )

    first, second = keys()[:2]
    actions.move_framework_item(
        review=review,
        item=Theme.objects.get(framework=review.framework, key=second),
        direction="up",
        by=ada,
    )
    assert keys()[:2] == [second, first]
    with pytest.raises(InvalidInput, match="already first"):
        actions.move_framework_item(
            review=review,
            item=Theme.objects.get(framework=review.framework, key=second),
            direction="up",
            by=ada,
        )
    theme = Theme.objects.get(framework=review.framework, key=first)
    actions.retire_framework_item(review=review, item=theme, by=ada)
    assert first not in [t.key for t in spec_for(review.framework, active_only=True).themes]
    assert first in [t.key for t in spec_for(review.framework).themes]
    actions.delete_framework_item(review=review, item=theme, by=ada)
    assert first not in keys()


def test_a_theme_in_use_can_be_retired_not_deleted_and_not_the_last(world):
    review, lena = world.review, world.users["lena"]
    theme = world.framework.themes.first()
    confirm_code(
        finding=world.findings["ashby"][0], theme=theme, by=world.users["ravi"], applies=True
    )
    assert uses_by_item(Theme, world.framework)[theme.pk] == 1
    with pytest.raises(InvalidInput, match="retire it instead"):
        actions.delete_framework_item(review=review, item=theme, by=lena)
    actions.retire_framework_item(review=review, item=theme, by=lena)
    others = list(world.framework.themes.exclude(pk=theme.pk))
    for other in others[1:]:
        actions.retire_framework_item(review=review, item=other, by=lena)
    with pytest.raises(InvalidInput, match="at least one theme in use"):
        actions.retire_framework_item(review=review, item=others[0], by=lena)


def test_import_matches_by_key_and_keeps_what_is_used(world):
    review, lena = world.review, world.users["lena"]
    used = world.framework.themes.first()
    confirm_code(
        finding=world.findings["ashby"][0], theme=used, by=world.users["ravi"], applies=True
    )
    spec = parse_framework(
        "name: New\ndomains: []\nthemes:\n  - {key: fresh, name: Fresh, keywords: [one, two]}\n"
    )
    domains_used = set(uses_by_item(type(world.framework.domains.first()), world.framework))
    themes_used = set(uses_by_item(Theme, world.framework))
    result = actions.import_framework(review=review, spec=spec, by=lena)
    assert result.added == ["Fresh"]
    assert used.name in result.retired
    themes = {t.key: t for t in world.framework.themes.all()}
    assert themes["fresh"].keywords == ["one", "two"] and not themes["fresh"].retired
    assert themes[used.key].retired
    assert {t.pk for t in themes.values()} == themes_used | {themes["fresh"].pk}  # unused: gone
    assert {d.pk for d in world.framework.domains.all()} == domains_used  # used: retired
    # Named again, a retired theme comes back.
    spec = parse_framework(
        f"name: New\nthemes:\n  - {{key: {used.key}, name: Back}}\n"
        "  - {key: fresh, name: Fresh}\n"
    )
    actions.import_framework(review=review, spec=spec, by=lena)
    used.refresh_from_db()
    assert (used.name, used.retired, used.position) == ("Back", False, 0)


def test_a_shared_framework_is_read_only_until_the_review_has_its_own(world):
    ada = world.users["ada"]
    other = actions.create_review(
        title="Sharing", slug="sharing", framework=world.framework, by=ada
    )
    assert "shared with 1 other review" in actions.framework_locked(world.framework, other)
    with pytest.raises(InvalidTransition, match="shared"):
        actions.add_framework_item(review=other, kind="theme", name="X", by=ada)
    # The winter review is collecting with findings: it cannot swap frameworks.
    assert "draft" in actions.own_framework_refused(world.review)
    assert actions.own_framework_refused(other) == ""
    other = actions.give_review_own_framework(review=other, by=ada)
    assert other.framework_id != world.framework.pk
    assert actions.framework_locked(world.framework, world.review) == ""


def test_participants_added_in_bulk_and_removed_before_submitting(world):
    ada, orgs = world.users["ada"], world.orgs
    review = _review(world, region=orgs["region"])
    added = actions.add_participants(
        review=review, organisations=[orgs["ashby"], orgs["bracken"]], by=ada
    )
    assert len(added) == 2
    assert actions.add_participants(review=review, organisations=[orgs["ashby"]], by=ada) == []
    contact = actions.create_user(username="c", by=ada)
    actions.add_member(
        review=review, member=contact, role=Role.CONTRIBUTOR, organisation=orgs["ashby"], by=ada
    )
    participant = Participant.objects.get(review=review, organisation=orgs["ashby"])
    actions.remove_participant(participant=participant, by=ada)
    assert not Membership.objects.filter(review=review, user=contact).exists()
    submitted = Participant.objects.get(review=world.review, organisation=orgs["ashby"])
    with pytest.raises(InvalidTransition, match="stays a participant"):
        actions.remove_participant(participant=submitted, by=ada)


def test_members_by_email_roles_and_the_last_lead(world):
    lena, review = world.users["lena"], world.review
    made = actions.add_member_by_email(
        review=review,
        email="nadia@example.nhs.uk",
        full_name="Nadia New",
        role=Role.VIEWER,
        by=lena,
    )
    assert not made.user.has_usable_password()
    again = actions.add_member_by_email(
        review=review, email="NADIA@example.nhs.uk", role=Role.REVIEWER, by=lena
    )
    assert again.user_id == made.user_id
    with pytest.raises(InvalidInput, match="already has that role"):
        actions.add_member_by_email(
            review=review, email="nadia@example.nhs.uk", role=Role.VIEWER, by=lena
        )
    with pytest.raises(InvalidInput, match="must belong to an organisation"):
        actions.change_member_role(membership=made, role=Role.CONTRIBUTOR, by=lena)
    actions.change_member_role(
        membership=made, role=Role.ACTION_OWNER, organisation=world.orgs["ashby"], by=lena
    )
    lead = Membership.objects.get(review=review, role=Role.LEAD)
    with pytest.raises(InvalidTransition, match="needs a lead"):
        actions.remove_member(membership=lead, by=lena)
    with pytest.raises(InvalidTransition, match="needs a lead"):
        actions.change_member_role(membership=lead, role=Role.VIEWER, by=lena)
    actions.remove_member(membership=again, by=lena)
    details = " ".join(
        str(e.details) for e in AuditEvent.objects.filter(verb__startswith="member.")
    )
    assert "nadia" not in details.lower()


def test_the_built_in_framework_is_copied_from_its_file(world):
    # The stored default is the winter review's and may have been edited there.
    actions.add_framework_item(review=world.review, kind="theme", name="Local only",
                               by=world.users["lena"])
    review = _review(world)
    assert not review.framework.themes.filter(name="Local only").exists()
    assert review.framework.themes.count() == 9


def test_a_framework_key_must_be_fit_for_a_web_address():
    with pytest.raises(InputError, match=r"f.yaml:3: the key 'a b' may use only letters"):
        parse_framework("name: X\nthemes:\n  - {key: a b, name: A}\n", where="f.yaml")

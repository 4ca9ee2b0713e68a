"""State changes for reviews, frameworks, organisations, participants and roles."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stocktake.analysis.framework import FrameworkSpec, default_framework
from stocktake.core import audit
from stocktake.core.edits import apply_changes, check_fields
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.core.text import a_or_an
from stocktake.reviews import workflow
from stocktake.reviews.models import (
    LEVEL_ORDER,
    Domain,
    Framework,
    Membership,
    Organisation,
    OrganisationAlias,
    OrganisationType,
    Participant,
    Review,
    Role,
    Theme,
)
from stocktake.reviews.orgtree import normalise_name
from stocktake.reviews.workflow import ReviewStatus


@transaction.atomic
def create_framework(*, spec: FrameworkSpec, by) -> Framework:
    """Store a framework from its plain-data form (see stocktake.analysis.framework)."""
    if Framework.objects.filter(key=spec.key).exists():
        raise InvalidInput(f"A framework with key {spec.key!r} already exists")
    framework = Framework.objects.create(key=spec.key, name=spec.name, description=spec.description)
    for model, items in ((Domain, spec.domains), (Theme, spec.themes)):
        model.objects.bulk_create(
            model(
                framework=framework, key=item.key, name=item.name, description=item.description,
                keywords=list(item.keywords), position=position,
            )
            for position, item in enumerate(items)
        )
    audit.record(actor=by, verb="framework.created", subject=framework, key=spec.key)
    return framework


@transaction.atomic
def store_default_framework(*, by) -> Framework:
    """The built-in framework (six domains, nine themes), stored the first time it is needed."""
    spec = default_framework()
    return Framework.objects.filter(key=spec.key).first() or create_framework(spec=spec, by=by)


@transaction.atomic
def create_organisation(
    *, name: str, level: str, by, kind: str = OrganisationType.OTHER,
    parent: Organisation | None = None, short_name: str = "", aliases: tuple[str, ...] = (),
) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("An organisation needs a name")
    if level not in LEVEL_ORDER:
        raise InvalidInput(f"Unknown organisation level {level!r}; use one of {', '.join(LEVEL_ORDER)}")
    if kind not in OrganisationType.values:
        raise InvalidInput(f"Unknown organisation type {kind!r}")
    if parent is not None and LEVEL_ORDER.index(parent.level) >= LEVEL_ORDER.index(level):
        raise InvalidInput(
            f"{name!r} ({level}) cannot sit below {parent.name!r} ({parent.level})"
        )
    organisation = Organisation.objects.create(
        name=name, level=level, kind=kind, parent=parent, short_name=short_name.strip()
    )
    for alias in {a.strip() for a in aliases if a and a.strip()}:
        OrganisationAlias.objects.get_or_create(
            organisation=organisation, normalised=normalise_name(alias), defaults={"alias": alias}
        )
    audit.record(
        actor=by, verb="organisation.created", subject=organisation, name=name, level=level
    )
    return organisation


@transaction.atomic
def add_alias(*, organisation: Organisation, alias: str, by) -> OrganisationAlias:
    alias = alias.strip()
    if not alias:
        raise InvalidInput("An alias cannot be empty")
    record, _ = OrganisationAlias.objects.get_or_create(
        organisation=organisation, normalised=normalise_name(alias), defaults={"alias": alias}
    )
    audit.record(actor=by, verb="organisation.alias_added", subject=organisation, alias=alias)
    return record


@transaction.atomic
def create_review(
    *, title: str, slug: str, framework: Framework, by, region: Organisation | None = None,
    scope: str = "", opens_on: dt.date | None = None, closes_on: dt.date | None = None,
) -> Review:
    if Review.objects.filter(slug=slug).exists():
        raise InvalidInput(f"A review with slug {slug!r} already exists")
    if opens_on and closes_on and closes_on < opens_on:
        raise InvalidInput("A review cannot close before it opens")
    review = Review.objects.create(
        title=title, slug=slug, framework=framework, region=region, scope=scope,
        opens_on=opens_on, closes_on=closes_on,
    )
    audit.record(actor=by, verb="review.created", subject=review, review=review, slug=slug)
    if by is not None and getattr(by, "is_authenticated", False):
        Membership.objects.create(review=review, user=by, role=Role.LEAD)
    return review


# What a review's details edit may change (the slug is in every link, so it stays).
REVIEW_FIELDS = ("title", "scope", "opens_on", "closes_on", "region", "framework")

PUBLISH_INSTEAD = (
    "A review moves to tracking only when its report is published, which also makes its "
    "draft recommendations agreed: publish the report instead"
)


@transaction.atomic
def update_review(*, review: Review, by, **changes) -> Review:
    """Change a review's details: any of ``REVIEW_FIELDS``, as keyword arguments.

    The title cannot be empty, the review cannot close before it opens, and the
    framework can change only while the review is a draft with no findings or
    recommendations. Unchanged values are ignored; the audit event names the
    fields that changed, not their values.
    """
    check_fields(changes, allowed=REVIEW_FIELDS, what="a review")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if "title" in changes:
        changes["title"] = " ".join(str(changes["title"] or "").split())
        if not changes["title"]:
            raise InvalidInput("A review needs a title")
        if len(changes["title"]) > 255:
            raise InvalidInput("A review's title must be 255 characters or fewer")
    if "scope" in changes:
        changes["scope"] = str(changes["scope"] or "").strip()
    for name in ("opens_on", "closes_on"):
        if changes.get(name) is not None and not isinstance(changes[name], dt.date):
            raise InvalidInput(f"{name} must be a date, not {changes[name]!r}")
    if "framework" in changes:
        _check_framework_change(review, changes["framework"])
    changed = apply_changes(review, changes)
    if review.opens_on and review.closes_on and review.closes_on < review.opens_on:
        raise InvalidInput("A review cannot close before it opens")
    if changed:
        review.save(update_fields=[*changed, "updated_at"])
        audit.record(actor=by, verb="review.updated", subject=review, review=review,
                     fields=changed)
    return review


def _check_framework_change(review: Review, framework) -> None:
    if not isinstance(framework, Framework):
        raise InvalidInput("A review's framework must be a stored framework")
    if framework.pk == review.framework_id:
        return
    if review.status != ReviewStatus.DRAFT:
        raise InvalidTransition(
            f"The framework can change only while the review is a draft (it is "
            f"{review.get_status_display().lower()})")
    if review.findings.exists() or review.recommendations.exists():
        raise InvalidTransition(
            "The framework cannot change once the review has findings or recommendations")


@transaction.atomic
def change_review_status(*, review: Review, status: str, by) -> Review:
    """Move a review along its workflow, as the transitions table allows.

    Tracking is refused here: a review gets there only by publishing its report
    (``report.actions.publish_report``), which also agrees its draft recommendations.
    """
    if status not in ReviewStatus.values:
        accepted = [value for value in ReviewStatus.values if value != ReviewStatus.TRACKING]
        raise InvalidInput(f"Unknown review status {status!r}; use one of "
                           f"{', '.join(accepted)} (a review moves to tracking when its "
                           "report is published)")
    if status == ReviewStatus.TRACKING:
        raise InvalidTransition(PUBLISH_INSTEAD)
    return _move(review, status, by)


@transaction.atomic
def mark_published(*, review: Review, by) -> Review:
    """The status half of publishing: reporting → tracking.

    Only ``report.actions.publish_report`` calls this, in the transaction in
    which it agrees the draft recommendations (tests/test_actions_lint.py checks).
    """
    current = Review.objects.select_for_update().get(pk=review.pk).status
    if current in workflow.PUBLISHED_STATES:
        raise InvalidTransition("The report is already published")
    if current != ReviewStatus.REPORTING:
        raise InvalidTransition("The report can be published only while the review is "
                                f"reporting (it is {current})")
    return _move(review, ReviewStatus.TRACKING, by)


def _move(review: Review, status: str, by) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    workflow.check_transition(review.status, status)
    previous = review.status
    review.status = status
    review.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=by, verb="review.status_changed", subject=review, review=review,
        previous=previous, status=status,
    )
    return review


@transaction.atomic
def add_participant(
    *, review: Review, organisation: Organisation, by, contact_name: str = "",
    contact_email: str = "",
) -> Participant:
    participant, created = Participant.objects.get_or_create(
        review=review, organisation=organisation,
        defaults={"contact_name": contact_name, "contact_email": contact_email},
    )
    if created:
        audit.record(
            actor=by, verb="participant.added", subject=participant, review=review,
            organisation=organisation.name,
        )
    return participant


@transaction.atomic
def mark_invited(*, participant: Participant, by) -> Participant:
    participant.invited_at = timezone.now()
    participant.save(update_fields=["invited_at"])
    audit.record(actor=by, verb="participant.invited", subject=participant, review=participant.review)
    return participant


@transaction.atomic
def add_member(
    *, review: Review, member, role: str, by, organisation: Organisation | None = None
) -> Membership:
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; use one of {', '.join(Role.values)}")
    if role in (Role.CONTRIBUTOR, Role.ACTION_OWNER) and organisation is None:
        raise InvalidInput(f"{a_or_an(Role(role).label.lower()).capitalize()} must belong to an "
                           "organisation")
    membership, created = Membership.objects.get_or_create(
        review=review, user=member, role=role, organisation=organisation
    )
    if created:
        audit.record(
            actor=by, verb="member.added", subject=membership, review=review,
            member=member.pk, role=role,
            organisation=organisation.name if organisation else None,
        )
    return membership


@transaction.atomic
def create_user(
    *, username: str, by, password: str | None = None, email: str = "", full_name: str = "",
    is_superuser: bool = False,
):
    """Create a sign-in account (``by`` is who creates it; None for the CLI)."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"A user called {username!r} already exists")
    first, _, last = full_name.partition(" ")
    account = User(
        username=username, email=email, first_name=first, last_name=last,
        is_superuser=is_superuser, is_staff=is_superuser,
    )
    if password:
        try:
            validate_password(password, account)
        except ValidationError as exc:
            raise InvalidInput(f"Password for {username!r} refused: {' '.join(exc.messages)}") from None
        account.set_password(password)
    else:
        account.set_unusable_password()
    account.save()
    audit.record(actor=by, verb="user.created", subject=account)
    return account

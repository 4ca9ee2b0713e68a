"""State changes for reviews, frameworks, organisations, participants and roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stocktake.analysis.framework import FrameworkSpec, default_framework, slugify
from stocktake.core import audit
from stocktake.core.edits import apply_changes, check_fields, check_revision
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.core.text import a_or_an
from stocktake.reviews import workflow
from stocktake.reviews.frameworks import item_uses, spec_for
from stocktake.reviews.models import (
    LEVEL_ORDER,
    Domain,
    Framework,
    Membership,
    Organisation,
    OrganisationAlias,
    OrganisationLevel,
    OrganisationType,
    Participant,
    Review,
    Role,
    Theme,
)
from stocktake.reviews.orgtree import OrgTree, normalise_name, split_acronym
from stocktake.reviews.register import RegisterRow
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
def add_theme(*, framework: Framework, name: str, by, description: str = "",
              keywords=(), review: Review | None = None) -> Theme:
    """Add a theme at the end of ``framework``'s themes; its key is made from its name.

    The framework's ``revision`` moves on, so pages renew what they keep of its items.
    ``review``: the review it was added from, for its audit trail (every review coding
    against the framework sees the theme). A name of 1 to 200 characters, used by no
    other theme of the framework (ignoring case), or InvalidInput.
    """
    name = " ".join(str(name or "").split())
    if not name or len(name) > 200:
        raise InvalidInput("A theme's name is 1 to 200 characters")
    themes = Theme.objects.filter(framework=framework)
    if themes.filter(name__iexact=name).exists():
        raise InvalidInput(f"The framework already has a theme called {name!r}")
    base = slugify(name)[:70].strip("-") or "theme"
    taken = set(themes.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    position = max(themes.values_list("position", flat=True), default=-1) + 1
    theme = Theme.objects.create(framework=framework, key=key, name=name,
                                 description=description.strip(),
                                 keywords=[str(k) for k in keywords], position=position)
    Framework.objects.filter(pk=framework.pk).update(revision=F("revision") + 1)
    framework.refresh_from_db(fields=["revision"])
    audit.record(actor=by, verb="framework.theme_added", subject=theme, review=review,
                 framework=framework.key, key=key)
    return theme


@transaction.atomic
def store_default_framework(*, by) -> Framework:
    """The built-in framework (six domains, nine themes), stored the first time it is needed."""
    spec = default_framework()
    return Framework.objects.filter(key=spec.key).first() or create_framework(spec=spec, by=by)


def _level(value: str) -> str:
    """A level by its value or its label ("system", "Integrated care system")."""
    text = " ".join(str(value or "").split()).lower()
    for choice in OrganisationLevel:
        if text in (choice.value, choice.label.lower()):
            return choice.value
    raise InvalidInput(f"Unknown organisation level {value!r}; use one of {', '.join(LEVEL_ORDER)}")


def _kind(value: str) -> str:
    """An organisation type by its value or its label ("nhs_trust", "NHS trust")."""
    text = " ".join(str(value or "").split()).lower()
    if not text:
        return OrganisationType.OTHER
    for choice in OrganisationType:
        if text in (choice.value, choice.label.lower(), choice.value.replace("_", " ")):
            return choice.value
    raise InvalidInput(f"Unknown organisation type {value!r}; use one of "
                       f"{', '.join(OrganisationType.values)}")


def _check_place(name: str, level: str, parent: Organisation | None) -> None:
    if parent is not None and LEVEL_ORDER.index(parent.level) >= LEVEL_ORDER.index(level):
        raise InvalidInput(
            f"{name!r} ({level}) cannot sit below {parent.name!r} ({parent.level})"
        )


def _clean_aliases(aliases, *, name: str, short_name: str) -> dict[str, str]:
    """Normalised form -> alias, leaving out blanks and the organisation's own names."""
    own = {normalise_name(name), normalise_name(short_name)} - {""}
    found: dict[str, str] = {}
    for alias in aliases or ():
        alias = " ".join(str(alias or "").split())
        form = normalise_name(alias) if alias else ""
        if form and form not in own and form not in found:
            if len(alias) > 255:
                raise InvalidInput(f"An alias must be 255 characters or fewer ({alias[:40]}…)")
            found[form] = alias
    return found


@transaction.atomic
def create_organisation(
    *, name: str, level: str, by, kind: str = OrganisationType.OTHER,
    parent: Organisation | None = None, short_name: str = "", aliases: tuple[str, ...] = (),
) -> Organisation:
    """Add an organisation to the register.

    "Full Name (ACR)" with no ``short_name`` is stored as the full name with ACR as its
    acronym, so the two forms never become two organisations. Level and type may be
    given by value or label; a name already used under the same parent is refused.
    """
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidInput("An organisation needs a name")
    short_name = " ".join(str(short_name or "").split())
    if not short_name:
        name, short_name = split_acronym(name)
    if len(name) > 255:
        raise InvalidInput("An organisation's name must be 255 characters or fewer")
    if len(short_name) > 60:
        raise InvalidInput("An acronym or short name must be 60 characters or fewer")
    level, kind = _level(level), _kind(kind)
    _check_place(name, level, parent)
    if Organisation.objects.filter(name__iexact=name, parent=parent).exists():
        where = f"in {parent.name}" if parent is not None else "at the top of the register"
        raise InvalidInput(f"There is already an organisation called {name!r} {where}")
    organisation = Organisation.objects.create(
        name=name, level=level, kind=kind, parent=parent, short_name=short_name
    )
    for form, alias in _clean_aliases(aliases, name=name, short_name=short_name).items():
        OrganisationAlias.objects.create(organisation=organisation, normalised=form, alias=alias)
    audit.record(
        actor=by, verb="organisation.created", subject=organisation, name=name, level=level
    )
    return organisation


@transaction.atomic
def add_alias(*, organisation: Organisation, alias: str, by) -> OrganisationAlias:
    alias = " ".join(alias.split())
    if not alias:
        raise InvalidInput("An alias cannot be empty")
    record, _ = OrganisationAlias.objects.get_or_create(
        organisation=organisation, normalised=normalise_name(alias), defaults={"alias": alias}
    )
    audit.record(actor=by, verb="organisation.alias_added", subject=organisation, alias=alias)
    return record


# What an organisation's edit may change.
ORGANISATION_FIELDS = ("name", "short_name", "kind", "level", "parent", "aliases")


@transaction.atomic
def update_organisation(*, organisation: Organisation, by, **changes) -> Organisation:
    """Change an organisation's name, acronym (``short_name``), type (``kind``), level,
    parent or ``aliases`` (the whole list: aliases left out are removed).

    The parent must be above it in region → system → place → organisation → unit and
    not inside it; its children must stay below it. The audit event names the fields
    that changed (organisation names are not personal data, but values are left out as
    for every edit).
    """
    check_fields(changes, allowed=ORGANISATION_FIELDS, what="an organisation")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    aliases = changes.pop("aliases", None)
    if "name" in changes:
        changes["name"] = " ".join(str(changes["name"] or "").split())
        if not changes["name"]:
            raise InvalidInput("An organisation needs a name")
        if len(changes["name"]) > 255:
            raise InvalidInput("An organisation's name must be 255 characters or fewer")
    if "short_name" in changes:
        changes["short_name"] = " ".join(str(changes["short_name"] or "").split())
        if len(changes["short_name"]) > 60:
            raise InvalidInput("An acronym or short name must be 60 characters or fewer")
    if "kind" in changes:
        changes["kind"] = _kind(changes["kind"])
    if "level" in changes:
        changes["level"] = _level(changes["level"])
    if "parent" in changes and changes["parent"] is not None:
        parent = changes["parent"]
        if not isinstance(parent, Organisation):
            raise InvalidInput("An organisation's parent must be an organisation in the register")
        if parent.pk in OrgTree.load().descendants(organisation.pk):
            raise InvalidInput(f"{organisation.name!r} cannot sit below {parent.name!r}, which "
                               "is itself or inside it")
    changed = apply_changes(organisation, changes)
    name, level = organisation.name, organisation.level
    _check_place(name, level, organisation.parent)
    for child in organisation.children.all():
        if LEVEL_ORDER.index(child.level) <= LEVEL_ORDER.index(level):
            raise InvalidInput(f"{name!r} cannot be {a_or_an(level)} {level}: "
                               f"{child.name!r} ({child.level}) sits below it")
    if ("name" in changed or "parent" in changed) and Organisation.objects.filter(
            name__iexact=name, parent=organisation.parent).exclude(pk=organisation.pk).exists():
        raise InvalidInput(f"There is already an organisation called {name!r} there")
    if changed:
        organisation.save(update_fields=changed)
    if aliases is not None:
        wanted = _clean_aliases(aliases, name=name, short_name=organisation.short_name)
        current = {a.normalised: a for a in organisation.aliases.all()}
        gone = [a.pk for form, a in current.items() if form not in wanted]
        if gone:
            OrganisationAlias.objects.filter(pk__in=gone).delete()
        for form, alias in wanted.items():
            if form not in current:
                OrganisationAlias.objects.create(organisation=organisation, normalised=form,
                                                 alias=alias)
            elif current[form].alias != alias:
                current[form].alias = alias
                current[form].save(update_fields=["alias"])
        if gone or set(wanted) - set(current) or any(
                current[f].alias != a for f, a in wanted.items() if f in current):
            changed = sorted([*changed, "aliases"])
    if changed:
        audit.record(actor=by, verb="organisation.updated", subject=organisation, fields=changed)
    organisation.changed_fields = changed  # what this edit changed, for the caller to report
    return organisation


# Every relation that points at an organisation, and how a merge moves it. A merge
# refuses to run when Django knows a relation that is not listed here (and a test fails),
# so a new foreign key to Organisation must decide what merging does with it.
MOVED_WITH_ORGANISATION = {
    "reviews.organisation.parent": "children",  # children move under the kept one
    "reviews.organisationalias.organisation": "aliases",  # kept unless the kept one has it
    "reviews.review.region": "move",
    "reviews.participant.organisation": "participants",  # one per review: folded together
    "reviews.membership.organisation": "memberships",  # one per review, user and role
    "collect.finding.organisation": "move",
    "collect.example.organisation": "move",
    "report.recommendation.owner": "move",
    "report.casestudy.organisation": "move",
    "collect.organisationapproach.organisation": "move",
    "assess.memo.organisation": "move",
    "track.progressupdate.organisation": "move",
    "track.innovation.organisation": "move",
    "track.decisionframework.organisation": "move",
    "track.updaterequest.organisation": "move",
    # Per-system entries of a stocktake cycle: the kept system's entry wins in each cycle.
    "track.cycleentry.organisation": "unique:cycle+recommendation",
    # One row per item and organisation: the kept organisation's row wins over the absorbed one's.
    "track.systemstatus.organisation": "unique:recommendation",
    "track.adoption.organisation": "unique:innovation",
    "track.goldenthread.organisation": "unique:name",
    # The organisations a reflection session is held with: once each per session.
    "reflection.sessionorganisation.organisation": "unique:session",
}
# What points at a participant, moved when two participants of one review are folded.
MOVED_WITH_PARTICIPANT = {
    "collect.submission.participant",
    "collect.invitation.participant",
}


def _relations(model) -> dict[str, object]:
    """``app.model.field`` -> the relation, for every foreign key pointing at ``model``."""
    return {f"{rel.related_model._meta.label_lower}.{rel.field.name}": rel
            for rel in model._meta.related_objects}


def _unhandled(model, handled) -> list[str]:
    return sorted(set(_relations(model)) - set(handled))


@dataclass
class MergePlan:
    """What merging ``absorb`` into ``keep`` moves: counts by what, and what stops it."""

    keep: Organisation
    absorb: Organisation
    counts: dict[str, int]
    refused: str = ""


# How the plan names what moves, in the order the confirmation page lists it.
MERGE_LABELS = {
    "reviews.organisation.parent": "organisations below it",
    "reviews.organisationalias.organisation": "aliases",
    "reviews.review.region": "reviews covering it as their region",
    "reviews.participant.organisation": "review participations",
    "reviews.membership.organisation": "memberships of people who speak for it",
    "collect.finding.organisation": "findings",
    "collect.example.organisation": "best-practice examples",
    "report.recommendation.owner": "recommendations it owns",
    "report.casestudy.organisation": "case studies",
    "collect.organisationapproach.organisation": "approaches",
    "assess.memo.organisation": "reviewers' memos about it",
    "track.progressupdate.organisation": "progress updates about it",
    "track.innovation.organisation": "innovations it logged",
    "track.decisionframework.organisation": "decision frameworks",
    "track.updaterequest.organisation": "update requests",
    "track.cycleentry.organisation": "stocktake cycle entries",
    "track.systemstatus.organisation": "recommendation statuses",
    "track.adoption.organisation": "innovations it adopted or considered",
    "track.goldenthread.organisation": "golden threads",
    "reflection.sessionorganisation.organisation": "reflection sessions",
}


def _rows(relation, target):
    return relation.related_model._base_manager.filter(**{relation.field.name: target})


def plan_merge(*, keep: Organisation, absorb: Organisation) -> MergePlan:
    """What :func:`merge_organisations` would move and whether it may (read-only)."""
    relations = _relations(Organisation)
    counts = {key: _rows(relations[key], absorb).count()
              for key in MERGE_LABELS if key in relations}
    plan = MergePlan(keep=keep, absorb=absorb, counts=counts)
    unknown = _unhandled(Organisation, MOVED_WITH_ORGANISATION) + _unhandled(
        Participant, MOVED_WITH_PARTICIPANT)
    if unknown:
        plan.refused = ("Organisations cannot be merged until stocktake knows what to do with "
                        f"{', '.join(unknown)}")
    elif keep.pk == absorb.pk:
        plan.refused = "An organisation cannot be merged with itself"
    elif keep.pk in OrgTree.load().descendants(absorb.pk):
        plan.refused = (f"{keep.name} sits inside {absorb.name}: keep {absorb.name} instead, "
                        "or move it out first")
    else:
        plan.refused = _merge_conflict(keep, absorb)
    return plan


def _merge_conflict(keep: Organisation, absorb: Organisation) -> str:
    if keep.level != OrganisationLevel.REGION and Review.objects.filter(region=absorb).exists():
        return (f"{absorb.name} is the region of a review and {keep.name} is not a region: "
                "change the review's region first")
    for child in absorb.children.all():
        if LEVEL_ORDER.index(child.level) <= LEVEL_ORDER.index(keep.level):
            return (f"{child.name} ({child.level}) sits below {absorb.name} and could not sit "
                    f"below {keep.name} ({keep.level})")
    relation = _relations(Participant)["collect.submission.participant"]
    both = Participant.objects.filter(organisation=absorb,
                                      review__participants__organisation=keep)
    for participant in both.select_related("review"):
        other = Participant.objects.get(review=participant.review, organisation=keep)
        drafts = [_rows(relation, p).filter(status="draft").exists()
                  for p in (participant, other)]
        if all(drafts):
            return (f"Both organisations have a draft submission in "
                    f"“{participant.review.title}”: submit or remove one of them first")
    return ""


@transaction.atomic
def merge_organisations(*, keep: Organisation, absorb: Organisation, by) -> MergePlan:
    """Make ``absorb`` part of ``keep``: everything that names ``absorb`` (findings,
    examples, participations and their submissions and invitations, memberships,
    recommendations it owns, reviews of its region, the organisations below it) moves
    to ``keep``; ``absorb``'s name, acronym and aliases become aliases of ``keep``, so
    files that use them keep resolving; then ``absorb`` goes.

    Two participations of one review fold into one (submissions and invitations move
    to the kept participant; its contact is kept, the other's fills it only if empty);
    refused when both have a draft submission. All or nothing; one audit event with the
    counts moved.
    """
    keep = Organisation.objects.select_for_update().get(pk=keep.pk)
    absorb = Organisation.objects.select_for_update().get(pk=absorb.pk)
    plan = plan_merge(keep=keep, absorb=absorb)
    if plan.refused:
        raise InvalidInput(plan.refused)
    relations = _relations(Organisation)
    for key, how in MOVED_WITH_ORGANISATION.items():
        relation = relations.get(key)
        if relation is None:
            continue
        if how == "move":
            _rows(relation, absorb).update(**{relation.field.name: keep})
        elif how == "children":
            _rows(relation, absorb).update(parent=keep)
        elif how.startswith("unique:"):
            others = how.split(":", 1)[1].split("+")
            if len(others) == 1:
                taken = _rows(relation, keep).values_list(others[0], flat=True)
                _rows(relation, absorb).filter(**{f"{others[0]}__in": taken}).delete()
            else:  # unique together with several fields: compare the tuples
                taken = set(_rows(relation, keep).values_list(*others))
                clash = [pk for pk, *key in _rows(relation, absorb).values_list("pk", *others)
                         if tuple(key) in taken]
                _rows(relation, absorb).filter(pk__in=clash).delete()
            _rows(relation, absorb).update(**{relation.field.name: keep})
        elif how == "aliases":
            have = set(keep.aliases.values_list("normalised", flat=True))
            _rows(relation, absorb).filter(normalised__in=have).delete()
            _rows(relation, absorb).update(organisation=keep)
        elif how == "participants":
            _fold_participants(keep, absorb)
        elif how == "memberships":
            for membership in Membership.objects.filter(organisation=absorb):
                if Membership.objects.filter(review_id=membership.review_id,
                                             user_id=membership.user_id, role=membership.role,
                                             organisation=keep).exists():
                    membership.delete()
                else:
                    membership.organisation = keep
                    membership.save(update_fields=["organisation"])
    own = {normalise_name(keep.name), normalise_name(keep.short_name)} - {""}
    have = set(keep.aliases.values_list("normalised", flat=True))
    for alias in (absorb.name, absorb.short_name):
        form = normalise_name(alias) if alias else ""
        if form and form not in own | have:
            OrganisationAlias.objects.create(organisation=keep, normalised=form, alias=alias)
            have.add(form)
    absorbed_id, absorbed_name = absorb.pk, absorb.name
    absorb.delete()
    audit.record(actor=by, verb="organisation.merged", subject=keep, absorbed=absorbed_id,
                 absorbed_name=absorbed_name,
                 moved={key.split(".", 1)[1]: n for key, n in plan.counts.items() if n})
    return plan


def _fold_participants(keep: Organisation, absorb: Organisation) -> None:
    relations = _relations(Participant)
    for participant in Participant.objects.filter(organisation=absorb):
        other = Participant.objects.filter(review_id=participant.review_id,
                                           organisation=keep).first()
        if other is None:
            participant.organisation = keep
            participant.save(update_fields=["organisation"])
            continue
        for key in MOVED_WITH_PARTICIPANT:
            relation = relations[key]
            _rows(relation, participant).update(**{relation.field.name: other})
        if not other.contact_email and participant.contact_email:
            other.contact_name = participant.contact_name
            other.contact_email = participant.contact_email
        other.invited_at = max(filter(None, [other.invited_at, participant.invited_at]),
                               default=None)
        other.save(update_fields=["contact_name", "contact_email", "invited_at"])
        participant.delete()


@dataclass
class RegisterImport:
    created: list[str]
    updated: list[str]
    unchanged: int


@transaction.atomic
def import_organisations(*, rows: list[RegisterRow], by) -> RegisterImport:
    """Add or update organisations from register rows (:func:`register.read_csv`).

    A row updates the organisation its name or acronym resolves to (in its parent when
    it names one), else creates one, so importing the same file twice changes nothing.
    Every row is checked; if any is bad, InvalidInput lists one line per problem, each
    of a row's problems on its own line ("Row 4: …"), and nothing is written.
    """
    tree = OrgTree.load()
    result, problems = RegisterImport(created=[], updated=[], unchanged=0), []
    for row in rows:
        found = _row_problems(row, tree)
        if not found:
            try:
                _import_row(row, tree, result, by)
            except InvalidInput as exc:
                found = [str(exc)]
        problems += [f"Row {row.line}: {problem}" for problem in found]
    if problems:
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InvalidInput("Nothing was imported. " + "\n".join(problems[:20]) + more)
    audit.record(actor=by, verb="organisation.register_imported", created=len(result.created),
                 updated=len(result.updated), unchanged=result.unchanged)
    return result


def _row_problems(row: RegisterRow, tree: OrgTree) -> list[str]:
    """Everything wrong with a row on its own (name, parent, level, type), all at once."""
    problems = []
    if not row.name:
        problems.append("the name is empty")
    if row.parent and tree.resolve(row.parent) is None:
        problems.append(f"the parent {row.parent!r} is not in the register or on an earlier row")
    if not row.level:
        problems.append("the level is empty; use one of " + ", ".join(LEVEL_ORDER))
    for check, value in ((_level, row.level), (_kind, row.type)):
        try:
            if value or check is _kind:
                check(value)
        except InvalidInput as exc:
            problems.append(str(exc))
    return problems


def _import_row(row: RegisterRow, tree: OrgTree, result: RegisterImport, by) -> None:
    if not row.name:
        raise InvalidInput("the name is empty")
    parent = None
    if row.parent:
        parent = tree.resolve(row.parent)
        if parent is None:
            raise InvalidInput(f"the parent {row.parent!r} is not in the register or on an "
                               "earlier row")
    level = _level(row.level) if row.level else ""
    if not level:
        raise InvalidInput("the level is empty; use one of " + ", ".join(LEVEL_ORDER))
    kind = _kind(row.type)
    name, short_name = row.name, row.acronym
    if not short_name:
        name, short_name = split_acronym(name)
    parent_id = parent.pk if parent is not None else None
    # The row's organisation: one its name or acronym names, in the same parent or at the
    # same level (so a region's row never takes over a trust that shares its words).
    existing = next((found for found in (tree.resolve(text, within=parent_id)
                                         for text in (name, short_name) if text)
                     if found is not None and found.pk != parent_id
                     and (found.parent_id == parent_id or found.level == level)), None)
    if existing is None:
        org = create_organisation(name=name, short_name=short_name, level=level, kind=kind,
                                  parent=parent, aliases=tuple(row.aliases), by=by)
        tree.add(org)
        result.created.append(org.name)
        return
    changes = {"name": name, "level": level, "kind": kind, "parent": parent,
               "aliases": sorted({*existing.aliases.values_list("alias", flat=True),
                                  *row.aliases})}
    if short_name:
        changes["short_name"] = short_name
    updated = update_organisation(organisation=existing, by=by, **changes)
    if updated.changed_fields:
        result.updated.append(updated.name)
    else:
        result.unchanged += 1


@transaction.atomic
def create_review(
    *, title: str, slug: str, framework: Framework, by, region: Organisation | None = None,
    scope: str = "", opens_on: dt.date | None = None, closes_on: dt.date | None = None,
    reflection_by: dt.date | None = None, report_due_on: dt.date | None = None,
) -> Review:
    if Review.objects.filter(slug=slug).exists():
        raise InvalidInput(f"A review with slug {slug!r} already exists")
    _check_dates(opens_on=opens_on, closes_on=closes_on, reflection_by=reflection_by,
                 report_due_on=report_due_on)
    review = Review.objects.create(
        title=title, slug=slug, framework=framework, region=region, scope=scope,
        opens_on=opens_on, closes_on=closes_on, reflection_by=reflection_by,
        report_due_on=report_due_on,
    )
    audit.record(actor=by, verb="review.created", subject=review, review=review, slug=slug)
    if by is not None and getattr(by, "is_authenticated", False):
        Membership.objects.create(review=review, user=by, role=Role.LEAD)
    return review


# What a review's details edit may change (the slug is in every link, so it stays).
REVIEW_FIELDS = ("title", "scope", "opens_on", "closes_on", "reflection_by", "report_due_on",
                 "region", "framework")


def _check_dates(*, opens_on, closes_on, reflection_by, report_due_on) -> None:
    """A review's dates in their order: opens, closes, reflection sessions, report due."""
    if opens_on and closes_on and closes_on < opens_on:
        raise InvalidInput("A review cannot close before it opens")
    if reflection_by and (closes_on or opens_on) and reflection_by < (closes_on or opens_on):
        raise InvalidInput("Reflection sessions cannot end before collection "
                           f"{'closes' if closes_on else 'opens'}")
    before = reflection_by or closes_on or opens_on
    if report_due_on and before and report_due_on < before:
        raise InvalidInput("The report cannot be due before the "
                           f"{'reflection sessions end' if reflection_by else 'review closes' if closes_on else 'review opens'}")

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
    for name in ("opens_on", "closes_on", "reflection_by", "report_due_on"):
        if changes.get(name) is not None and not isinstance(changes[name], dt.date):
            raise InvalidInput(f"{name} must be a date, not {changes[name]!r}")
    if "framework" in changes:
        _check_framework_change(review, changes["framework"])
    changed = apply_changes(review, changes)
    _check_dates(opens_on=review.opens_on, closes_on=review.closes_on,
                 reflection_by=review.reflection_by, report_due_on=review.report_due_on)
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


# -- setting a review up in the browser (issue 12) ---------------------------------------

def _framework_key(base: str) -> str:
    """A framework key not yet used: ``base``, else ``base-2``, ``base-3`` …"""
    base = slugify(base)[:70] or "framework"
    taken = set(Framework.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def copy_framework(*, source: Framework, by, key: str = "", name: str = "") -> Framework:
    """A new framework with ``source``'s domains and themes (retired ones left out), so
    that editing the copy never changes a review that uses ``source``."""
    spec = FrameworkSpec(
        key=_framework_key(key or source.key), name=name or source.name,
        description=source.description,
        domains=spec_for(source, active_only=True).domains,
        themes=spec_for(source, active_only=True).themes)
    framework = create_framework(spec=spec, by=by)
    audit.record(actor=by, verb="framework.copied", subject=framework, source=source.pk)
    return framework


@transaction.atomic
def set_up_review(
    *, title: str, slug: str, by, framework_from: Framework | None = None,
    region: Organisation | None = None, scope: str = "", opens_on: dt.date | None = None,
    closes_on: dt.date | None = None, reflection_by: dt.date | None = None,
    report_due_on: dt.date | None = None,
) -> Review:
    """Create a review with its own copy of a framework (the built-in one, read from its
    file, when ``framework_from`` is None), so editing its themes never changes another
    review.
    The creator becomes its lead (as with :func:`create_review`)."""
    title = " ".join(str(title or "").split())
    if not title:
        raise InvalidInput("A review needs a title")
    if len(title) > 255:
        raise InvalidInput("A review's title must be 255 characters or fewer")
    slug = slugify(slug or title)
    if not slug:
        raise InvalidInput("A review's web address needs at least one letter or digit")
    if Review.objects.filter(slug=slug).exists():
        raise InvalidInput(f"A review with the web address {slug!r} already exists: choose "
                           "another")
    if framework_from is None:  # the built-in file itself, whatever the stored one became
        spec = default_framework()
        framework = create_framework(spec=FrameworkSpec(
            key=_framework_key(f"review-{slug}"), name=spec.name, description=spec.description,
            domains=spec.domains, themes=spec.themes), by=by)
    else:
        framework = copy_framework(source=framework_from, key=f"review-{slug}", by=by)
    return create_review(title=title, slug=slug, framework=framework, by=by, region=region,
                         scope=str(scope or "").strip(), opens_on=opens_on,
                         closes_on=closes_on, reflection_by=reflection_by,
                         report_due_on=report_due_on)


def unique_review_slug(title: str) -> str:
    """A web address for a new review made from its title, not yet used (read-only)."""
    base = slugify(title)[:70] or "review"
    taken = set(Review.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


# The framework editor. Every change names the revision the editor's page was loaded
# with (None from scripts) and raises it, so two people editing at once never overwrite
# each other silently.

ITEM_MODELS = {"theme": Theme, "domain": Domain}
ITEM_FIELDS = ("name", "description", "keywords")


def framework_users(framework: Framework):
    """The reviews that code against ``framework``."""
    return Review.objects.filter(framework=framework)


def framework_locked(framework: Framework, review: Review) -> str:
    """Why ``review``'s lead may not edit ``framework`` now, or "" (read-only)."""
    others = framework_users(framework).exclude(pk=review.pk).count()
    if others:
        return (f"This framework is shared with {others} other review"
                f"{'s' if others != 1 else ''}: changing it here would change "
                f"{'them' if others != 1 else 'it'} too. A review can have its own copy while it is a "
                "draft with no findings; after that, change the framework for every review "
                "sharing it, from the command line.")
    if review.status in workflow.PUBLISHED_STATES:
        return "The report is published, so the framework it was written against is fixed."
    return ""


def _editable(framework: Framework, review: Review, revision: int | None) -> Framework:
    if framework.pk != review.framework_id:
        raise InvalidInput("That framework is not this review's")
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    why = framework_locked(framework, review)
    if why:
        raise InvalidTransition(why)
    check_revision(framework, revision, what="the framework")
    return framework


def _bump(framework: Framework) -> None:
    framework.revision += 1
    framework.save(update_fields=["revision"])


def _clean_item(changes: dict) -> dict:
    if "name" in changes:
        changes["name"] = " ".join(str(changes["name"] or "").split())
        if not changes["name"]:
            raise InvalidInput("Enter a name")
        if len(changes["name"]) > 200:
            raise InvalidInput("A name must be 200 characters or fewer")
    if "description" in changes:
        changes["description"] = str(changes["description"] or "").strip()
    if "keywords" in changes:
        words = changes["keywords"]
        if isinstance(words, str):
            words = words.replace("\n", ",").split(",")
        seen: dict[str, str] = {}
        for word in words:
            word = " ".join(str(word).split())
            if word and word.lower() not in seen:
                seen[word.lower()] = word
        changes["keywords"] = list(seen.values())
    return changes


@transaction.atomic
def add_framework_item(
    *, review: Review, kind: str, name: str, by, description: str = "",
    keywords=(), revision: int | None = None,
):
    """Add a theme or domain (``kind``) at the end of the review's framework; its key is
    made from its name."""
    model = ITEM_MODELS.get(kind)
    if model is None:
        raise InvalidInput(f"Unknown framework item {kind!r}; use theme or domain")
    framework = _editable(review.framework, review, revision)
    fields = _clean_item({"name": name, "description": description, "keywords": keywords})
    items = model.objects.filter(framework=framework)
    if items.filter(name__iexact=fields["name"]).exists():
        raise InvalidInput(f"There is already a {kind} called {fields['name']!r}")
    base = slugify(fields["name"])[:70] or kind
    taken = set(items.values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    last = items.order_by("-position").values_list("position", flat=True).first()
    item = model.objects.create(framework=framework, key=key, position=(last or 0) + 1,
                                **fields)
    _bump(framework)
    audit.record(actor=by, verb=f"framework.{kind}_added", subject=item, review=review, key=key)
    return item


def _item_kind(item) -> str:
    return "theme" if isinstance(item, Theme) else "domain"


@transaction.atomic
def update_framework_item(*, review: Review, item, by, revision: int | None = None, **changes):
    """Change a theme's or domain's name, description or keywords (its key stays: files
    and exports name it)."""
    check_fields(changes, allowed=ITEM_FIELDS, what=f"a {_item_kind(item)}")
    framework = _editable(review.framework, review, revision)
    item = type(item).objects.get(pk=item.pk, framework=framework)
    changes = _clean_item(changes)
    if "name" in changes and type(item).objects.filter(
            framework=framework, name__iexact=changes["name"]).exclude(pk=item.pk).exists():
        raise InvalidInput(f"There is already a {_item_kind(item)} called {changes['name']!r}")
    changed = apply_changes(item, changes)
    if changed:
        item.save(update_fields=changed)
        _bump(framework)
        audit.record(actor=by, verb=f"framework.{_item_kind(item)}_updated", subject=item,
                     review=review, fields=changed)
    return item


@transaction.atomic
def move_framework_item(*, review: Review, item, direction: str, by,
                        revision: int | None = None):
    """Move a theme or domain one place ``up`` or ``down`` among its framework's items."""
    if direction not in ("up", "down"):
        raise InvalidInput("Move an item up or down")
    framework = _editable(review.framework, review, revision)
    siblings = list(type(item).objects.filter(framework=framework).order_by("position", "id"))
    index = next((i for i, s in enumerate(siblings) if s.pk == item.pk), None)
    if index is None:
        raise InvalidInput("That item is not in this review's framework")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        raise InvalidInput(f"It is already {'first' if direction == 'up' else 'last'}")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    _bump(framework)
    audit.record(actor=by, verb=f"framework.{_item_kind(item)}_moved", subject=item,
                 review=review, direction=direction)
    return siblings[other]


def _check_leaves_a_theme(item) -> None:
    if isinstance(item, Theme) and not Theme.objects.filter(
            framework_id=item.framework_id, retired=False).exclude(pk=item.pk).exists():
        raise InvalidInput("A framework needs at least one theme in use: add another first")


@transaction.atomic
def retire_framework_item(*, review: Review, item, by, revision: int | None = None,
                          retired: bool = True):
    """Retire a theme or domain (``retired=False`` brings it back): kept for what already
    uses it, offered for nothing new."""
    framework = _editable(review.framework, review, revision)
    item = type(item).objects.get(pk=item.pk, framework=framework)
    if retired:
        _check_leaves_a_theme(item)
    if item.retired != retired:
        item.retired = retired
        item.save(update_fields=["retired"])
        _bump(framework)
        audit.record(actor=by, verb=f"framework.{_item_kind(item)}_"
                     f"{'retired' if retired else 'restored'}", subject=item, review=review)
    return item


@transaction.atomic
def delete_framework_item(*, review: Review, item, by, revision: int | None = None) -> None:
    """Delete a theme or domain nothing uses; one in use can only be retired."""
    framework = _editable(review.framework, review, revision)
    item = type(item).objects.get(pk=item.pk, framework=framework)
    kind = _item_kind(item)
    uses = item_uses(item)
    if uses:
        raise InvalidInput(f"{item.name} is used by {uses} code{'s' if uses != 1 else ''}, "
                           f"finding{'s' if uses != 1 else ''} or other record"
                           f"{'s' if uses != 1 else ''}: retire it instead, so they keep it")
    _check_leaves_a_theme(item)
    key = item.key
    item.delete()
    _bump(framework)
    audit.record(actor=by, verb=f"framework.{kind}_deleted", subject=framework, review=review,
                 key=key)


@dataclass
class FrameworkImport:
    added: list[str]
    updated: list[str]
    retired: list[str]
    deleted: list[str]


@transaction.atomic
def import_framework(*, review: Review, spec: FrameworkSpec, by,
                     revision: int | None = None) -> FrameworkImport:
    """Make the review's framework what ``spec`` (a parsed YAML file) says.

    Items are matched by key: those in the file are added or updated and put in the
    file's order (a retired one named again comes back); those left out are deleted when
    nothing uses them and retired when something does. All or nothing.
    """
    framework = _editable(review.framework, review, revision)
    result = FrameworkImport(added=[], updated=[], retired=[], deleted=[])
    for kind, wanted in (("domain", spec.domains), ("theme", spec.themes)):
        model = ITEM_MODELS[kind]
        current = {item.key: item for item in model.objects.filter(framework=framework)}
        for position, entry in enumerate(wanted):
            fields = _clean_item({"name": entry.name, "description": entry.description,
                                  "keywords": list(entry.keywords)})
            item = current.get(entry.key)
            if item is None:
                model.objects.create(framework=framework, key=entry.key, position=position,
                                     **fields)
                result.added.append(entry.name)
                continue
            changed = apply_changes(item, {**fields, "position": position, "retired": False})
            if changed:
                item.save(update_fields=changed)
                if set(changed) - {"position"}:
                    result.updated.append(entry.name)
        keys = {entry.key for entry in wanted}
        for key, item in current.items():
            if key in keys:
                continue
            if item_uses(item):
                if not item.retired:
                    item.retired = True
                    item.save(update_fields=["retired"])
                    result.retired.append(item.name)
            else:
                item.delete()
                result.deleted.append(item.name)
    if spec.description != framework.description:
        framework.description = spec.description
        framework.save(update_fields=["description"])
    _bump(framework)
    audit.record(actor=by, verb="framework.imported", subject=framework, review=review,
                 added=len(result.added), updated=len(result.updated),
                 retired=len(result.retired), deleted=len(result.deleted))
    return result


def own_framework_refused(review: Review) -> str:
    """Why a review sharing its framework cannot be given its own copy now, or ""."""
    try:
        _check_framework_change(review, Framework())
    except InvalidTransition as exc:
        return f"{exc}, so this review keeps the shared framework"
    return ""


@transaction.atomic
def give_review_own_framework(*, review: Review, by) -> Review:
    """Give a review that shares its framework its own copy (while the framework may still
    change: a draft with no findings or recommendations, as ``update_review`` rules)."""
    copy = copy_framework(source=review.framework, key=f"review-{review.slug}", by=by)
    return update_review(review=review, framework=copy, by=by)


# -- participants and members ------------------------------------------------------------

@transaction.atomic
def add_participants(*, review: Review, organisations, by) -> list[Participant]:
    """Add several organisations at once (those already taking part are left as they are);
    the participants added."""
    have = set(review.participants.values_list("organisation_id", flat=True))
    added = []
    for organisation in organisations:
        if organisation.pk in have:
            continue
        added.append(add_participant(review=review, organisation=organisation, by=by))
        have.add(organisation.pk)
    return added


def participant_removal_refused(participant: Participant) -> str:
    """Why this participant cannot be removed, or "" (read-only)."""
    name = participant.organisation.name
    if participant.submissions.exists():
        return (f"{name} has started or sent a submission, so it stays a participant; "
                "its material would be lost")
    if participant.review.findings.filter(organisation_id=participant.organisation_id).exists():
        return f"{name} has findings in this review, so it stays a participant"
    return ""


@transaction.atomic
def remove_participant(*, participant: Participant, by) -> None:
    """Take an organisation out of a review before it has sent anything: its personal
    links stop working and its contributors' roles in this review go with it."""
    participant = Participant.objects.select_related("organisation", "review").get(
        pk=participant.pk)
    refused = participant_removal_refused(participant)
    if refused:
        raise InvalidTransition(refused)
    review, name = participant.review, participant.organisation.name
    gone = Membership.objects.filter(review=review, organisation=participant.organisation,
                                     role=Role.CONTRIBUTOR)
    members = gone.count()
    gone.delete()
    participant.delete()
    audit.record(actor=by, verb="participant.removed", subject=review, review=review,
                 organisation=name, contributors_removed=members)


def _check_role(role: str, organisation) -> None:
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; use one of {', '.join(Role.values)}")
    if role in (Role.CONTRIBUTOR, Role.ACTION_OWNER) and organisation is None:
        raise InvalidInput(f"{a_or_an(Role(role).label.lower()).capitalize()} must belong to an "
                           "organisation")


def _check_not_last_lead(membership: Membership) -> None:
    if membership.role == Role.LEAD and not Membership.objects.filter(
            review_id=membership.review_id, role=Role.LEAD).exclude(pk=membership.pk).exists():
        raise InvalidTransition("A review needs a lead: make someone else its lead first")


@transaction.atomic
def change_member_role(*, membership: Membership, role: str, by,
                       organisation: Organisation | None = None) -> Membership:
    """Give a member another role (and, for contributors and action owners, organisation)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_role(role, organisation)
    if role not in (Role.CONTRIBUTOR, Role.ACTION_OWNER):
        organisation = None
    if membership.role == role and membership.organisation_id == (
            organisation.pk if organisation else None):
        return membership
    if role != Role.LEAD:
        _check_not_last_lead(membership)
    if Membership.objects.filter(review_id=membership.review_id, user_id=membership.user_id,
                                 role=role, organisation=organisation).exists():
        raise InvalidInput("They already have that role")
    previous = membership.role
    membership.role, membership.organisation = role, organisation
    membership.save(update_fields=["role", "organisation"])
    audit.record(actor=by, verb="member.role_changed", subject=membership,
                 review=membership.review, member=membership.user_id, previous=previous,
                 role=role)
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by) -> None:
    """Take a role away (the account stays: it may have others)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_not_last_lead(membership)
    review, member, role = membership.review, membership.user_id, membership.role
    membership.delete()
    audit.record(actor=by, verb="member.removed", subject=review, review=review,
                 member=member, role=role)


@transaction.atomic
def add_member_by_email(*, review: Review, role: str, by, email: str = "", username: str = "",
                        full_name: str = "",
                        organisation: Organisation | None = None) -> Membership:
    """Give a role to an existing account named by ``username``, or to the account with
    this ``email`` address, making one (without a password: they sign in by an invitation
    link or once an administrator sets one) if none has it."""
    _check_role(role, organisation)
    User = get_user_model()
    username = str(username or "").strip()
    if username:
        account = User.objects.filter(username__iexact=username).first()
        if account is None:
            raise InvalidInput(f"There is no account called {username!r}: give their email "
                               "address to make one")
        who = username
    else:
        email = str(email or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(f"{email or 'The email address'} is not a valid email "
                               "address") from None
        account = User.objects.filter(email__iexact=email).order_by("pk").first()
        if account is None:
            base = email.lower()[:140]
            name, n = base, 1
            while User.objects.filter(username=name).exists():
                n += 1
                name = f"{base}-{n}"
            account = create_user(username=name, email=email, by=by,
                                  full_name=" ".join(str(full_name or "").split()))
        who = email
    if Membership.objects.filter(review=review, user=account, role=role,
                                 organisation=organisation).exists():
        raise InvalidInput(f"{who} already has that role in this review")
    return add_member(review=review, member=account, role=role, organisation=organisation,
                      by=by)

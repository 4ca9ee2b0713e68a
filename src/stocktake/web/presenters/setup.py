"""What the review set-up pages show: the workflow's next steps in words, a framework's
items as rows, and the choices of the set-up forms."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from stocktake.reviews.models import LEVEL_ORDER, OrganisationLevel, Role
from stocktake.reviews.workflow import VALID_TRANSITIONS, ReviewStatus

S = ReviewStatus

# (from, to) -> (button, what it does and what it triggers). Every move the workflow
# table allows has its words; tracking is reached only by publishing the report.
STEPS: dict[tuple[str, str], tuple[str, str]] = {
    (S.DRAFT, S.COLLECTING): (
        "Open collection",
        "Participants can then be invited: each contact gets a personal link to their "
        "organisation's submission form, and forms can be saved and submitted until the "
        "closing date. Reviewers can upload documents.",
    ),
    (S.COLLECTING, S.DRAFT): (
        "Back to draft",
        "Forms can no longer be saved or submitted and no invitations or reminders can be "
        "sent; nothing already submitted is lost. Use it to change the framework before "
        "anything has been collected.",
    ),
    (S.COLLECTING, S.ASSESSING): (
        "Close collection and start assessing",
        "Forms can no longer be saved or submitted and invitations stop being sent. "
        "Reviewers analyse and code the findings; contributors still see their own "
        "organisation's material.",
    ),
    (S.ASSESSING, S.COLLECTING): (
        "Reopen collection",
        "Forms can be saved and submitted again and invitations and reminders sent; codes "
        "already made are kept.",
    ),
    (S.ASSESSING, S.REPORTING): (
        "Start writing the report",
        "The report is drafted from the coded findings: narratives, evidence, "
        "recommendations and appendices. Coding can go on.",
    ),
    (S.REPORTING, S.ASSESSING): (
        "Back to assessing",
        "The draft report is kept; the review shows as assessing again.",
    ),
    (S.TRACKING, S.CLOSED): (
        "Close the review",
        "The review is finished: personal links stop working and nothing more is collected. "
        "It cannot be reopened.",
    ),
}
PUBLISH_STEP = (
    "Publish the report",
    "A review moves to tracking only when its report is published: publishing runs the "
    "checks, freezes a version and agrees the draft recommendations, and everyone with a "
    "role then sees the submitted material.",
)


@dataclass(frozen=True)
class Step:
    status: str
    button: str
    explanation: str
    backwards: bool
    href: str = ""  # a page to go to instead of a button (publishing)


def next_steps(review) -> list[Step]:
    """The moves open to the review now, forwards first."""
    order = list(S.values)
    steps = []
    for target in sorted(
        VALID_TRANSITIONS.get(review.status, set()),
        key=lambda t: (order.index(t) < order.index(review.status), order.index(t)),
    ):
        backwards = order.index(target) < order.index(review.status)
        if target == S.TRACKING:
            steps.append(
                Step(
                    target,
                    *PUBLISH_STEP,
                    backwards=False,
                    href=reverse("report_publish", kwargs={"slug": review.slug}),
                )
            )
        else:
            steps.append(Step(target, *STEPS[(review.status, target)], backwards=backwards))
    return steps


def step_to(review, status: str) -> Step | None:
    return next(
        (step for step in next_steps(review) if step.status == status and not step.href), None
    )


def timeline(review) -> list[dict]:
    """The review's states in order, each marked done, current or to come."""
    order = list(S.values)
    here = order.index(review.status)
    return [
        {
            "label": choice.label,
            "state": ("current" if i == here else "done" if i < here else "to come"),
        }
        for i, choice in enumerate(S)
    ]


def region_choices(tree) -> list[tuple[int, str]]:
    """Regions and systems of the register, each system under its region, for a review's
    scope."""
    keep = {OrganisationLevel.REGION, OrganisationLevel.SYSTEM}
    rows = []
    for org in sorted(
        (o for o in tree.by_id.values() if o.level in keep),
        key=lambda o: (
            tree.ancestors(o.id)[-1].name if tree.ancestors(o.id) else o.name,
            LEVEL_ORDER.index(o.level),
            o.name,
        ),
    ):
        label = org.name if org.level == OrganisationLevel.REGION else f"{org.name} (system)"
        rows.append((org.id, label))
    return rows


def select_items(choices, chosen, empty: str) -> list[dict]:
    """NHS.UK select items for ``choices`` (value, text), ``chosen`` selected."""
    chosen = "" if chosen in (None, "") else str(chosen)
    items = [{"value": "", "text": empty, "selected": chosen == ""}] if empty is not None else []
    return items + [
        {"value": str(value), "text": text, "selected": str(value) == chosen}
        for value, text in choices
    ]


ROLE_HINTS = {
    Role.LEAD: "everything, including set-up, the workflow and publishing",
    Role.REVIEWER: "reads all submitted material, codes findings, uploads documents, "
    "writes the report",
    Role.CONTRIBUTOR: "their organisation's submission and material",
    Role.ACTION_OWNER: "the recommendations their organisation owns, and their progress",
    Role.VIEWER: "the review's overview; submitted material once the report is published",
}


def role_items(chosen: str) -> list[dict]:
    return [
        {
            "value": role.value,
            "text": f"{role.label}: {ROLE_HINTS[role]}",
            "checked": role.value == chosen,
        }
        for role in Role
    ]


@dataclass(frozen=True)
class ItemRow:
    id: int
    key: str
    name: str
    description: str
    keywords: str
    retired: bool
    first: bool
    last: bool
    uses: int


def item_rows(items, uses: dict[int, int]) -> list[ItemRow]:
    items = list(items)
    return [
        ItemRow(
            id=i.id,
            key=i.key,
            name=i.name,
            description=i.description,
            keywords=", ".join(i.keywords),
            retired=i.retired,
            first=n == 0,
            last=n == len(items) - 1,
            uses=uses.get(i.id, 0),
        )
        for n, i in enumerate(items)
    ]

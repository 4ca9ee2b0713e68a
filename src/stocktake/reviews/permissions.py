"""Who may do what in a review. Views and actions ask here; nothing else decides.

Rules (also tabulated in ARCHITECTURE.md):

- Superusers act as review leads everywhere.
- Review lead: everything in the review, including its workflow.
- Reviewer: reads all submitted material, codes findings, imports documents.
- Contributor: their own organisation's material (and that of organisations
  below it), drafts included, until the report is published; afterwards also
  everyone's submitted material.
- Action owner: the recommendations their organisation owns, and reports
  progress on them; after publication, submitted material like a viewer.
- Viewer: the review's overview and, after publication, submitted material.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stocktake.core.errors import NotAllowed
from stocktake.reviews.models import Membership, Review, Role
from stocktake.reviews.orgtree import OrgTree

CAPABILITIES: dict[str, set[str]] = {
    "view_review": {Role.LEAD, Role.REVIEWER, Role.CONTRIBUTOR, Role.ACTION_OWNER, Role.VIEWER},
    "view_all_submitted": {Role.LEAD, Role.REVIEWER},
    "view_audit": {Role.LEAD},
    "code_findings": {Role.LEAD, Role.REVIEWER},
    "import_documents": {Role.LEAD, Role.REVIEWER},
    "manage_review": {Role.LEAD},
    "write_submission": {Role.CONTRIBUTOR, Role.LEAD},
    "report_progress": {Role.ACTION_OWNER, Role.LEAD},
}


@dataclass(frozen=True)
class Access:
    """A user's roles in one review, worked out once per request."""

    user_id: int | None
    review_id: int
    published: bool
    superuser: bool = False
    roles: frozenset[str] = frozenset()
    # organisation ids a contributor / action owner speaks for, with their descendants
    organisation_ids: dict[str, frozenset[int]] = field(default_factory=dict)

    def has(self, capability: str) -> bool:
        if self.superuser:
            return True
        return bool(self.roles & CAPABILITIES[capability])

    def require(self, capability: str) -> None:
        if not self.has(capability):
            raise NotAllowed(f"You do not have permission to {capability.replace('_', ' ')}")

    @property
    def sees_all_submitted(self) -> bool:
        return self.has("view_all_submitted") or (self.published and self.has("view_review"))

    def own_organisations(self, role: str = Role.CONTRIBUTOR) -> frozenset[int]:
        return self.organisation_ids.get(role, frozenset())


def access_for(user, review: Review) -> Access:
    if user is None or not user.is_authenticated:
        return Access(user_id=None, review_id=review.pk, published=review.is_published)
    memberships = list(Membership.objects.filter(review=review, user=user))
    orgs: dict[str, set[int]] = {}
    for membership in memberships:
        if membership.organisation_id:
            orgs.setdefault(membership.role, set()).add(membership.organisation_id)
    tree = OrgTree.shared() if orgs else None  # read once per change of the organisations
    return Access(
        user_id=user.pk,
        review_id=review.pk,
        published=review.is_published,
        superuser=user.is_superuser,
        roles=frozenset(m.role for m in memberships),
        organisation_ids={role: tree.descendants_of(ids) for role, ids in orgs.items()},
    )


def require(user, review: Review, capability: str) -> Access:
    access = access_for(user, review)
    access.require(capability)
    return access


def reviews_visible_to(user):
    """Reviews the user has any role in (all of them for a superuser)."""
    if user is None or not user.is_authenticated:
        return Review.objects.none()
    if user.is_superuser:
        return Review.objects.all()
    return Review.objects.filter(memberships__user=user).distinct()

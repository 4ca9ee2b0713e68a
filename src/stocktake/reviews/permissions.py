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
- Reflection sessions: leads and reviewers schedule and run them and alone read their
  notes; a contributor sees the sessions of their own system (time, place, attendees'
  names, agenda, summary); action owners and viewers see none.

Creating a review (``may_create_review``): superusers, staff, and anyone who leads a
review already (they have been trusted to run one); the creator becomes its lead.

The organisation register is not part of one review:

- Anyone with a role in some review (and superusers) may read it; the reviews an
  organisation takes part in are listed only where the reader may see them.
- Superusers, staff and review leads may add and edit organisations.
- Merging two organisations and importing the register from CSV change every review
  that names them: superusers and staff only.
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
    # The report builder: narratives, evidence, recommendations, appendices (the draft).
    "edit_report": {Role.LEAD, Role.REVIEWER},
    # Running the publish checks, publishing and publishing corrections.
    "publish_report": {Role.LEAD},
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


def may_report_progress(access: Access, *, owner_id: int | None,
                        organisation_id: int | None = None) -> bool:
    """Whether the user may update a recommendation owned by ``owner_id`` (about the system
    ``organisation_id`` where it is tracked per system): leads any; action owners those their
    organisations own, and a per-system one's status for a system they speak for."""
    if access.superuser or access.has("manage_review"):
        return True
    if not access.has("report_progress"):
        return False
    owned = access.own_organisations(Role.ACTION_OWNER)
    return (owner_id is not None and owner_id in owned) or (
        organisation_id is not None and organisation_id in owned)


def may_see_sessions(access: Access) -> bool:
    """Reflection sessions: leads and reviewers run them all; contributors see their own
    system's (agenda, attendees, summary; never the reviewers' notes); nobody else any."""
    return access.has("code_findings") or bool(
        access.has("write_submission") and access.own_organisations())


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


# -- the organisation register -----------------------------------------------------------

def _staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser
                                                                 or user.is_staff))


def may_view_register(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return _staff(user) or Membership.objects.filter(user=user).exists()


def may_edit_register(user) -> bool:
    """Add organisations and edit them (names, acronyms, aliases, type, place)."""
    if user is None or not user.is_authenticated:
        return False
    return _staff(user) or Membership.objects.filter(user=user, role=Role.LEAD).exists()


def may_merge_register(user) -> bool:
    """Merge organisations and import the register: changes every review that names them."""
    return _staff(user)


def may_create_review(user) -> bool:
    """Start a new review (and become its lead): staff, superusers and review leads."""
    if user is None or not user.is_authenticated:
        return False
    return _staff(user) or Membership.objects.filter(user=user, role=Role.LEAD).exists()

"""Who may see and log innovations: the one scope for the register, outside any review.

Access elsewhere is per review (:mod:`stocktake.reviews.permissions`). Innovations are
logged by organisations at any time, so their scope is worked out from all of a user's
memberships at once:

- staff and superusers see every innovation;
- a lead or reviewer of a review sees the organisations of its region (the region and
  everything below it) and the innovations logged in that review;
- a contributor or action owner sees, and may log for, the organisations they speak for
  and those below them (business units);
- a viewer sees the region's innovations once the review is published.

Leads and reviewers may log for any organisation of their reviews' regions, and curate
its register there (accept or change the coder's themes, name and confirm golden
threads). Whoever may log for an innovation's organisation may edit it. Every page,
export and API that lists innovations filters through :func:`innovations_visible_to`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from stocktake.reviews.models import Membership, Role
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.workflow import PUBLISHED_STATES
from stocktake.track.models import Innovation

SPEAKS_FOR = (Role.CONTRIBUTOR, Role.ACTION_OWNER)
SEES_REGION = (Role.LEAD, Role.REVIEWER)


@dataclass(frozen=True)
class InnovationScope:
    """The organisations (ids) a user sees and may log innovations for; None: all of them."""

    sees: frozenset[int] | None
    logs_for: frozenset[int] | None
    reviews: frozenset[int]  # innovations logged in these reviews are visible too
    curates: frozenset[int] | None = frozenset()  # leads' and reviewers' organisations

    @property
    def curates_any(self) -> bool:
        return self.curates is None or bool(self.curates)

    def may_curate(self, organisation_id: int) -> bool:
        return self.curates is None or organisation_id in self.curates

    def may_edit(self, innovation) -> bool:
        return self.may_log_for(innovation.organisation_id)

    @property
    def everything(self) -> bool:
        return self.sees is None

    def may_see(self, innovation) -> bool:
        return (self.sees is None or innovation.organisation_id in self.sees
                or innovation.review_id in self.reviews)

    def may_log_for(self, organisation_id: int) -> bool:
        return self.logs_for is None or organisation_id in self.logs_for

    @property
    def key(self) -> str:
        """What :func:`innovations_visible_to` filters by, as a digest: two scopes with the
        same key see the same innovations (for naming what is kept per scope)."""
        if self.sees is None:
            return "everything"
        return hashlib.sha256(("|".join(map(str, sorted(self.sees))) + "/"
                               + "|".join(map(str, sorted(self.reviews)))).encode()).hexdigest()


def innovation_scope(user) -> InnovationScope:
    if user is None or not user.is_authenticated:
        return InnovationScope(sees=frozenset(), logs_for=frozenset(), reviews=frozenset())
    if user.is_superuser or user.is_staff:
        return InnovationScope(sees=None, logs_for=None, reviews=frozenset(), curates=None)
    tree = OrgTree.shared()
    sees: set[int] = set()
    logs: set[int] = set()
    reviews: set[int] = set()
    curates: set[int] = set()
    for role, org_id, review_id, region_id, status in Membership.objects.filter(
            user=user).values_list("role", "organisation_id", "review_id", "review__region_id",
                                   "review__status"):
        if role in SEES_REGION:
            reviews.add(review_id)
            if region_id:
                sees |= tree.descendants(region_id)
                logs |= tree.descendants(region_id)
                curates |= tree.descendants(region_id)
        elif role in SPEAKS_FOR and org_id:
            sees |= tree.descendants(org_id)
            logs |= tree.descendants(org_id)
        elif role == Role.VIEWER and region_id and status in PUBLISHED_STATES:
            sees |= tree.descendants(region_id)
    return InnovationScope(sees=frozenset(sees), logs_for=frozenset(logs),
                           reviews=frozenset(reviews), curates=frozenset(curates))


def organisations_user_may_log_for(user) -> list:
    """The organisations ``user`` may log innovations for, in register order (by name)."""
    scope = innovation_scope(user)
    tree = OrgTree.shared()
    ids = tree.by_id.keys() if scope.logs_for is None else scope.logs_for
    return sorted((tree.get(i) for i in ids if tree.get(i) is not None),
                  key=lambda o: o.name.lower())


def innovations_visible_to(user, queryset: QuerySet | None = None, *,
                           scope: InnovationScope | None = None) -> QuerySet:
    """The innovations ``user`` may see (of ``queryset``, default all); ``scope``: the
    user's, where the caller has worked it out already."""
    qs = Innovation.objects.all() if queryset is None else queryset
    scope = scope if scope is not None else innovation_scope(user)
    if scope.everything:
        return qs
    return qs.filter(Q(organisation_id__in=scope.sees) | Q(review_id__in=scope.reviews))

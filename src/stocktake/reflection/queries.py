"""What the session pages read (read only): sessions within the user's scope, whom a
session may be held with, the contacts to invite, and the findings a session made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from stocktake.collect.models import Finding
from stocktake.reflection.agenda import session_organisation_ids
from stocktake.reflection.models import (
    ReflectionSession,
    SessionFinding,
    SessionOrganisation,
    SessionStatus,
)
from stocktake.reviews.models import Membership, OrganisationLevel, Participant, Role
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import Access

DASHBOARD_SESSIONS = 5


def sessions(access: Access, *, tree: OrgTree | None = None) -> QuerySet[ReflectionSession]:
    """The sessions the user may see, soonest first, their organisations prefetched."""
    return (
        ReflectionSession.objects.visible_to(access, tree=tree)
        .prefetch_related(
            Prefetch("organisations", SessionOrganisation.objects.select_related("organisation"))
        )
        .order_by("starts_at", "id")
    )


def session(access: Access, session_id: int) -> ReflectionSession | None:
    return sessions(access).select_related("review").filter(pk=session_id).first()


def upcoming(access: Access, *, limit: int = DASHBOARD_SESSIONS) -> tuple[list, int]:
    """The next scheduled sessions (for the dashboard) and how many sessions the user sees."""
    visible = sessions(access)
    soon = list(
        visible.filter(
            status=SessionStatus.SCHEDULED, starts_at__gte=timezone.now() - dt.timedelta(hours=12)
        )[:limit]
    )
    return soon, visible.count()


@dataclass(frozen=True)
class Group:
    """A system and the review's participants in it: whom a session may be held with."""

    system_id: int | None
    system_name: str
    participants: list[tuple[int, str]]  # organisation id, name


def groups(review, tree: OrgTree) -> list[Group]:
    """The review's participants by system (systems by name; those in none last)."""
    by_system: dict[int | None, list[tuple[int, str]]] = {}
    for org_id in (
        Participant.objects.filter(review=review)
        .order_by("organisation__name")
        .values_list("organisation_id", flat=True)
    ):
        system = tree.system_of(org_id)
        if system is not None and system.id == org_id:
            by_system.setdefault(org_id, [])
            continue
        by_system.setdefault(system.id if system else None, []).append((org_id, tree.name(org_id)))
    out = [
        Group(
            system_id=key,
            system_name=tree.name(key) if key else "Not in a system",
            participants=items,
        )
        for key, items in by_system.items()
    ]
    return sorted(out, key=lambda g: (g.system_id is None, g.system_name))


@dataclass(frozen=True)
class Contact:
    key: str  # "p12" (a participant's contact) or "m7" (a member who speaks for one)
    name: str
    email: str
    role: str


def contacts(review, organisation_ids, tree: OrgTree) -> list[Contact]:
    """The named contacts of the participants a session is with, and the contributors who
    speak for them, once each by email address."""
    ids = session_organisation_ids(organisation_ids, tree)
    found: dict[str, Contact] = {}
    for pid, org_id, name, email in (
        Participant.objects.filter(review=review, organisation_id__in=ids)
        .exclude(contact_email="")
        .order_by("organisation__name")
        .values_list("pk", "organisation_id", "contact_name", "contact_email")
    ):
        found.setdefault(
            email.lower(), Contact(f"p{pid}", name or email, email, f"Contact, {tree.name(org_id)}")
        )
    users = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(
            review=review, role=Role.CONTRIBUTOR, organisation_id__in=ids
        ).values("user_id")
    )
    for user in users.order_by("last_name", "first_name", "pk"):
        if user.email:
            found.setdefault(
                user.email.lower(),
                Contact(
                    f"m{user.pk}",
                    user.get_full_name() or user.get_username(),
                    user.email,
                    "Contributor",
                ),
            )
    return list(found.values())


def is_system(org) -> bool:
    return org.level == OrganisationLevel.SYSTEM


def session_findings(
    access: Access, session: ReflectionSession
) -> list[tuple[SessionFinding, Finding | None]]:
    """The findings made from the session's notes; None where the user may not see one."""
    links = list(SessionFinding.objects.filter(session=session).order_by("line", "id"))
    visible = {
        f.pk: f
        for f in Finding.objects.visible_to(access)
        .filter(pk__in=[link.finding_id for link in links])
        .select_related("organisation")
    }
    return [(link, visible.get(link.finding_id)) for link in links]


def finding_source(access: Access, finding_id: int) -> tuple[bool, ReflectionSession | None]:
    """Whether a finding was made from a session's notes, and that session if the user may
    see it (else None: they are told only that it came from a session)."""
    link = (
        SessionFinding.objects.filter(finding_id=finding_id)
        .values_list("session_id", flat=True)
        .first()
    )
    if link is None:
        return False, None
    return True, ReflectionSession.objects.visible_to(access).filter(pk=link).first()

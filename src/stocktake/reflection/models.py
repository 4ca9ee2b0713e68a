"""Reflection sessions: a review's meeting with one system's leaders (or any group of its
participants) to explore the significant learning behind their submissions.

A session has a time and place, the organisations it is with, its attendees, an agenda
drafted from the assessment, the reviewers' notes taken during it, and a summary written
afterwards. Notes are the reviewers' own: contributors of the session's systems see the
agenda, attendees and summary, never the notes (see :meth:`SessionQuerySet.visible_to`
and docs/user/reflection-sessions.md). Findings made from the notes are ordinary findings
(a submitted submission of the organisation, so they are scoped and coded like any other),
linked back by :class:`SessionFinding`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import Access, may_see_sessions


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


def own_system_organisations(access: Access, tree: OrgTree) -> frozenset[int]:
    """Every organisation in the systems a contributor speaks for (their organisations'
    systems and everything below them); nothing for anyone else."""
    own = access.own_organisations()
    if not own:
        return frozenset()
    systems = {s.id for s in (tree.system_of(org_id) for org_id in own) if s is not None}
    return tree.descendants_of(systems) | own


class SessionQuerySet(models.QuerySet):
    def visible_to(self, access: Access, *, tree: OrgTree | None = None):
        """Sessions this user may see: leads and reviewers all of the review's; a contributor
        those with an organisation of their own system; nobody else any."""
        qs = self.filter(review_id=access.review_id)
        if access.has("code_findings"):
            return qs
        if not may_see_sessions(access):
            return qs.none()
        orgs = own_system_organisations(access, tree or OrgTree.shared())
        if not orgs:
            return qs.none()
        return qs.filter(
            Q(
                pk__in=SessionOrganisation.objects.filter(organisation_id__in=orgs).values(
                    "session_id"
                )
            )
        )


class ReflectionSession(models.Model):
    """One reflection session of a review (about 90 minutes, with a system's leaders)."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="reflection_sessions"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    place = models.CharField(max_length=255, blank=True)
    video_link = models.URLField(max_length=500, blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancel_reason = models.CharField(max_length=255, blank=True)
    # The agenda as typed (Markdown) and its sanitised HTML (core/richtext.py), the only
    # form shown. ``agenda_drafted``: still as drafted from the assessment (not edited).
    agenda_source = models.TextField(blank=True)
    agenda_html = models.TextField(blank=True)
    agenda_drafted = models.BooleanField(default=True)
    # Questions the reviewers want to ask, one a line; the agenda's last part.
    open_questions = models.TextField(blank=True)
    # The reviewers' private notes, autosaved as they type; their own revision, so an
    # autosave never waits on (or overwrites) an edit of the schedule.
    notes = models.TextField(blank=True)
    notes_revision = models.PositiveIntegerField(default=1)
    notes_saved_at = models.DateTimeField(null=True, blank=True)
    notes_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary_source = models.TextField(blank=True)
    summary_html = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)  # schedule, agenda and summary
    # The calendar event's SEQUENCE (RFC 5545): raised whenever its time or place changes.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["review", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class SessionOrganisation(models.Model):
    """An organisation (a system, or any participant) the session is held with."""

    session = models.ForeignKey(
        ReflectionSession, on_delete=models.CASCADE, related_name="organisations"
    )
    organisation = models.ForeignKey(
        "reviews.Organisation", on_delete=models.PROTECT, related_name="reflection_sessions"
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="unique_session_organisation"
            )
        ]


class SessionAttendee(models.Model):
    """Someone invited to the session: a participant's contact, or added by hand."""

    session = models.ForeignKey(
        ReflectionSession, on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=200, blank=True)  # "Chief executive, Ashby General"
    from_contacts = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class SessionFinding(models.Model):
    """A finding made from a line of a session's notes."""

    session = models.ForeignKey(
        ReflectionSession, on_delete=models.CASCADE, related_name="session_findings"
    )
    finding = models.OneToOneField(
        "collect.Finding", on_delete=models.CASCADE, related_name="reflection_session"
    )
    line = models.PositiveIntegerField()  # the notes line it was made from, counted from 1
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["line", "id"]

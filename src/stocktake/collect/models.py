"""What participants send: source documents, submissions, findings and examples."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from stocktake.analysis import pii
from stocktake.reviews.permissions import Access


def scoped(queryset, access: Access, *, organisation: str, submitted: Q):
    """The one visibility rule for submitted material (see reviews.permissions).

    Everyone who sees all submitted material gets what ``submitted`` selects
    plus their own organisations' drafts; a contributor before publication
    gets only their own organisations' material; anyone else gets nothing.
    """
    qs = queryset.filter(review_id=access.review_id)
    mine = access.own_organisations()
    own = Q(**{f"{organisation}__in": mine})
    if access.sees_all_submitted:
        # With no organisations of their own (leads, reviewers), ``own`` matches nothing:
        # left out, so the query does not join the tables it names (planning them cost
        # PostgreSQL more than running the query).
        return qs.filter(submitted | own) if mine else qs.filter(submitted)
    if mine:
        return qs.filter(own)
    return qs.none()


def scope_key(access: Access) -> tuple:
    """What :func:`scoped` decides by, as a value: two users with equal keys see the same
    material. For naming what is kept per scope without compiling a queryset's SQL (about
    half a millisecond a request); change it with :func:`scoped`."""
    return (access.review_id, access.sees_all_submitted,
            tuple(sorted(access.own_organisations())))


class SourceDocument(models.Model):
    """An original file as received, stored with its hash so re-imports are recognised."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="documents"
    )
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, help_text="Relative to MEDIA_ROOT")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    format = models.CharField(max_length=20)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["original_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "sha256"], name="unique_document_per_review")
        ]

    def __str__(self) -> str:
        return self.original_name


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """The submissions this user may see in the review (see reviews.permissions)."""
        return scoped(self, access, organisation="participant__organisation_id",
                      submitted=Q(status=SubmissionStatus.SUBMITTED))


class Submission(models.Model):
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="submissions"
    )
    participant = models.ForeignKey(
        "reviews.Participant", on_delete=models.CASCADE, related_name="submissions"
    )
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    source_document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="submissions",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["participant__organisation__name", "id"]

    def __str__(self) -> str:
        return f"Submission from {self.participant.organisation}"


class SectionKind(models.TextChoices):
    ACHIEVEMENTS = "achievements", "Key achievements"
    CHALLENGES = "challenges", "Challenges"
    LEARNING = "learning", "Significant learning"
    EXAMPLES = "examples", "Examples of innovation or good practice"
    KEEP = "keep", "What should be kept"
    GENERAL = "general", "General"


class SubmissionSection(models.Model):
    """Free text a submission gives for one domain and one kind of section."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sections")
    domain = models.ForeignKey(
        "reviews.Domain", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=SectionKind.choices, default=SectionKind.GENERAL)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["domain__position", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "domain", "kind"], name="unique_section")
        ]


class Polarity(models.TextChoices):
    ACHIEVEMENT = "achievement", "Achievement"
    CHALLENGE = "challenge", "Challenge"
    MIXED = "mixed", "Mixed"
    NEUTRAL = "neutral", "Neutral"


class Origin(models.TextChoices):
    SOURCE = "source", "Stated in the source"
    MACHINE = "machine", "Suggested by analysis"
    HUMAN = "human", "Set by a reviewer"


class FindingQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """The findings this user may see in the review (see reviews.permissions)."""
        return scoped(self, access, organisation="submission__participant__organisation_id",
                      submitted=Q(submission__status=SubmissionStatus.SUBMITTED))


class Finding(models.Model):
    """One atomic statement from a submission, linked back to where it came from."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="findings")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="findings")
    organisation = models.ForeignKey(
        "reviews.Organisation", on_delete=models.PROTECT, related_name="findings"
    )
    domain = models.ForeignKey(
        "reviews.Domain", null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    section = models.CharField(max_length=20, choices=SectionKind.choices, default=SectionKind.GENERAL)
    text = models.TextField()
    polarity = models.CharField(
        max_length=20, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    polarity_origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.MACHINE)
    source_document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    source_location = models.CharField(max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "position", "id"]
        indexes = [models.Index(fields=["review", "domain"]), models.Index(fields=["review", "polarity"]),
                   # a finding's neighbours in its document, and a document read in order
                   models.Index(fields=["submission", "position", "id"])]

    def __str__(self) -> str:
        return self.text[:80]


class SimilarFinding(models.Model):
    """One of a finding's most similar findings from other organisations, worked out in the
    background (:mod:`stocktake.collect.similar`) so that a finding's page reads them with
    one indexed query instead of searching the review. ``rank`` 0 is the most similar."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="similar")
    neighbour = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="similar_to")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()  # cosine of the two findings' TF-IDF vectors, in [0, 1]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["finding", "rank"],
                                               name="unique_similar_finding_rank")]


class SimilarityState(models.Model):
    """How far a review's similar findings are worked out.

    ``changes`` moves on with every change to the review's findings (added, text or
    organisation corrected, redacted, removed); a computation records the value it
    started from in ``computed`` and the newest finding it included in ``through``.
    Computed and nothing changed since: a finding with no similar findings has none."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, primary_key=True,
                                  related_name="similarity")
    changes = models.PositiveIntegerField(default=0)
    computed = models.PositiveIntegerField(null=True, blank=True)
    through = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    # The background round under way: the ``changes`` it started from, and when it last
    # wrote (a round silent for longer than STOCKTAKE_ANALYSIS_STALE_SECONDS lost its worker).
    working_from = models.PositiveIntegerField(null=True, blank=True)
    worked_at = models.DateTimeField(null=True, blank=True)

    @property
    def current(self) -> bool:
        return self.computed == self.changes


class ExampleQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        return scoped(self, access, organisation="organisation_id",
                      submitted=Q(submission__isnull=True)
                      | Q(submission__status=SubmissionStatus.SUBMITTED))


class Example(models.Model):
    """A best-practice or innovation example, for the report's appendix and later tracking."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="examples")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="examples"
    )
    organisation = models.ForeignKey(
        "reviews.Organisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="examples",
    )
    domain = models.ForeignKey(
        "reviews.Domain", null=True, blank=True, on_delete=models.PROTECT, related_name="examples"
    )
    title = models.CharField(max_length=255)
    synopsis = models.TextField(blank=True)
    source_document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="examples"
    )
    source_location = models.CharField(max_length=255, blank=True)
    # The finding it was made from, when a reviewer marked a finding as an example.
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="examples"
    )
    # Curation for the report's appendix: left out (with why), or merged into another
    # example (a duplicate; kept, so the merge can be seen and undone).
    excluded = models.BooleanField(default=False)
    excluded_reason = models.CharField(max_length=255, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExampleQuerySet.as_manager()

    class Meta:
        ordering = ["domain__position", "title"]

    def __str__(self) -> str:
        return self.title


class PersonalDataKind(models.TextChoices):
    NHS_NUMBER = pii.NHS_NUMBER, "NHS number"
    EMAIL = pii.EMAIL, "Email address"
    UK_PHONE = pii.UK_PHONE, "Phone number"
    UK_POSTCODE = pii.UK_POSTCODE, "Postcode"
    PERSON_NAME = pii.PERSON_NAME, "Name"


class PersonalDataStatus(models.TextChoices):
    FLAGGED = "flagged", "Flagged"  # found, no decision yet: hidden from everyone but leads
    REDACTED = "redacted", "Redacted"  # replaced in the text by [NHS number] etc.
    KEPT = "kept", "Kept"  # a lead decided it may be shown


class PersonalDataFlagQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """Only the review's leads see what was flagged (it points at personal data)."""
        if not access.has("manage_review"):
            return self.none()
        return self.filter(review_id=access.review_id)


class PersonalDataFlag(models.Model):
    """One item of possible personal data found in a finding's or an example's text, or in
    the text of something a higher app registered with
    :func:`stocktake.collect.personal_data.register` (a recommendation, a case study, a
    response to a recommendation): then ``content_type`` and ``object_id`` name it, so
    collect holds the one list of flags without importing those apps.

    ``start``/``end`` index the current text of ``field`` (for a redacted item, its
    placeholder). The flagged characters themselves are not copied here: the text
    holds them until a lead redacts them, and after that only the stored source does.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="personal_data_flags")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="personal_data_flags")
    example = models.ForeignKey(Example, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="personal_data_flags")
    # Anything else registered (deleted with it: personal_data.register connects the signal).
    content_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    field = models.CharField(max_length=20, default="text")  # text, title, synopsis, person
    kind = models.CharField(max_length=20, choices=PersonalDataKind.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=PersonalDataStatus.choices,
                              default=PersonalDataStatus.FLAGGED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonalDataFlagQuerySet.as_manager()

    class Meta:
        ordering = ["finding_id", "example_id", "content_type_id", "object_id", "field", "start"]
        indexes = [models.Index(fields=["review", "status"]),
                   models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__isnull=False, example__isnull=True, content_type__isnull=True)
                | Q(finding__isnull=True, example__isnull=False, content_type__isnull=True)
                | Q(finding__isnull=True, example__isnull=True, content_type__isnull=False,
                    object_id__isnull=False),
                name="personal_data_flag_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"


class InvitationKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder"


# Invitation.revoke_reason values with a meaning of their own.
STOPPED_BY_LEAD = "stopped"  # "Stop links working": no reminders until a fresh invitation
REPLACED = "replaced"  # an unused link replaced by a newer invitation


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """Invitations hold contacts' emails: only the review's leads see them."""
        if not access.has("manage_review"):
            return self.none()
        return self.filter(review_id=access.review_id)


class Invitation(models.Model):
    """One emailed personal link to a participant's submission form (see docs/adr/0006).

    Only the SHA-256 hash of the link's token is stored. A link works until it is
    revoked or the review closes; every invitation or reminder sends a new link.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        "reviews.Participant", on_delete=models.CASCADE, related_name="invitations"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations",
        help_text="The contributor account the link signs in",
    )
    email = models.EmailField()
    kind = models.CharField(
        max_length=20, choices=InvitationKind.choices, default=InvitationKind.INVITATION
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(
        max_length=40, blank=True,
        help_text="Why the link stopped working; 'stopped' when the lead stopped the "
                  "participant's links (no reminders until the lead invites again)",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["review", "participant"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email}"


# -- import batches: what one upload (or one `stocktake import`) created, so it can be undone --


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"  # large files, imported by the background worker
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"  # finished: each file has its own outcome
    FAILED = "failed", "Stopped"  # the worker could not carry on (the staged files were gone)
    UNDONE = "undone", "Undone"


class BatchFileOutcome(models.TextChoices):
    IMPORTED = "imported", "Imported"
    ALREADY = "already", "Already imported"
    FAILED = "failed", "Not imported"


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """Import batches: seen by those who may import documents into the review."""
        if not access.has("import_documents"):
            return self.none()
        return self.filter(review_id=access.review_id)


class ImportBatch(models.Model):
    """One upload or one `stocktake import` run: its files and everything they created.

    Source documents (and through them submissions, findings and examples) are
    reached through :class:`ImportBatchFile`; anything else it created —
    organisations, participants, recommendations, responses — is listed in
    :class:`ImportBatchRecord`. ``track.imports.actions.undo_import`` removes it all.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="import_batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=BatchStatus.choices,
                              default=BatchStatus.IMPORTED)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # Background imports (large files): the staged upload, the files to import, progress.
    staging_token = models.CharField(max_length=64, blank=True)
    wanted = models.JSONField(default=list, blank=True)  # staged file indexes
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    current_file = models.CharField(max_length=255, blank=True)
    message = models.TextField(blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the worker's last progress

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk}"


class ImportBatchFile(models.Model):
    """One file of a batch and what became of it (imported, already there, or not imported)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    outcome = models.CharField(max_length=20, choices=BatchFileOutcome.choices)
    message = models.TextField(blank=True)
    document = models.ForeignKey(SourceDocument, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    findings = models.PositiveIntegerField(default=0)
    examples = models.PositiveIntegerField(default=0)
    recommendations = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]


class ImportBatchRecord(models.Model):
    """Something else a batch created, by kind ("organisation", "participant",
    "recommendation", …) and primary key."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["batch", "kind"])]


class SavedMapping(models.Model):
    """A column mapping saved from the upload preview for reuse: the ``--mapping`` file's content."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="saved_mappings")
    name = models.CharField(max_length=100)
    columns = models.JSONField(default=dict)  # header as written -> role word
    one_row_per = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="unique_mapping_name_per_review")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationApproachQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """As the organisation's submitted material: approaches come from imported files."""
        return scoped(self, access, organisation="organisation_id", submitted=Q(pk__isnull=False))


class OrganisationApproach(models.Model):
    """How an organisation went about its learning for a review (an approach/method column
    of an imported table): shown on its page, never a finding."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="approaches")
    organisation = models.ForeignKey("reviews.Organisation", on_delete=models.PROTECT,
                                     related_name="approaches")
    text = models.TextField()
    source_document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="approaches"
    )
    source_location = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationApproachQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Approach of {self.organisation_id} in review {self.review_id}"

"""Review cycles, frameworks, organisations, participants and roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stocktake.reviews.workflow import PUBLISHED_STATES, ReviewStatus


class Framework(models.Model):
    """A set of domains and cross-cutting themes that findings are coded against."""

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves on whenever a theme or domain is added, so what pages keep of the items is renewed.
    revision = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class FrameworkItem(models.Model):
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Domain(FrameworkItem):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")

    class Meta(FrameworkItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="unique_domain_key")
        ]


class Theme(FrameworkItem):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="themes")

    class Meta(FrameworkItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="unique_theme_key")
        ]


class OrganisationLevel(models.TextChoices):
    REGION = "region", "Region"
    SYSTEM = "system", "Integrated care system"
    PLACE = "place", "Place"
    ORGANISATION = "organisation", "Organisation"
    UNIT = "unit", "Business unit or team"


LEVEL_ORDER = [choice.value for choice in OrganisationLevel]


class OrganisationType(models.TextChoices):
    REGIONAL_BODY = "regional_body", "Regional body"
    ICS = "ics", "Integrated care system"
    ICB = "icb", "Integrated care board"
    PLACE_PARTNERSHIP = "place_partnership", "Place partnership"
    NHS_TRUST = "nhs_trust", "NHS trust"
    ACUTE_TRUST = "acute_trust", "Acute trust"
    COMMUNITY_TRUST = "community_trust", "Community trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    AMBULANCE_TRUST = "ambulance_trust", "Ambulance trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    GP_PRACTICE = "gp_practice", "GP practice"
    GP_FEDERATION = "gp_federation", "GP federation or primary care network"
    HOSPICE = "hospice", "Hospice"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary, community or social enterprise"
    CARE_HOME = "care_home", "Care home"
    CARE_PROVIDER = "care_provider", "Care provider"
    AHSN = "ahsn", "Academic health science network"
    TEAM = "team", "Team or service"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A node in region → system → place → organisation → unit.

    ``short_name`` is the acronym or short form ("LCH"): it is shown where space is
    short and resolves like the name; other names (former names, spellings) are
    :class:`OrganisationAlias` rows. The register (``reviews/register.py``, the
    actions ``create/update/merge_organisations``) is the one place organisations are
    made and changed by hand.
    """

    name = models.CharField(max_length=255)
    short_name = models.CharField("acronym or short name", max_length=60, blank=True)
    level = models.CharField(max_length=20, choices=OrganisationLevel.choices)
    kind = models.CharField(
        "type", max_length=40, choices=OrganisationType.choices, default=OrganisationType.OTHER
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "parent"], name="unique_org_name_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class OrganisationAlias(models.Model):
    """Another name the organisation is known by (short form, acronym, former name)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=255)
    normalised = models.CharField(max_length=255, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "normalised"], name="unique_alias")
        ]

    def __str__(self) -> str:
        return self.alias


class Review(models.Model):
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=80, unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="reviews")
    region = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    scope = models.TextField(blank=True)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATES


class Participant(models.Model):
    """An organisation invited to take part in a review, with its named contact."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations"
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "organisation"], name="unique_participant")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.review}"


class Role(models.TextChoices):
    LEAD = "lead", "Review lead"
    REVIEWER = "reviewer", "Reviewer"
    CONTRIBUTOR = "contributor", "Contributor"
    ACTION_OWNER = "action_owner", "Action owner"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    """A user's role in one review; contributors and action owners belong to an organisation."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user", "role", "organisation"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} in {self.review}"

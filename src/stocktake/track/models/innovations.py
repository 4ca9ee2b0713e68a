"""The innovations register: new ways of working, their evidence, decisions and spread.

An innovation belongs to the organisation (and business unit) that logged it, at any
time, inside a review or not. Its evaluation gathers three angles side by side:
measures (dated values, charted with :mod:`stocktake.analysis.runchart`), staff
feedback and service-user feedback. A decision — retain, adapt, reject or not yet
decided — scores the criteria of a decision framework; decisions are kept as a
history, the innovation showing the latest. Adoptions record spread to other
organisations. Golden threads group innovations across a register.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DecisionOutcome(models.TextChoices):
    UNDECIDED = "undecided", "Not yet decided"
    RETAIN = "retain", "Retain"
    ADAPT = "adapt", "Adapt"
    REJECT = "reject", "Reject"


class GoldenThread(models.Model):
    """A thread running through many innovations ("digital", "home first"), suggested by
    the analysis (emergent themes with readable labels) and named and confirmed by a lead.

    ``organisation``: whose register it was drawn from (a trust's, a system's, a region's).
    """

    organisation = models.ForeignKey("reviews.Organisation", on_delete=models.CASCADE,
                                     related_name="golden_threads")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    suggested_label = models.CharField(max_length=255, blank=True)  # what the analysis called it
    confirmed = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"],
                                               name="unique_golden_thread")]

    def __str__(self) -> str:
        return self.name


class Innovation(models.Model):
    """A new way of working, logged by the organisation (or business unit) that adopted it."""

    organisation = models.ForeignKey("reviews.Organisation", on_delete=models.PROTECT,
                                     related_name="innovations")
    unit = models.CharField(max_length=255, blank=True)  # business unit, team or service
    place = models.CharField(max_length=255, blank=True)  # where: a site, a place, a ward
    title = models.CharField(max_length=255)
    what_changed = models.TextField()
    started_on = models.DateField(null=True, blank=True)
    lead_name = models.CharField(max_length=255, blank=True)  # who leads it (name or role)
    lead_email = models.EmailField(blank=True)
    benefits = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    support_needed = models.TextField(blank=True)
    # Logged while a review ran (its framework codes it), or on its own (None).
    review = models.ForeignKey("reviews.Review", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="innovations")
    themes = models.ManyToManyField("reviews.Theme", blank=True, related_name="innovations")
    # The coder's suggestion, [[theme key, score], …] best first; ``themes`` holds the themes
    # that apply (the suggestion's until a lead accepts or changes them: themes_confirmed).
    theme_suggestions = models.JSONField(default=list, blank=True)
    coded_at = models.DateTimeField(null=True, blank=True)  # None: not coded yet (queued)
    themes_confirmed = models.BooleanField(default=False)
    findings = models.ManyToManyField("collect.Finding", blank=True, related_name="innovations")
    golden_thread = models.ForeignKey(GoldenThread, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="innovations")
    # The latest decision's outcome, kept by the decision action (registers filter on it).
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices,
                               default=DecisionOutcome.UNDECIDED)
    source = models.CharField(max_length=20, default="form")  # form, import, finding
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "outcome"]),
                   models.Index(fields=["review", "outcome"])]

    def __str__(self) -> str:
        return self.title


class MeasureKind(models.TextChoices):
    PERFORMANCE = "performance", "Performance"
    FINANCE = "finance", "Finance"
    QUALITY = "quality", "Quality"


class Measure(models.Model):
    """A measure of an innovation's effect: a series of dated values, charted with its rules."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=MeasureKind.choices)
    unit = models.CharField(max_length=60, blank=True)  # "days", "£", "% of patients"
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    higher_is_better = models.BooleanField(default=True)
    # The first points that make the centre line (before the change); None: every point.
    baseline_points = models.PositiveIntegerField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name


class MeasureValue(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    on = models.DateField()
    value = models.FloatField()
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["measure", "on"],
                                               name="unique_measure_value")]


class FeedbackSource(models.TextChoices):
    STAFF = "staff", "Staff"
    SERVICE_USER = "service_user", "Service users"


class Feedback(models.Model):
    """One piece of feedback on an innovation from staff or from people who use the service.

    From a short survey (a link, no sign-in) or imported as free text; coded and
    summarised by the analysis library. Anonymous: ``respondent`` is a role at most.
    """

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="feedback")
    source = models.CharField(max_length=20, choices=FeedbackSource.choices)
    text = models.TextField()
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-5 where asked
    respondent = models.CharField(max_length=120, blank=True)  # a role, never a name
    polarity = models.CharField(max_length=20, blank=True)  # as the analysis read it
    channel = models.CharField(max_length=20, default="survey")  # survey, import, form
    collected_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["innovation", "source"])]


class DecisionFramework(models.Model):
    """The criteria an executive team scores before deciding (configurable per organisation).

    ``criteria``: [{"key": "benefit", "label": "Benefit shown", "description": "…"}, …];
    ``organisation`` None: the default offered to everyone.
    """

    name = models.CharField(max_length=255)
    organisation = models.ForeignKey("reviews.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="decision_frameworks")
    criteria = models.JSONField(default=list)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """Retain, adapt or reject (or not yet decided), with the rationale and scored criteria.

    ``scores``: {criterion key: {"score": 0-5 or null, "note": "…"}} against ``framework``
    as it was (its criteria are copied into ``criteria`` so later edits do not rewrite it).
    """

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    rationale = models.TextField()
    framework = models.ForeignKey(DecisionFramework, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="decisions")
    criteria = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    cycle = models.ForeignKey("track.StocktakeCycle", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]


class AdoptionStatus(models.TextChoices):
    ADOPTED = "adopted", "Adopted"
    ADAPTED = "adapted", "Adopted with changes"
    CONSIDERING = "considering", "Considering"
    DECLINED = "declined", "Considered and declined"


class Adoption(models.Model):
    """Spread: another organisation adopted (or considered, or declined) an innovation."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="adoptions")
    organisation = models.ForeignKey("reviews.Organisation", on_delete=models.PROTECT,
                                     related_name="adoptions")
    status = models.CharField(max_length=20, choices=AdoptionStatus.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [models.UniqueConstraint(fields=["innovation", "organisation"],
                                               name="unique_adoption")]

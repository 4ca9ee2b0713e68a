"""Tracking after publication: progress on recommendations, the innovations register with
its evaluation, decisions and spread, and stocktake cycles (one module per part)."""

from stocktake.track.models.cycles import (
    CycleEntry,
    CycleStatus,
    StocktakeCycle,
    UpdateRequest,
)
from stocktake.track.models.innovations import (
    Adoption,
    AdoptionStatus,
    Decision,
    DecisionFramework,
    DecisionOutcome,
    Feedback,
    FeedbackSource,
    GoldenThread,
    Innovation,
    Measure,
    MeasureKind,
    MeasureValue,
)
from stocktake.track.models.progress import (
    ProgressUpdate,
    Rag,
    RecommendationResponse,
    ResponseStatus,
    SystemStatus,
    UpdateChannel,
)

__all__ = [
    "Adoption", "AdoptionStatus", "CycleEntry", "CycleStatus", "Decision", "DecisionFramework",
    "DecisionOutcome", "Feedback", "FeedbackSource", "GoldenThread", "Innovation", "Measure",
    "MeasureKind", "MeasureValue", "ProgressUpdate", "Rag", "RecommendationResponse",
    "ResponseStatus", "StocktakeCycle", "SystemStatus", "UpdateChannel", "UpdateRequest",
]

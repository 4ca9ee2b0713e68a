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
from stocktake.track.models.surveys import FeedbackSurvey, SurveyReceipt

__all__ = [
    "Adoption", "AdoptionStatus", "CycleEntry", "CycleStatus", "Decision", "DecisionFramework",
    "DecisionOutcome", "Feedback", "FeedbackSource", "FeedbackSurvey", "GoldenThread", "Innovation", "Measure",
    "MeasureKind", "MeasureValue", "ProgressUpdate", "Rag", "RecommendationResponse",
    "ResponseStatus", "StocktakeCycle", "SurveyReceipt", "SystemStatus", "UpdateChannel", "UpdateRequest",
]

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
from stocktake.track.models.questionnaires import (
    Identity,
    Questionnaire,
    QuestionnaireReceipt,
    QuestionnaireResponse,
    TeamNotes,
)
from stocktake.track.models.surveys import FeedbackSurvey, SurveyReceipt

__all__ = [
    "Adoption", "AdoptionStatus", "CycleEntry", "CycleStatus", "Decision", "DecisionFramework",
    "DecisionOutcome", "Feedback", "FeedbackSource", "FeedbackSurvey", "GoldenThread", "Identity", "Innovation", "Measure",
    "MeasureKind", "MeasureValue", "ProgressUpdate", "Questionnaire",
    "QuestionnaireReceipt", "QuestionnaireResponse", "Rag", "RecommendationResponse",
    "ResponseStatus", "StocktakeCycle", "SurveyReceipt", "SystemStatus", "TeamNotes", "UpdateChannel", "UpdateRequest",
]

from .seminars import (
    MATERIAL_MAX_BYTES,
    FollowUp,
    Material,
    Seminar,
    SeminarKind,
    SeminarRole,
)
from .trip_reports import TEXT_LIMIT, TripReport, TripReportStatus
from .trips import Expense, ExpenseCategory, Leg, Mode, Payer, Trip, TripStatus

__all__ = [
    "MATERIAL_MAX_BYTES",
    "TEXT_LIMIT",
    "Expense",
    "ExpenseCategory",
    "FollowUp",
    "Leg",
    "Material",
    "Mode",
    "Payer",
    "Seminar",
    "SeminarKind",
    "SeminarRole",
    "Trip",
    "TripReport",
    "TripReportStatus",
    "TripStatus",
]

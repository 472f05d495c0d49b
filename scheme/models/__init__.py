from .calls import MAX_CALL_WEEKS, Call, CallState, Theme, mondays
from .matching import FAILED, QUEUED, RUNNING, Match, MatchRun, MatchStatus, Pin, PinKind, Proposal
from .offers import (
    MAX_HOST_CHOICES,
    MAX_PLACES,
    Application,
    HostChoice,
    Offer,
    OfferWeek,
)
from .scope import staffs_office

__all__ = [
    "FAILED",
    "QUEUED",
    "RUNNING",
    "MAX_CALL_WEEKS",
    "MAX_HOST_CHOICES",
    "MAX_PLACES",
    "Application",
    "Call",
    "CallState",
    "HostChoice",
    "Match",
    "MatchRun",
    "MatchStatus",
    "Offer",
    "OfferWeek",
    "Pin",
    "PinKind",
    "Proposal",
    "Theme",
    "mondays",
    "staffs_office",
]

"""Stored documents (reports.models.reports): the Report rows that workers fill."""

from .letterheads import Letterhead
from .reports import (
    MUNICIPAL_KINDS,
    QUEUED_FOR,
    Report,
    ReportKind,
    ReportQuerySet,
    ReportState,
    fiscal_year_scope,
    program_scope,
    report_path,
    stale_before,
)

__all__ = [
    "Letterhead",
    "MUNICIPAL_KINDS",
    "QUEUED_FOR",
    "Report",
    "ReportKind",
    "ReportQuerySet",
    "ReportState",
    "fiscal_year_scope",
    "program_scope",
    "report_path",
    "stale_before",
]

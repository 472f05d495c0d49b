from .accounts import User
from .activity_log import ActivityLog
from .calendar import ClosedDay
from .notifications import Notification, NotificationStatus, ReminderOptOut
from .organisations import (
    HostCompany,
    Invitation,
    Membership,
    Municipality,
    Role,
    TraineeProfile,
    supervised_by,
    worked_for,
)
from .programs import Enrollment, Program, RosterImport, Scheme, Status, fiscal_year_of
from .scope import scoped
from .week import Activity, ActivityKind, CalendarFeed, TemplateActivity, WeekTemplate

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityLog",
    "CalendarFeed",
    "ClosedDay",
    "Enrollment",
    "HostCompany",
    "Invitation",
    "Membership",
    "Municipality",
    "Notification",
    "NotificationStatus",
    "Program",
    "ReminderOptOut",
    "Role",
    "RosterImport",
    "Scheme",
    "Status",
    "TemplateActivity",
    "TraineeProfile",
    "User",
    "WeekTemplate",
    "fiscal_year_of",
    "scoped",
    "supervised_by",
    "worked_for",
]

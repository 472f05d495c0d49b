from .accounts import User
from .activity_log import ActivityLog
from .calendar import ClosedDay
from .notifications import Notification, NotificationStatus, ReminderOptOut
from .organisations import (
    HostCompany,
    Invitation,
    Membership,
    Role,
    TraineeProfile,
    supervised_by,
    worked_for,
)
from .programs import Enrollment, Program, RosterImport, Scheme, Status, fiscal_year_of
from .registry import LocalGovernmentKind, Municipality, RegistryVersion
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
    "LocalGovernmentKind",
    "Membership",
    "Municipality",
    "Notification",
    "NotificationStatus",
    "Program",
    "RegistryVersion",
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

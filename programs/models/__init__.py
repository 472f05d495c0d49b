from .accounts import User
from .activity import ActivityLog
from .organisations import HostCompany, Invitation, Membership, Municipality, Role, TraineeProfile

__all__ = [
    "ActivityLog",
    "HostCompany",
    "Invitation",
    "Membership",
    "Municipality",
    "Role",
    "TraineeProfile",
    "User",
]

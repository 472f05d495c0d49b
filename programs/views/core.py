"""Kept for config/urls.py, which imports `email_management_closed` from here: the core's
pages now live in views/home.py, people.py, invitations.py, accounts.py and health.py."""

from .accounts import email_management_closed  # noqa: F401

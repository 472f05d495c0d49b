"""Writers of trips, seminars and trip reports bump the "seminars" version that the cached
trip pages are keyed on. Services that write with .update() bump it themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from programs import cache


def _bump(**kwargs) -> None:
    cache.bump("seminars")


def _bump_report(instance=None, **kwargs) -> None:
    # A draft shows on no kept page (it reads "not submitted yet" like no report at all), so
    # a trainee's writing does not throw away everyone's trip pages.
    if instance is not None and instance.status == "draft":
        return
    cache.bump("seminars")


def connect() -> None:
    from .models import Expense, FollowUp, Leg, Material, Seminar, SeminarRole, Trip, TripReport

    for model in (Trip, Leg, Expense, Seminar, SeminarRole, FollowUp, Material, TripReport):
        name = model.__name__
        receiver = _bump_report if model is TripReport else _bump
        post_save.connect(receiver, sender=model, dispatch_uid=f"seminars-{name}", weak=False)
        post_delete.connect(_bump, sender=model, dispatch_uid=f"seminars-d-{name}", weak=False)
    for field in (Trip.trainees, Trip.staff, Trip.municipalities):
        m2m_changed.connect(
            _bump, sender=field.through, dispatch_uid=f"seminars-{field.field.name}", weak=False
        )

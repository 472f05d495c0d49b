"""Writers of trips, seminars and trip reports bump the "seminars" version of their program and
its host (programs.cache), which the trip pages are keyed on. Services that write with
.update() bump it themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from programs import cache


def _program_of(instance) -> int | None:
    """The program a trip, seminar or one of their rows belongs to, without a query where the
    row holds it."""
    from .models import Seminar, Trip

    if isinstance(instance, (Trip, Seminar)):
        return instance.program_id
    if getattr(instance, "trip_id", None):
        return Trip.objects.filter(pk=instance.trip_id).values_list("program", flat=True).first()
    if getattr(instance, "seminar_id", None):
        found = Seminar.objects.filter(pk=instance.seminar_id).values_list("program", flat=True)
        return found.first()
    return None


def _written(instance=None, **kwargs) -> None:
    cache.bump_program(_program_of(instance), "seminars")


def _report_written(instance=None, **kwargs) -> None:
    # A draft shows on no kept page (it reads "not submitted yet" like no report at all), so
    # a trainee's writing does not throw away the trip pages.
    if instance is not None and instance.status == "draft":
        return
    _written(instance)


def _travellers_changed(instance=None, action="", reverse=False, pk_set=None, **kwargs) -> None:
    from .models import Trip

    if not action.startswith("post_"):
        return
    if not reverse:
        cache.bump_program(instance.program_id, "seminars")
        return
    programs = Trip.objects.filter(pk__in=pk_set or ()).values_list("program", flat=True)
    cache.bump_programs(programs, "seminars")


def connect() -> None:
    from .models import Expense, FollowUp, Leg, Material, Seminar, SeminarRole, Trip, TripReport

    for model in (Trip, Leg, Expense, Seminar, SeminarRole, FollowUp, Material, TripReport):
        name = model.__name__
        receiver = _report_written if model is TripReport else _written
        post_save.connect(receiver, sender=model, dispatch_uid=f"seminars-{name}", weak=False)
        post_delete.connect(_written, sender=model, dispatch_uid=f"seminars-d-{name}", weak=False)
    for field in (Trip.trainees, Trip.staff, Trip.municipalities):
        m2m_changed.connect(
            _travellers_changed,
            sender=field.through,
            dispatch_uid=f"seminars-{field.field.name}",
            weak=False,
        )

"""The reminders of reflections, interviews and surveys, answered to the core's registry: who
is due now (one key per occasion), whether a row is still worth sending, and what it says
(in the recipient's language, which the sender activates). One module per kind."""

from django.utils.translation import gettext_lazy

from programs.registry import Reminder

from . import interviews, reflections, surveys

REMINDERS = [
    Reminder(
        "reflection",
        gettext_lazy("The day's reflection, at the program's reminder time"),
        reflections.find_reflection,
        reflections.still_missing,
        reflections.message_reflection,
    ),
    Reminder(
        "reflection_missing",
        gettext_lazy("A missing reflection, the next morning"),
        reflections.find_morning,  # yields the digests' rows too, in the same pass
        reflections.still_missing,
        reflections.message_missing,
    ),
    Reminder(
        "reflection_digest",
        gettext_lazy("Coordinators and mentors: the reflections missing from yesterday"),
        lambda now: (),  # its rows come from the morning pass above
        reflections.digest_still_due,
        reflections.message_digest,
        audience="host",
    ),
    Reminder(
        "interview",
        gettext_lazy("The day before an interview"),
        interviews.find_interview,
        interviews.interview_still_due,
        interviews.message_interview,
        audience="both",
    ),
    Reminder(
        "survey",
        gettext_lazy("Surveys: when one opens and before the first one closes"),
        surveys.find_survey,
        surveys.survey_still_due,
        surveys.message_survey,
    ),
]

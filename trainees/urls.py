from datetime import date

from django.urls import path, register_converter

from programs import integers  # noqa: F401 (registers the <id:…> converter)
from programs.date_range import in_range

from .views import (
    interview_conduct,
    interview_review,
    interview_templates,
    interviews,
    reading,
    reflections,
    surveys,
    training_reports,
)


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        """A date of 2000–2100 (programs.date_range); any other address is not found."""
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(value) from exc
        if not in_range(day):
            raise ValueError(value)
        return day

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "trainees"

program = "programs/<id:pk>/"
interview = "interviews/<id:pk>/"

urlpatterns = [
    path("my/reflections/", reflections.my_reflections, name="my_reflections"),
    path(
        "my/reflections/<id:enrollment_pk>/<isodate:day>/",
        reflections.reflection_write,
        name="reflection_write",
    ),
    path(
        "my/training-reports/<id:enrollment_pk>/",
        training_reports.training_report_write,
        name="training_report_write",
    ),
    path(
        "training-reports/<id:pk>/",
        training_reports.training_report_detail,
        name="training_report_detail",
    ),
    path(
        "training-reports/<id:pk>/confirm/",
        training_reports.training_report_confirm,
        name="training_report_confirm",
    ),
    path("my/surveys/<id:enrollment_pk>/<str:phase>/", surveys.survey_answer, name="survey_answer"),
    path("reflections/new/", reading.reflection_inbox, name="reflection_inbox"),
    path("reflections/<id:pk>/", reading.reflection_detail, name="reflection_detail"),
    path("reflections/<id:pk>/comment/", reading.reflection_comment, name="reflection_comment"),
    path("reflections/<id:pk>/review/", reading.reflection_review, name="reflection_review"),
    path(program + "reflections/", reading.reflection_matrix, name="reflection_matrix"),
    path(program + "survey/", surveys.survey_results, name="survey_results"),
    path(
        "municipality/reflections/", reading.supervisor_reflections, name="supervisor_reflections"
    ),
    path(program + "interviews/", interviews.interview_list, name="interview_list"),
    path(program + "interviews/new/", interviews.interview_new, name="interview_new"),
    path(interview, interview_conduct.interview_conduct, name="interview_conduct"),
    path(
        interview + "questions/",
        interview_conduct.interview_questions,
        name="interview_questions",
    ),
    path(interview + "move/", interviews.interview_move, name="interview_move"),
    path(interview + "schedule/", interviews.interview_schedule, name="interview_schedule"),
    path(
        interview + "article/text/",
        interview_conduct.interview_article,
        name="interview_article",
    ),
    path("my/interviews/<id:pk>/", interview_review.interview_review, name="interview_review"),
    path(
        "hosts/<id:pk>/interview-templates/",
        interview_templates.interview_templates,
        name="interview_templates",
    ),
]

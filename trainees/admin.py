from django.contrib import admin

from .models import (
    Answer,
    DailyReflection,
    Interview,
    InterviewEvent,
    InterviewQuestion,
    InterviewTemplate,
    InterviewTemplateQuestion,
    ProgramSurvey,
    Question,
    QuestionSet,
    ReflectionComment,
    ReflectionRevision,
    SurveyResponse,
)
from .services.reflections import change_by_operator


class CommentInline(admin.TabularInline):
    model = ReflectionComment
    extra = 0
    fields = ["author", "body", "created_at", "read_by_trainee_at"]
    readonly_fields = ["author", "created_at", "read_by_trainee_at"]
    raw_id_fields = ["author"]


class RevisionInline(admin.TabularInline):
    model = ReflectionRevision
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "kind", "reason", "status", "content"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DailyReflection)
class DailyReflectionAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "date", "status", "late", "submitted_at", "reviewed_at"]
    list_filter = ["status", "late"]
    search_fields = ["enrollment__trainee__email", "enrollment__trainee__family_name"]
    date_hierarchy = "date"
    list_select_related = ["enrollment__trainee", "enrollment__program"]
    raw_id_fields = ["enrollment", "reviewed_by"]
    readonly_fields = [
        "revision",
        "submitted_revision",
        "client_id",
        "client_seq",
        "created_at",
        "updated_at",
    ]
    inlines = [CommentInline, RevisionInline]

    def save_model(self, request, obj, form, change):
        """An operator's change keeps the earlier text in the history (reviewed ones
        included: review locks a reflection for everyone but operators)."""
        previous = None
        if change:
            previous = DailyReflection.objects.get(pk=obj.pk).content()
        super().save_model(request, obj, form, change)
        if previous is not None:
            change_by_operator(obj, previous, by=request.user, reason="admin")

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, ReflectionComment) and not instance.author_id:
                instance.author = request.user
            instance.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "text", "text_en", "theme"]


class KeepsTheBuiltIn:
    """The built-in row (no host) is what every program without a choice of its own reads:
    it is not deleted here, alone or among others (the whole bulk delete is refused)."""

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.host_id is not None)


@admin.register(QuestionSet)
class QuestionSetAdmin(KeepsTheBuiltIn, admin.ModelAdmin):
    list_display = ["name", "name_en", "host"]
    list_filter = ["host"]
    inlines = [QuestionInline]


@admin.register(ProgramSurvey)
class ProgramSurveyAdmin(admin.ModelAdmin):
    list_display = ["program", "question_set", "followup_days"]
    raw_id_fields = ["program"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "value", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "phase", "submitted_at"]
    list_filter = ["phase"]
    raw_id_fields = ["enrollment"]
    inlines = [AnswerInline]


class TemplateQuestionInline(admin.TabularInline):
    model = InterviewTemplateQuestion
    extra = 0
    fields = ["order", "text", "text_en"]


@admin.register(InterviewTemplate)
class InterviewTemplateAdmin(KeepsTheBuiltIn, admin.ModelAdmin):
    list_display = ["name", "host"]
    list_filter = ["host"]
    inlines = [TemplateQuestionInline]


class InterviewQuestionInline(admin.TabularInline):
    model = InterviewQuestion
    extra = 0
    fields = ["order", "text", "follow_up", "answer", "recorded_answer", "highlight", "consent"]
    readonly_fields = ["recorded_answer"]


class InterviewEventInline(admin.TabularInline):
    model = InterviewEvent
    extra = 0
    can_delete = False
    fields = ["at", "state", "actor", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "state", "name_form", "updated_at"]
    list_filter = ["state"]
    list_select_related = ["enrollment__trainee", "enrollment__program"]
    raw_id_fields = ["enrollment", "activity", "created_by"]
    filter_horizontal = ["interviewers"]
    readonly_fields = ["state", "revision", "client_id", "client_seq", "created_at", "updated_at"]
    inlines = [InterviewQuestionInline, InterviewEventInline]

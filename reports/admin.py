from django.contrib import admin

from .models import Letterhead, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Built documents: their state and error, for operators. Built by workers, never here."""

    list_display = [
        "kind",
        "scope",
        "version",
        "state",
        "host",
        "program",
        "automatic",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "state", "automatic"]
    search_fields = ["scope", "program__title", "host__name"]
    readonly_fields = [f.name for f in Report._meta.fields]
    list_select_related = ["program", "host"]

    def has_add_permission(self, request):
        return False


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    """A municipality's 文書番号 and addressee on its documents (its contact sets them too)."""

    list_display = ["municipality", "document_number", "addressee", "updated_at"]
    search_fields = ["municipality__name", "municipality__code"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["updated_at", "updated_by"]
    list_select_related = ["municipality"]

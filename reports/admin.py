from django.contrib import admin

from .models import Report


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

"""Trips, seminars and trip reports for operators: to read and search. They are changed in
the application, whose services keep the week's derived activities and the fare lines in
step (an admin form would bypass them), so these pages are read-only."""

from django.contrib import admin
from django.db import transaction

from .models import (
    Expense,
    FollowUp,
    Leg,
    Material,
    Seminar,
    SeminarRole,
    TravelRules,
    Trip,
    TripReport,
)
from .services.travel_costs import follow_rules


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LegInline(ReadOnly, admin.TabularInline):
    model = Leg
    fields = ["depart_at", "arrive_at", "mode", "origin_place", "destination", "service", "fare"]
    readonly_fields = fields


class ExpenseInline(ReadOnly, admin.TabularInline):
    model = Expense
    fields = ["enrollment", "staff", "label", "kind", "amount", "payer", "note", "generated", "leg"]
    readonly_fields = fields


@admin.register(Trip)
class TripAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["purpose", "program", "start_date", "end_date", "status"]
    list_filter = ["status"]
    search_fields = ["purpose", "program__title", "program__host__name"]
    date_hierarchy = "start_date"
    inlines = [LegInline, ExpenseInline]
    list_select_related = ["program"]


class RoleInline(ReadOnly, admin.TabularInline):
    model = SeminarRole
    fields = ["enrollment", "role"]
    readonly_fields = fields


class FollowUpInline(ReadOnly, admin.TabularInline):
    model = FollowUp
    fields = ["action", "owner", "due_date", "done_at"]
    readonly_fields = fields


class MaterialInline(ReadOnly, admin.TabularInline):
    model = Material
    fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Seminar)
class SeminarAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "program", "date", "expected_attendance", "actual_attendance"]
    list_filter = ["kind"]
    search_fields = ["title", "venue", "partner", "program__title"]
    inlines = [RoleInline, FollowUpInline, MaterialInline]
    list_select_related = ["program"]


@admin.register(TripReport)
class TripReportAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["trip", "enrollment", "status", "submitted_at", "acknowledged_at"]
    list_filter = ["status"]
    search_fields = ["trip__purpose", "enrollment__trainee__email"]
    list_select_related = ["trip", "enrollment__trainee"]


@admin.register(TravelRules)
class TravelRulesAdmin(admin.ModelAdmin):
    """An operator sets a payer's rules here (hosts and municipalities set their own in the
    application); saving computes the open trips the payer pays for again."""

    list_display = ["__str__", "scheme", "lodging_ceiling", "lodging_allowance", "daily_allowance"]
    list_filter = ["scheme"]
    search_fields = ["municipality__name", "host_company__name"]
    autocomplete_fields = ["municipality", "host_company"]
    readonly_fields = ["updated_at", "updated_by"]
    list_select_related = ["municipality", "host_company"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            obj.updated_by = request.user
            super().save_model(request, obj, form, change)
            follow_rules(obj)

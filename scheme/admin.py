from django.contrib import admin

from .models import Application, Call, Match, Offer


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("fiscal_year", "title", "opens_on", "closes_on", "published_at")


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("call", "host", "places", "withdrawn_at")
    list_select_related = ("call", "host")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("call", "municipality", "staff", "withdrawn_at")
    list_select_related = ("call", "municipality")


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("call", "application", "host", "start_week", "status")
    list_select_related = ("call", "application__municipality", "host")

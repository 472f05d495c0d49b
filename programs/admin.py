from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import DataError, transaction
from django.utils.translation import gettext_lazy as _

from .client import client_ip
from .date_range import limit_date_field
from .models import (
    ActivityLog,
    ClosedDay,
    HostCompany,
    Invitation,
    Membership,
    Municipality,
    Notification,
    Role,
    TraineeProfile,
    User,
)
from .models.organisations import HOST_ROLES
from .plain_text import PlainTextModelForm
from .selectors.municipalities import search
from .services import invitations as invitation_services
from .services.activity_log import record_activity
from .validators import SendableEmailField


class BoundedChangeList(ChangeList):
    """A list filter whose value the database cannot hold (`?host_company=2**70`: SQLite
    cannot convert it, PostgreSQL refuses it) is a wrong lookup like any other: Django
    reloads the list with ?e=1, never a 500. The count runs the filter, in a savepoint so that
    PostgreSQL's refusal leaves the request's transaction usable."""

    def get_results(self, request):
        try:
            with transaction.atomic():
                super().get_results(request)
        except (OverflowError, DataError) as exc:
            raise IncorrectLookupParameters(exc) from exc


def _bounded_changelist(self, request, **kwargs):
    return BoundedChangeList


# Every admin list of the installation, the project's and its libraries' alike.
admin.ModelAdmin.get_changelist = _bounded_changelist

ROLE_ACTIONS = {
    Membership: {
        "created": "membership.granted",
        "changed": "membership.changed",
        "removed": "membership.removed",
    },
    TraineeProfile: {
        "created": "trainee_profile.created",
        "changed": "trainee_profile.changed",
        "removed": "trainee_profile.removed",
    },
}


def log_role_change(request, obj, event: str) -> None:
    """Record a membership or trainee profile changed in the admin (other rows: nothing)."""
    actions = ROLE_ACTIONS.get(type(obj))
    if actions is None:
        return
    data = {"user": obj.user.email, "via": "admin"}
    if isinstance(obj, Membership):
        data["role"] = obj.role
    record_activity(
        request.user,
        actions[event],
        obj,
        host_company=getattr(obj, "host_company", None),
        municipality=obj.municipality,
        ip=client_ip(request),
        data=data,
    )


class RoleChangeLogged:
    """Admin pages whose saves and deletions are role changes."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_role_change(request, obj, "changed" if change else "created")

    def delete_model(self, request, obj):
        log_role_change(request, obj, "removed")
        super().delete_model(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["host_company", "municipality"]


class TraineeProfileInline(admin.StackedInline):
    model = TraineeProfile
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "family_name", "given_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role", "language"]
    search_fields = ["email", "family_name", "given_name", "family_name_kana", "given_name_kana"]
    inlines = [MembershipInline, TraineeProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Name"),
            {"fields": ("family_name", "given_name", "family_name_kana", "given_name_kana")},
        ),
        (_("Preferences"), {"fields": ("language",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "email":  # checked the way mail will be sent to it
            kwargs["form_class"] = SendableEmailField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        """Role changes made in the admin go to the activity log like any other."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            log_role_change(request, obj, "removed")
            obj.delete()
        for obj in instances:
            created = obj.pk is None
            obj.save()
            log_role_change(request, obj, "created" if created else "changed")
        formset.save_m2m()


@admin.register(HostCompany)
class HostCompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "created_at"]
    search_fields = ["name"]


class ClosedDayAdminForm(PlainTextModelForm):
    class Meta:
        model = ClosedDay
        fields = ["host", "name", "start_date", "end_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            limit_date_field(self.fields[name])


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    """A host's closed days (its coordinators keep them on the host's closed-days page)."""

    form = ClosedDayAdminForm
    list_display = ["name", "host", "start_date", "end_date"]
    list_filter = ["host"]
    search_fields = ["name", "host__name"]
    date_hierarchy = "start_date"
    list_select_related = ["host"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """The registry, loaded from the shipped data file (manage.py load_registry): an operator
    reads and searches it; a merger is loaded, not typed."""

    list_display = ["code", "name", "kana", "kind", "prefecture", "abolished_on"]
    list_filter = ["kind", ("abolished_on", admin.EmptyFieldListFilter), "prefecture"]
    search_fields = ["name", "kana", "code"]
    list_select_related = ["city"]
    autocomplete_fields = ["city"]

    def get_search_results(self, request, queryset, search_term):
        # Typed as people type: hiragana finds the katakana reading, full-width digits the
        # code, 福岡県田川市 the row (the chooser's own search).
        if not search_term.strip():
            return queryset, False
        found = search(search_term, limit=None)
        return queryset.filter(pk__in=[m.pk for m in found]), False


@admin.register(Membership)
class MembershipAdmin(RoleChangeLogged, admin.ModelAdmin):
    list_display = ["user", "role", "host_company", "municipality", "created_at"]
    list_filter = ["role", "host_company", "municipality__prefecture"]
    search_fields = ["user__email", "user__family_name", "host_company__name", "municipality__name"]
    autocomplete_fields = ["user", "host_company", "municipality"]
    list_select_related = ["user", "host_company", "municipality"]


@admin.register(TraineeProfile)
class TraineeProfileAdmin(RoleChangeLogged, admin.ModelAdmin):
    list_display = ["user", "municipality", "department", "position"]
    list_filter = ["municipality__prefecture"]
    search_fields = ["user__email", "user__family_name", "department", "municipality__name"]
    autocomplete_fields = ["user", "municipality"]
    list_select_related = ["user", "municipality"]


class InvitationAdminForm(PlainTextModelForm):
    email = SendableEmailField(label=_("Email address"), max_length=254)

    class Meta:
        model = Invitation
        fields = [
            "email",
            "role",
            "host_company",
            "municipality",
            "family_name",
            "given_name",
            "department",
            "position",
        ]

    def clean(self):
        data = super().clean()
        role, host, municipality = (
            data.get("role"),
            data.get("host_company"),
            data.get("municipality"),
        )
        if role in HOST_ROLES and not host:
            self.add_error("host_company", _("Coordinators and staff belong to a host company."))
        if role in (Role.SUPERVISOR, Role.TRAINEE) and not municipality:
            self.add_error(
                "municipality", _("Choose the municipality of a trainee or a supervisor.")
            )
        if data.get("email") and role and not self.errors:
            try:
                invitation_services.ensure_can_invite(
                    data["email"], role, host, None if role in HOST_ROLES else municipality
                )
            except invitation_services.InvitationRefused as refused:
                self.add_error("email", refused.message)
        return data


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "role",
        "host_company",
        "municipality",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
        "delivery",
    ]
    list_filter = [
        "delivery",
        "role",
        "host_company",
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "family_name", "given_name"]
    list_select_related = ["host_company", "municipality"]
    autocomplete_fields = ["host_company", "municipality"]
    readonly_fields = [
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
        "delivery",
        "delivery_error",
        "delivery_at",
    ]
    fields = [*InvitationAdminForm.Meta.fields, *readonly_fields]
    actions = ["resend", "revoke"]

    form = InvitationAdminForm

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """An operator's new invitation goes through the same service (and email) as a
        coordinator's."""
        created = invitation_services.create_invitation(
            invited_by=request.user,
            email=obj.email,
            role=obj.role,
            host_company=obj.host_company,
            municipality=obj.municipality,
            family_name=obj.family_name,
            given_name=obj.given_name,
            department=obj.department,
            position=obj.position,
            ip=client_ip(request),
        )
        obj.pk = created.pk

    @admin.action(description=_("Send again with a new link"))
    def resend(self, request, queryset):
        self._each(request, queryset, invitation_services.resend_invitation)

    @admin.action(description=_("Withdraw"))
    def revoke(self, request, queryset):
        self._each(request, queryset, invitation_services.revoke_invitation)

    def _each(self, request, queryset, action):
        """Run one invitation service on each chosen invitation; a refusal is said per
        address and the others go on."""
        for invitation in queryset:
            try:
                action(invitation, by=request.user, ip=client_ip(request))
            except invitation_services.InvitationRefused as refused:
                self.message_user(request, f"{invitation.email}: {refused.message}", messages.ERROR)


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the application and never edited."""

    list_display = [
        "created_at",
        "actor_label",
        "action",
        "target_label",
        "host_company",
        "municipality",
        "ip_address",
    ]
    list_filter = [
        "action",
        "host_company",
        "municipality",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["actor_label", "target_label", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["host_company", "municipality"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The reminder rows: what was due, to whom, and what became of it. Nothing here is
    edited; "send again" is an explicit action."""

    list_display = ["key", "kind", "recipient", "status", "due_at", "sent_at", "attempts"]
    list_filter = ["status", "kind", ("due_at", admin.DateFieldListFilter)]
    search_fields = ["key", "recipient__email"]
    date_hierarchy = "due_at"
    list_select_related = ["recipient"]
    actions = ["send_again"]
    readonly_fields = [
        "key",
        "kind",
        "recipient",
        "program",
        "url",
        "context",
        "due_at",
        "status",
        "claimed_at",
        "attempts",
        "sent_at",
        "error",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (the recipient gets the reminder once more)"))
    def send_again(self, request, queryset):
        from .services.reminders import resend

        count = resend(list(queryset.values_list("pk", flat=True)))
        record_activity(
            request.user, "reminders.resent", data={"count": count}, ip=client_ip(request)
        )
        self.message_user(
            request,
            _("%(count)s reminders will be sent again at the next tick.") % {"count": count},
            messages.WARNING,
        )

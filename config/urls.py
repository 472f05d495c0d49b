from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from programs.mfa import host_only_mfa_urls
from programs.views.accounts import email_management_closed

# The admin signs in through allauth, so its logins get the same rate limits, two-factor
# step and activity log as everyone else's.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Kenshu"
admin.site.site_title = "Kenshu"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/2fa/", include(host_only_mfa_urls())),
    # Addresses come from invitations: no page to add or change one (it would let anyone
    # make Kenshu send mail to any address).
    re_path(r"^accounts/email/", email_management_closed),
    path("accounts/", include("allauth.account.urls")),
    path("", include("programs.urls")),
    path("", include("trainees.urls")),
    path("", include("seminars.urls")),
    path("", include("scheme.urls")),
    path("", include("reports.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

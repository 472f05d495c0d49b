from allauth.account.adapter import DefaultAccountAdapter

from .mail import subject_kept


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation only (programs.services.invitations). allauth's emails keep
    their subject as written (programs.mail) and greet with the site's name, not the host
    (templates/account/email/)."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def render_mail(self, template_prefix, email, context, headers=None):
        context = {**context, "site_name": "Kenshu"}
        return subject_kept(super().render_mail(template_prefix, email, context, headers))

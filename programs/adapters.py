from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation only (programs.services.invitations)."""

    def is_open_for_signup(self, request) -> bool:
        return False

"""Sign-in backends that read the person's roles with the person: the query that loads the
signed-in user on every request also brings their memberships and whether they are a trainee
(one round trip instead of two), and leaves them where `access.roles_of` looks first. Roles
are still read from the database on every request, never from a cache.

The query is the ORM's, compiled once per database connection (programs.compiled): loading
the user and their roles costs less than Django's own `get()` of the user alone."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import router

from . import access
from .compiled import CompiledQuery
from .models import User

FIELDS = [f.attname for f in User._meta.concrete_fields]
USER_WITH_ROLES = CompiledQuery(
    lambda pk: User._default_manager.filter(pk=pk).values_list(
        *FIELDS, "memberships__role", "memberships__host_company_id", "trainee_profile__id"
    )
)


class RolesWithUser:
    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None  # not an id (a session from elsewhere)
        alias = router.db_for_read(User)
        rows = USER_WITH_ROLES.rows(user_id, using=alias)
        if not rows:
            return None
        n = len(FIELDS)
        user = User.from_db(alias, FIELDS, rows[0][:n])
        if not self.user_can_authenticate(user):
            return None
        held = [(row[n], row[n + 1]) for row in rows if row[n] is not None]
        user._kenshu_roles = access.roles_from(held, is_trainee=rows[0][n + 2] is not None)
        return user


class ModelBackend(RolesWithUser, DjangoModelBackend):
    pass


class AuthenticationBackend(RolesWithUser, AllauthBackend):
    pass

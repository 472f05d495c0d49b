"""Sign-in backends that read the person's roles with the person: the query that loads the
signed-in user on every request also brings their memberships and whether they are a trainee
(one round trip instead of two), and leaves them where `access.roles_of` looks first. Roles
are still read from the database on every request, never from a cache.

The query is the ORM's, compiled once per database connection (it differs only in the user's
id) and run with the ORM's converters, so that loading the user costs no more than Django's
own `get()` did."""

import weakref

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from . import access
from .models import User

FIELDS = [f.attname for f in User._meta.concrete_fields]
ROLE_COLUMNS = ("memberships__role", "memberships__host_company_id", "trainee_profile__id")
_compiled = weakref.WeakKeyDictionary()  # connection → (sql, compiler, converters)


def _user_with_roles(alias: str, user_id) -> list[tuple]:
    connection = connections[alias]
    found = _compiled.get(connection)
    if found is None:
        query = User._default_manager.filter(pk=0).values_list(*FIELDS, *ROLE_COLUMNS).query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        assert list(params) == [0], params  # the user's id is the query's only parameter
        converters = compiler.get_converters([select[0] for select in compiler.select])
        found = _compiled[connection] = (sql, compiler, converters)
    sql, compiler, converters = found
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        rows = cursor.fetchall()
    if converters:
        rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
    return rows


class RolesWithUser:
    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None  # not an id (a session from elsewhere)
        alias = router.db_for_read(User)
        rows = _user_with_roles(alias, user_id)
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

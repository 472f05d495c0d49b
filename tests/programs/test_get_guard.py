"""The suite's guard that no GET writes (config/get_guard.py) refuses the GET's own writes
only: the browser tests' live server shares one SQLite connection between its threads, and a
form posted while the service worker fetches pages must not be refused for them."""

import threading

import pytest
from django.db import connections, transaction
from django.test import RequestFactory

from config.get_guard import GetGuardMiddleware, GetWroteData
from programs.models import User

pytestmark = pytest.mark.django_db


def test_a_get_that_writes_is_refused_and_the_guard_goes_with_the_request(trainee):
    def writes(request):
        User.objects.filter(pk=trainee.pk).update(language="en")

    with pytest.raises(GetWroteData, match="GET /today/ writes: UPDATE"), transaction.atomic():
        GetGuardMiddleware(writes)(RequestFactory().get("/today/"))
    User.objects.filter(pk=trainee.pk).update(language="en")  # after it: allowed
    assert User.objects.get(pk=trainee.pk).language == "en"


@pytest.mark.django_db(transaction=True)  # as the live server's: no transaction around
def test_another_threads_write_on_the_shared_connection_is_not_the_gets(trainee):
    shared = connections["default"]  # as the live server shares it with its threads
    before = list(shared.execute_wrappers)
    errors = []

    def post_elsewhere():
        try:
            with shared.cursor() as cursor:
                cursor.execute(
                    "UPDATE programs_user SET language = %s WHERE id = %s", ["en", trainee.pk]
                )
        except Exception as error:  # noqa: BLE001 -- said in the assertion below
            errors.append(error)

    def reads(request):
        thread = threading.Thread(target=post_elsewhere)
        thread.start()
        thread.join()

    shared.inc_thread_sharing()
    try:
        GetGuardMiddleware(reads)(RequestFactory().get("/today/"))
    finally:
        shared.dec_thread_sharing()
    assert errors == []
    assert User.objects.get(pk=trainee.pk).language == "en"
    assert shared.execute_wrappers == before  # the guard left with its request

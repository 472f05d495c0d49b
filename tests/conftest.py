"""Personas, as in every test class: people of one host company and one municipality, and
outsiders from another host and another municipality who must never see them."""

import pytest
from django.core.cache import cache

from programs.models import Role

from .factories import (
    PASSWORD,
    HostCompanyFactory,
    MunicipalityFactory,
    UserFactory,
    host_member,
    supervisor_of,
    trainee_of,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def operator(db):
    """An operator of the installation (Django admin)."""
    user = UserFactory(email="operator@example.org")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def tagawa(db):
    return MunicipalityFactory(code="402061", name="田川市", prefecture=40)


@pytest.fixture
def kitami(db):
    return MunicipalityFactory(code="012084", name="北見市", prefecture=1)


@pytest.fixture
def host(db):
    return HostCompanyFactory(name="はたらくラボ株式会社")


@pytest.fixture
def other_host(db):
    return HostCompanyFactory(name="ノースベンチャーズ株式会社")


@pytest.fixture
def coordinator(host):
    return host_member(host, Role.COORDINATOR, "coordinator@example.org")


@pytest.fixture
def staff(host):
    return host_member(host, Role.STAFF, "staff@example.org")


@pytest.fixture
def supervisor(tagawa):
    return supervisor_of(tagawa, "supervisor@example.org")


@pytest.fixture
def trainee(tagawa):
    return trainee_of(tagawa, "trainee@example.org")


@pytest.fixture
def outsider(other_host):
    """A coordinator of another host company."""
    return host_member(other_host, Role.COORDINATOR, "outsider@example.org")


@pytest.fixture
def other_supervisor(kitami):
    return supervisor_of(kitami, "other-supervisor@example.org")


@pytest.fixture
def other_trainee(kitami):
    return trainee_of(kitami, "other-trainee@example.org")


@pytest.fixture
def program(host, coordinator):
    from .factories import ProgramFactory

    return ProgramFactory(host=host, title="ITベンチャー研修（田川市）")


@pytest.fixture
def other_program(other_host):
    from .factories import ProgramFactory

    return ProgramFactory(host=other_host, title="地域DX研修")


@pytest.fixture
def registered(trainee, coordinator, host, tagawa):
    """A trainee this host already knows: they accepted one of its invitations before."""
    from programs.models import Invitation

    Invitation.objects.create(
        email=trainee.email,
        role="trainee",
        host_company=host,
        municipality=tagawa,
        token_hash="k" * 64,
        invited_by=coordinator,
        expires_at="2030-01-01T00:00:00Z",
        accepted_by=trainee,
        accepted_at="2026-01-01T00:00:00Z",
    )
    return trainee

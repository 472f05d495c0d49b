"""Subqueries every scoped manager of this app starts from, and shared querysets and
model methods."""

from django.db import models
from django.db.models import Q

from programs.models import supervised_by, worked_for

# The core's subqueries, under the names this app's managers use.
_host_ids = worked_for
_supervised = supervised_by


def enrolment_readers(user) -> Q:
    """Who reads a trainee's filed writing (a reflection, a 研修報告書) besides its author: the
    host's people, the mentor, and the contacts of the trainee's municipality (as snapshotted
    at enrolment) once the program is out of draft."""
    from programs.models import Status

    return (
        Q(enrollment__program__host__in=_host_ids(user))
        | Q(enrollment__mentor=user)
        | (
            Q(enrollment__municipality__in=_supervised(user))
            & ~Q(enrollment__program__status=Status.DRAFT)
        )
    )


def in_page_language(japanese: str, english: str) -> str:
    """The English text on English pages when there is one; Japanese otherwise."""
    from django.utils import translation

    return english if english and translation.get_language() == "en" else japanese


class BuiltInOrOwnQuerySet(models.QuerySet):
    """Question sets and interview templates: built in (no host) or the host's own."""

    def usable_by(self, host):
        return self.filter(Q(host__isnull=True) | Q(host=host))


class TranslatedQuestion(models.Model):
    """A question in Japanese (`text`) with an optional English one (`text_en`): it is
    shown in the page's language."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_page_language(self.text, self.text_en)

"""Text saved as it is typed (a daily reflection, a 研修報告書, a 復命書): what the row keeps,
what the page sends with every save, and the JSON it gets back (static/js/reflection.js reads
it). Its revision, and the page that last saved it with that page's own counter, so a save
repeated or delivered late by a flaky connection is applied once and never overwrites a
newer one; a save from another page, based on a revision it had not seen, over a text, keeps
the text it replaces (each app keeps it in its own history)."""

from django.db import models
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .integers import int_param


class SavedAsTyped(models.Model):
    revision = models.PositiveIntegerField(_lazy("revision"), default=0)
    client_id = models.CharField(_lazy("last saved from (page id)"), max_length=40, blank=True)
    client_seq = models.PositiveIntegerField(_lazy("that page's change counter"), default=0)

    class Meta:
        abstract = True

    def is_repeat(self, client_id: str, client_seq: int) -> bool:
        """A save this page already made: repeated, or delivered after a later one."""
        return bool(client_id) and self.client_id == client_id and client_seq <= self.client_seq

    def replaces_unseen(self, client_id: str, base_revision: int | None, had_text: bool) -> bool:
        """A save from another page, based on a revision it had not seen, over a text: the
        text it replaces is to be kept."""
        return (
            base_revision is not None
            and base_revision != self.revision
            and self.client_id != client_id
            and had_text
        )

    def saved_by(self, client_id: str, client_seq: int, *, changed: bool) -> None:
        """Remember the page and its counter; a change of the text raises the revision."""
        if changed:
            self.revision += 1
        self.client_id, self.client_seq = client_id[:40], client_seq


class ReplacedDraft(models.Model):
    """Draft text a save from another device replaced before this one had seen it: kept,
    shown to its author only, so nothing typed is lost. A subclass adds `report`, the
    foreign key to what was written (related_name "replaced_drafts")."""

    revision = models.PositiveIntegerField(_lazy("revision"))
    content = models.JSONField(_lazy("text"))
    replaced_at = models.DateTimeField(_lazy("replaced at"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _lazy("replaced draft")
        verbose_name_plural = _lazy("replaced drafts")
        ordering = ["report", "-replaced_at"]

    def __str__(self) -> str:
        return f"{self.report_id} r{self.revision}"


def client_markers(data) -> dict:
    """The page's id, its change counter and the revision it started from (filled in by the
    page's script; empty without JavaScript). A counter that is not plain digits in the
    column's range (2**70, "1e5", "٣") is no counter: the save goes ahead as one from a page
    without JavaScript (never taken for a duplicate, so the text is kept), and nothing odd
    reaches the database. An odd base revision is no base revision."""
    client_id = (data.get("client_id") or "")[:40]
    raw_seq = data.get("client_seq") or "0"
    seq = int_param(raw_seq, minimum=0)
    if seq is None:
        client_id, seq = "", 0
    return {
        "client_id": client_id,
        "client_seq": seq,
        "base_revision": int_param(data.get("base_revision"), minimum=0),
    }


def refused_answer(refused) -> JsonResponse:
    """A refusal: 409 when the text is locked (the page says so), 400 otherwise."""
    return JsonResponse(
        {
            "ok": False,
            "code": refused.code,
            "errors": refused.errors or {"__all__": refused.message},
        },
        status=409 if refused.code == "locked" else 400,
    )


def invalid_answer(form) -> JsonResponse:
    """A form whose input was at fault: the first message of each field, as a refusal's."""
    errors = {name: str(messages[0]) for name, messages in form.errors.items()}
    return JsonResponse({"ok": False, "code": "invalid", "errors": errors}, status=400)


def saved_answer(request, row, applied: bool) -> JsonResponse:
    """The save went through (or was a repeat): the row's revision and this page's counter."""
    saved_at = timezone.localtime(row.updated_at)
    return JsonResponse(
        {
            "ok": True,
            "applied": applied,
            "revision": row.revision,
            "client_seq": row.client_seq if row.client_id == request.POST.get("client_id") else 0,
            "message": _("Saved at %(time)s") % {"time": f"{saved_at:%H:%M:%S}"},
        }
    )

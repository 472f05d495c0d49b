"""What a text saved as it is typed keeps (a daily reflection, a 研修報告書): its revision, and
the page that last saved it with that page's own counter, so a save repeated or delivered late
by a flaky connection is applied once and never overwrites a newer one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedAsTyped(models.Model):
    revision = models.PositiveIntegerField(_("revision"), default=0)
    client_id = models.CharField(_("last saved from (page id)"), max_length=40, blank=True)
    client_seq = models.PositiveIntegerField(_("that page's change counter"), default=0)

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

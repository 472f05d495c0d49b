"""The municipality's 確認 (acknowledgement) of a document its trainee filed: the 研修報告書
(trainees) and the 復命書 (seminars). One set of words for every page, the same for both
kinds; `templates/partials/municipality_confirmation.html` draws it with the button."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .formats import show

NONE, WAITING, CONFIRMED = "none", "waiting", "confirmed"


@dataclass(frozen=True)
class Confirmation:
    """`state`: none (not filed yet), waiting (自治体確認待ち) or confirmed (自治体確認済み,
    with who and when)."""

    state: str
    confirmed_at: datetime | None = None
    confirmed_by: str = ""
    # Which filing the reader saw (its submission time): the button posts it back, so a
    # document filed again since is not confirmed unread.
    seen: str = ""

    @property
    def label(self) -> str:
        if self.state == CONFIRMED:
            return _("Confirmed by the municipality (%(date)s %(name)s)") % {
                "date": show(self.confirmed_at, "month_date"),
                "name": self.confirmed_by,
            }
        if self.state == WAITING:
            return _("Waiting for the municipality's confirmation")
        return ""

    @property
    def waiting(self) -> bool:
        return self.state == WAITING


def seen_token(submitted_at) -> str:
    return submitted_at.isoformat() if submitted_at else ""


def confirmation_of(
    filed: bool, confirmed_at, confirmed_by=None, submitted_at=None
) -> Confirmation:
    """The state of a document: `filed` (submitted), and who confirmed it when, if anyone
    (`confirmed_by` a user or a display name); `submitted_at` the filing the reader sees."""
    if confirmed_at is not None:
        name = getattr(confirmed_by, "display_name", confirmed_by) or ""
        return Confirmation(CONFIRMED, confirmed_at, name)
    return Confirmation(WAITING if filed else NONE, seen=seen_token(submitted_at))


# The columns a list reads with `values()` to name who confirmed, and the name from them.
CONFIRMED_FIELDS = (
    "municipality_confirmed_at",
    "municipality_confirmed_by__family_name",
    "municipality_confirmed_by__given_name",
    "municipality_confirmed_by__email",
)


def confirmation_from_row(filed: bool, row: dict) -> Confirmation:
    """`confirmation_of` from a `values()` row holding CONFIRMED_FIELDS."""
    prefix = "municipality_confirmed_by__"
    name = f"{row[prefix + 'family_name'] or ''} {row[prefix + 'given_name'] or ''}".strip()
    return confirmation_of(
        filed,
        row["municipality_confirmed_at"],
        name or row[prefix + "email"],
        row.get("submitted_at"),
    )


class MunicipalityConfirmed(models.Model):
    """Who of the trainee's municipality confirmed the document, and when: a filed document
    (`is_filed`) of a trainee. Concrete models say what `is_filed` means."""

    municipality_confirmed_at = models.DateTimeField(
        _lazy("confirmed by the municipality at"), null=True, blank=True
    )
    municipality_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_lazy("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_filed(self) -> bool:
        raise NotImplementedError

    def confirm_now(self, *, by, now) -> None:
        """Keep who confirmed and when (the caller holds the row locked and has checked that
        the document is filed and not yet confirmed)."""
        self.municipality_confirmed_at = now
        self.municipality_confirmed_by = by
        self.save(
            update_fields=["municipality_confirmed_at", "municipality_confirmed_by", "updated_at"]
        )

    @property
    def confirmation(self) -> Confirmation:
        return confirmation_of(
            self.is_filed,
            self.municipality_confirmed_at,
            self.municipality_confirmed_by,
            getattr(self, "submitted_at", None),
        )

"""What a municipality wants printed on its copy of the documents: its 文書番号 (document
number) and the addressee (宛先, e.g. 田川市長 様). Both optional; set by its contact
(supervisor) on a page of reports, or by operators in the admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Municipality


class Letterhead(models.Model):
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="letterhead",
        verbose_name=_("municipality"),
    )
    document_number = models.CharField(
        _("document number"),
        max_length=40,
        blank=True,
        help_text=_("Printed at the top right of the documents, e.g. 田人第123号."),
    )
    addressee = models.CharField(
        _("addressee"),
        max_length=60,
        blank=True,
        help_text=_("To whom the documents are addressed, e.g. 田川市長 様."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document letterhead")
        verbose_name_plural = _("document letterheads")

    def __str__(self) -> str:
        return str(self.municipality)

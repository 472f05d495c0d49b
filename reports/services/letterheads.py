"""A municipality's 文書番号 and addressee for its documents (reports.models.Letterhead)."""

from django.db import transaction

from programs.models import Municipality

from ..models import Letterhead


def save_letterhead(municipality: Municipality, *, document_number: str, addressee: str, by):
    """Set (or clear) what the municipality's documents print; the next build prints it."""
    with transaction.atomic():
        letterhead, _new = Letterhead.objects.select_for_update().get_or_create(
            municipality=municipality
        )
        letterhead.document_number = document_number
        letterhead.addressee = addressee
        letterhead.updated_by = by
        letterhead.save()
    return letterhead

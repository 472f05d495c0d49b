"""The municipality's 文書番号 and addressee for its documents (reports.models.Letterhead)."""

from programs.models import Municipality

from ..models import Letterhead


def letterhead_of(municipality: Municipality | None) -> Letterhead | None:
    """The municipality's letterhead if it has set one (the whole report has none)."""
    if municipality is None:
        return None
    return Letterhead.objects.filter(municipality=municipality).first()

"""Reading the input of reports' pages: the fiscal year (年度) an export or a summary is for,
and a municipality's letterhead for its documents.
The ids that pick a program, a host or a municipality are checked by reports.access (404
when they are not the person's to see)."""

from django import forms
from django.core.exceptions import BadRequest

from programs.date_range import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from programs.integers import int_param
from programs.plain_text import PlainTextFormMixin

from .models import Letterhead


def export_year(raw: str | None, default: int) -> int:
    """?year= of the exports: `default` when there is none, 400 when it is not a year."""
    if raw in (None, ""):
        return default
    # Every 年度 a program can fall in.
    year = int_param(raw, minimum=FIRST_FISCAL_YEAR, maximum=LAST_FISCAL_YEAR)
    if year is None:
        raise BadRequest("year")
    return year


def summary_year(raw: str | None, default: int) -> int:
    """?year= of the fiscal-year summary: `default` when there is none or it is not a year."""
    return int_param(raw, minimum=FIRST_FISCAL_YEAR, maximum=LAST_FISCAL_YEAR) or default


def contact_filters(params) -> tuple[int | None, int | None]:
    """?year= and ?program= of the contact's table: None (every year, every program) when
    absent or not a number; the views keep only the choices the contact has."""
    year = int_param(params.get("year"), minimum=FIRST_FISCAL_YEAR, maximum=LAST_FISCAL_YEAR)
    program = int_param(params.get("program"), minimum=1)
    return year, program


class LetterheadForm(PlainTextFormMixin, forms.ModelForm):
    """A municipality's 文書番号 and addressee, printed on its documents when set."""

    class Meta:
        model = Letterhead
        fields = ["document_number", "addressee"]

    def clean_document_number(self):
        return " ".join(self.cleaned_data["document_number"].split())

    def clean_addressee(self):
        return " ".join(self.cleaned_data["addressee"].split())

"""A municipality's letterhead: the 文書番号 and addressee its contact (supervisor) wants on
its documents. Only that municipality's contacts reach the page (everyone else: 404);
operators change it in the admin."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import access, forms
from ..models import Letterhead
from ..services.letterheads import save_letterhead


def letterhead_edit(request, pk: int):
    municipality = access.get_letterhead_municipality_for_user(request.user, pk)
    letterhead = Letterhead.objects.filter(municipality=municipality).first()
    form = forms.LetterheadForm(request.POST or None, instance=letterhead)
    if request.method == "POST" and form.is_valid():
        save_letterhead(
            municipality,
            document_number=form.cleaned_data["document_number"],
            addressee=form.cleaned_data["addressee"],
            by=request.user,
        )
        messages.success(request, _("Saved. Documents built from now on print it."))
        return redirect("reports:letterhead_edit", pk=municipality.pk)
    return render(
        request,
        "reports/letterhead_form.html",
        {"municipality": municipality, "form": form},
    )

"""What the pages of this app share: a form saved through a service, a line removed through
one, the form page, and the addresses a change sends the person back to."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from programs.refusals import show_refusal

from ..services.common import TripRefused


def saved_redirect(request, form, save, *, done: str, to, then=None):
    """On a valid POST: `save(cleaned_data)` through a service; accepted, its message (and
    `then()`'s, when it says one) and a redirect to `to(result)`; refused, the message next to
    its field and None (the caller shows the form again with what the person typed). The
    refusal stays as `form.refusal`, with the values it refused as `form.typed` (a field
    with an error leaves cleaned_data), for a page that says more about it."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except TripRefused as refused:
        form.refusal, form.typed = refused, dict(form.cleaned_data)
        show_refusal(refused, form=form)
        return None
    messages.success(request, done)
    if then is not None and (more := then()):
        messages.success(request, more)
    return redirect(to(result))


def removed_redirect(request, remove, *, done: str, to: str):
    """A POST that removes a line: `remove()` through a service; its message, or why it was
    refused; then back to `to` either way."""
    try:
        remove()
    except TripRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, done)
    return redirect(to)


def form_page(
    request, form, *, title, program, back, submit, trip=None, delete_url=None, clash=None
):
    """The form of a trip, a leg, a seminar…; `clash`: the way out of a refused clash
    (programs/way_out.py)."""
    return render(
        request,
        "seminars/form.html",
        {
            "form": form,
            "title": title,
            "program": program,
            "trip": trip,
            "back_url": reverse(back[0], args=back[1:]),
            "submit": submit,
            "delete_url": reverse(delete_url[0], args=delete_url[1:]) if delete_url else None,
            "clash": clash,
        },
    )


def trip_url(program, trip) -> str:
    return reverse("seminars:trip_detail", args=[program.pk, trip.pk])


def lines_url(program, trip, line=None) -> str:
    """The expense lines page, at a line where one is named."""
    url = reverse("seminars:trip_expenses", args=[program.pk, trip.pk])
    return f"{url}#line-{line.pk}" if line else url

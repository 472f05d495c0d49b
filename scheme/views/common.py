"""What the scheme's pages share: a form saved through a service, a POST that changes a
state, and the form page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from programs.refusals import show_refusal

from ..services.common import SchemeRefused, window_message


def saved_redirect(request, form, save, *, done: str, to):
    """On a valid POST: `save(cleaned_data)`; accepted, `done` and a redirect to `to(result)`;
    refused, the message next to its field and None (the form is shown again as typed)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except SchemeRefused as refused:
        show_refusal(refused, form=form)
        return None
    messages.success(request, done)
    return redirect(to(result))


def changed_redirect(request, change, *, done: str, to: str):
    """A POST that changes a state (open, close, withdraw): its message or its refusal."""
    try:
        change()
    except SchemeRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, done)
    return redirect(to)


def form_page(request, form, *, title: str, call, submit: str, back: str, lead: str = ""):
    return render(
        request,
        "scheme/form.html",
        {
            "form": form,
            "title": title,
            "call": call,
            "submit": submit,
            "back_url": back,
            "lead": lead,
        },
    )


def closed_redirect(request, call):
    """Outside the window nothing is offered or applied for: the call's page says why."""
    if message := window_message(call, timezone.now()):
        messages.error(request, message)
        return redirect("scheme:call_detail", call.pk)
    return None

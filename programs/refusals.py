"""One refusal for every app: a service raises `Refused` (or an app's subclass of it) when the
rules do not allow a change, and a view shows it with `show_refusal`.

- `message`: what a person reads, said for them.
- `code`: a short word a caller may branch on ("forbidden", "locked", "state", …).
- `errors`: the message for each field at fault ({} when the change as a whole is refused).
  `field=` is the short way to name a single one.

Nothing has been written when it is raised: services check first, or raise inside the
transaction that is then rolled back.
"""

from django.contrib import messages


class Refused(Exception):
    def __init__(
        self,
        message: str,
        code: str = "refused",
        errors: dict | None = None,
        *,
        field: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = dict(errors or {})
        if field is not None:
            self.errors.setdefault(field, message)

    @property
    def field(self) -> str | None:
        """The first field at fault, or None when the change as a whole is refused."""
        return next(iter(self.errors), None)


def show_refusal(refused: Refused, *, form=None, request=None) -> None:
    """Put a refusal where the person reads it: next to each field of `form` it names (the
    form's own errors for a field the form lacks, or for the change as a whole), or, without
    a form, as a message on the next page."""
    if form is None:
        messages.error(request, refused.message)
        return
    if not refused.errors:
        form.add_error(None, refused.message)
    for name, text in refused.errors.items():
        form.add_error(name if name in form.fields else None, text)

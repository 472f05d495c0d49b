"""Text a refusal sends back: the interview's small forms post, and on a refusal redirect to
the page they sit on (with the message); what was typed rides in the session for that one
page view, so the field shows it again instead of losing it."""


def _key(interview) -> str:
    return f"interview-typed-{interview.pk}"


def keep(request, interview, error: str, **fields: str) -> None:
    request.session[_key(interview)] = {"fields": fields, "error": error}


def take(request, interview) -> dict:
    """{"fields": {name: text}, "error": message} once, then nothing."""
    return request.session.pop(_key(interview), None) or {"fields": {}, "error": ""}

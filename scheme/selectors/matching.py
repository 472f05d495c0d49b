"""What the office's matching page reads: the latest run, one row per application with
what it got and why, and the pins; the sentences for each proposal's reason."""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.formats import join_names, period, separator, show

from ..models import Match, MatchRun, Pin, PinKind, Proposal


def latest_run(call) -> MatchRun | None:
    return MatchRun.objects.latest_finished(call)


def pending_run(call) -> MatchRun | None:
    """A run the office asked for that a worker has not finished yet."""
    return MatchRun.objects.pending().filter(call=call).order_by("-created_at", "-pk").first()


def weeks_period(start, weeks: int) -> str:
    """Monday of the first week to Friday of the last."""
    start = date.fromisoformat(start) if isinstance(start, str) else start
    return period(start, start + timedelta(weeks=weeks - 1, days=4))


def choice_label(rank: int | None) -> str:
    if rank is None:
        return _("a host it did not name")
    return _("choice %(rank)s") % {"rank": rank}


def _place(place: dict) -> str:
    weeks = place["weeks"]
    text = _("%(host)s, %(period)s") % {
        "host": place["host"],
        "period": weeks_period(weeks[0], len(weeks)),
    }
    taken, higher = place["taken_by"], place["ranked_higher"]
    if taken and higher:
        text += " " + ngettext(
            "(taken by %(count)s application, %(higher)s of them ranked it higher)",
            "(taken by %(count)s applications, %(higher)s of them ranked it higher)",
            taken,
        ) % {"count": taken, "higher": higher}
    elif taken:
        text += " " + ngettext(
            "(taken by %(count)s application)", "(taken by %(count)s applications)", taken
        ) % {"count": taken}
    return text


def _weeks_list(weeks: list[str], shown: int = 4) -> str:
    """The impossible weeks by their Mondays, the first few and how many more."""
    text = join_names([show(w, "day") for w in weeks[:shown]])
    if len(weeks) > shown:
        text += " " + _("and %(count)s more weeks") % {"count": len(weeks) - shown}
    return text


def _no_week(detail: dict) -> str:
    weeks = detail.get("weeks_wanted", 1)
    if weeks == 1 and detail.get("named_only"):
        return _("No offer at a host it named falls in its possible weeks.")
    if weeks == 1:
        return _("No offer falls in its possible weeks.")
    if detail.get("named_only"):
        return _(
            "No offer at a host it named has %(weeks)s weeks in a row in its possible weeks."
        ) % {"weeks": weeks}
    return _("No offer has %(weeks)s weeks in a row in its possible weeks.") % {"weeks": weeks}


def reason_text(reason: str, detail: dict) -> str:
    """The sentence for an application left out: the constraint that blocked it."""
    hosts = join_names(detail.get("hosts", []))
    impossible = _weeks_list(detail.get("impossible", []))
    texts = {
        "no_offers": lambda: _("No host offered places in this call."),
        "no_named_host_offer": lambda: (
            _(
                "None of the hosts it named (%(hosts)s) offered places, "
                "and it accepts no other host."
            )
            % {"hosts": hosts}
        ),
        "forbidden": lambda: (
            _("The office forbade every host left to it (%(hosts)s).") % {"hosts": hosts}
        ),
        "no_possible_week": lambda: (
            _no_week(detail)
            + (
                " " + _("Impossible weeks (Mondays): %(weeks)s.") % {"weeks": impossible}
                if impossible
                else ""
            )
        ),
        "overnight": lambda: _("Every offer in its possible weeks needs nights away."),
        "not_accessible": lambda: _("No offer in its possible weeks is step-free."),
        "no_room": lambda: (
            _("No week has room for %(staff)s staff.") % {"staff": detail.get("staff")}
        ),
        "lock_impossible": lambda: (
            _("Locked to %(host)s, which cannot take it: %(why)s")
            % {"host": detail.get("host"), "why": reason_text(detail.get("because", ""), detail)}
        ),
        "no_offer_at_host": lambda: _("the host has no offer in this call."),
        "capacity_taken": lambda: (
            _("The places it could take went to other applications: %(places)s.")
            % {"places": separator("names").join(_place(p) for p in detail.get("places", []))}
        ),
        "unsolved": lambda: _("The solver found no answer in time: run the matching again."),
    }
    return texts[reason]() if reason in texts else reason


def got_text(proposal: Proposal) -> str:
    """What a placed application got: which choice, the preferred week or not, themes."""
    parts = [choice_label(proposal.host_rank)]
    parts.append(_("a preferred week") if proposal.preferred_week else _("not a preferred week"))
    if proposal.themes_met:
        parts.append(
            ngettext("%(n)s theme in common", "%(n)s themes in common", proposal.themes_met)
            % {"n": proposal.themes_met}
        )
    return separator("sep").join(parts)


def matching_rows(call, run: MatchRun | None, show: str = "") -> list[dict]:
    """One row per application of the run (three queries, whatever the count)."""
    if run is None:
        return []
    confirmed = dict(
        Match.objects.confirmed().filter(call=call).values_list("application_id", "pk")
    )
    pins = {(p.application_id, p.host_id): p for p in Pin.objects.filter(call=call)}
    proposals = Proposal.objects.filter(run=run).select_related(
        "application__municipality", "offer__host"
    )
    if show == "matched":
        proposals = proposals.filter(offer__isnull=False)
    elif show == "unmatched":
        proposals = proposals.filter(offer__isnull=True)
    rows = []
    for proposal in proposals.order_by("application__municipality__code", "pk"):
        host = proposal.offer.host if proposal.offer_id else None
        pin = pins.get((proposal.application_id, host.pk)) if host else None
        rows.append(
            {
                "proposal": proposal,
                "municipality": proposal.application.municipality,
                "staff": proposal.application.staff,
                "host": host,
                "period": weeks_period(proposal.start_week, proposal.weeks) if host else "",
                "choice": choice_label(proposal.host_rank) if host else "",
                "explanation": got_text(proposal)
                if host
                else reason_text(proposal.reason, proposal.detail),
                "confirmed": proposal.application_id in confirmed,
                "pin": pin,
                "locked": pin is not None and pin.kind == PinKind.LOCK,
            }
        )
    return rows


def pin_rows(call) -> list[Pin]:
    return list(
        Pin.objects.filter(call=call)
        .select_related("application__municipality", "host")
        .order_by("application__municipality__code", "kind")
    )


def waiting_count(call, run: MatchRun | None) -> int:
    """Proposed pairs of the run not confirmed yet."""
    from ..services.confirmation import waiting_proposals

    return waiting_proposals(call, run).count()

"""What the trips list, the trip page and the expense lines page print, shaped for their
Jinja2 fragments: rows read with `.values()` (no model instances, only the columns shown) and
every cell a ready string (dates, times, yen, labels, addresses), so the templates only loop
and print. The access decisions stay those of `seminars.access`: the views find the program
and the trip in the person's scope first; inside a trip known to be visible, its legs are
read by the trip's id and only what a non-host reader may see is scoped again (their
trainees' rows, lines and reports; the seminars they may see). For the host's people, who
read these pages most, each query is compiled once per connection (`programs.compiled`):
building them cost more than running them.

- `common`: the formats every page shares (dates, yen, names).
- `trips`: the trips list and the trip page.
- `expenses`: the trip page's sums and the expense lines page.
"""

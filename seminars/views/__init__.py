"""Pages of trips, seminars and trip reports. Each starts from the program the person may
see and a scoped query inside it: anything outside answers 404; a reader who tries to change
something gets 403.

One module per kind of object: `trips`, `legs`, `expenses`, `seminars` (with their roles,
follow-ups and materials) and `trip_reports`; `common` holds what they share."""

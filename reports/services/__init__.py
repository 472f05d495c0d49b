"""What reports changes: asking for a stored document and building it again
(reports.services.documents). The building itself is the worker's (reports.tasks)."""

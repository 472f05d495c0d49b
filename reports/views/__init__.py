"""The pages and files of reports, one module per kind of object: interview articles, trip
documents, stored documents, program documents (and the fiscal-year summary), CSV exports."""

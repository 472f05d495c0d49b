"""What the pages and files of reports read: the contexts of the program documents
(program_reports, fiscal_year), the rows of the documents pages (documents) and of the CSV
exports (exports, with export_scope, export_people, export_trips)."""

"""What the app's pages read: their queries and rows, shaped for the templates."""

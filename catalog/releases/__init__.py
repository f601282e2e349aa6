"""A product's release history: version, date, what changed and that release's file."""

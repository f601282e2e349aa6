"""Release update e-mails: who is told about a new release, once, and who opted out."""

"""License keys Dodo issues for a purchase, kept in step with the access grant."""

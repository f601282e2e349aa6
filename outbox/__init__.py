"""Side effects that survive failures: reliable tasks, effect records, the outbox."""

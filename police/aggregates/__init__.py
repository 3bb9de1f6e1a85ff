"""Event-sourced aggregates: each change is an event method; invariants are checked before it."""

"""The read side: plain SQL tables fed by the application's event log, shaped for the screens
that read them. Every screen reads from here, never from the event store.

- ``schema``: the tables, grouped by the projection that owns them;
- ``store``: the tables on SQLite or PostgreSQL, beside the library's tracking table, written in
  one transaction per batch of events with the position reached;
- ``projection``: what each event does to the tables;
- ``timeline``: the human-readable line of each event of a case;
- ``runner``: following the log (worker, in-process thread, catch-up, rebuild);
- ``queries``: what the web pages ask;
- ``cli``: ``police project``.
"""

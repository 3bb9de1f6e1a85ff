"""The read side: plain SQL tables fed by the application's event log, shaped for the screens
that read them. Every screen reads from here, never from the event store.

- ``models``: the read models, one module per table group: its tables, their schema version,
  what each event does to them;
- ``schema``: the read models gathered, and the table recording the versions built;
- ``store``: the tables on SQLite or PostgreSQL, beside the library's tracking table, written in
  one transaction per batch of events with the position reached, rebuilt in one transaction;
- ``projection``: the dispatcher handing each event to the read models that know it;
- ``runner``: following the log (worker, in-process thread, catch-up, rebuild, migration);
- ``queries`` and ``rows``: what the web pages ask, and the rows they get;
- ``cli``: ``police project``.
"""

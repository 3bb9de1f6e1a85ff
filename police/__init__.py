"""The administrative police domain and its write side: aggregates, commands, catalogue."""

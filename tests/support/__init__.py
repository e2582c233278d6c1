"""Helpers shared by tests: a loopback HTTP server for code that fetches."""

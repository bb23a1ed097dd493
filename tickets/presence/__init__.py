"""Collision: who else has a ticket open and who is writing a reply (issue 15).

Presence is short-lived state in the "presence" cache (Redis in production, files in the
embedded mode), refreshed by each open workspace with one small htmx poll every few seconds.
"""

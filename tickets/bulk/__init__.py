"""Bulk work from the queue (issue 15): one service call per ticket, run as a durable job."""

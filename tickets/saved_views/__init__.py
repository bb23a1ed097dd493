"""Saved views of the queue (issue 15): named filters and sort, personal or shared with a
team by its manager, listed beside the queue with their counts."""

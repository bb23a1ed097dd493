"""Merge and link tickets (issue 15). See README.md here for what a merge does and how
merged-away tickets count in the KPIs."""

"""Dashboard pages (managers and directors): dashboard, drill-down, exports, goals, voice of
the customer, rebuild. Every view checks access through ``csops.permissions``."""

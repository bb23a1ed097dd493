"""Demand forecast: arrivals per half hour (``fold``), a seasonal model with trend
(``model``, pure), the team's history and figures (``figures``), handed to staffing's planning
pages (``provider``; staffing never imports kpis)."""

"""Budget: a fiscal year's cost lines per month (salaries by role from headcount × loaded cost,
tools, training, recruiting, other), actuals entered or imported, variance, cost per resolved
ticket and per contact, and the staffing plan's cost. The KPI volumes come from kpis through
``volumes.register_provider`` (staffing never imports kpis)."""

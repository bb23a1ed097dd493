"""Planning: the staffing requirement from kpis' demand forecast (Erlang C for live channels,
workload for deferred ones), what-if controls and saved scenarios. The demand figures come
from kpis through ``demand.register_provider`` (staffing never imports kpis)."""

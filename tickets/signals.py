"""Signals other layers may observe. Sent on commit, never inside a transaction.

``ticket_changed`` carries ``ticket_id``; the analytics layer (kpis) listens to queue its
metric refresh, so tickets never imports kpis.
"""

from django.dispatch import Signal

ticket_changed = Signal()

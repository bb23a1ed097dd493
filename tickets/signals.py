"""Signals other layers may observe. Sent on commit, never inside a transaction.

``ticket_changed`` carries ``ticket_id``, once per ticket a committed transaction changed;
``tickets_changed`` carries ``ticket_ids``, once per committed transaction, for listeners that
do their work in batches: the analytics layer (kpis) listens to it to queue one metric refresh
for the lot, so tickets never imports kpis and a batch of ingested mail is one refresh, not
one per ticket.
"""

from django.dispatch import Signal

ticket_changed = Signal()
tickets_changed = Signal()

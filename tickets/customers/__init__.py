"""Customers and organizations as people the department knows: their pages (contact details,
tickets, CSAT history, channels used, internal notes; an organization's people, open tickets,
SLA attainment and CSAT), search, contact edits and merging two records of one person.

- ``models``: ``CustomerNote`` (internal notes about a customer), ``CustomerMerge`` (the record
  of a merge; the merged address keeps finding the survivor). ``Customer`` and
  ``Organization`` themselves live in ``tickets.models.customers`` (with their audit history).
- ``services``: find-or-create by email, edit contact details, add a note, merge.
- ``selectors``: search and the two profile pages, scoped (``permissions.scope_customers``).
- ``views`` / ``urls`` (``/customers/``), ``api`` (``/api/v1/customers/``).
"""

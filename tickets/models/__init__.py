from tickets.models.customers import Customer, Organization
from tickets.models.events import TicketEvent
from tickets.models.tickets import Channel, Priority, Status, Ticket

__all__ = [
    "Channel",
    "Customer",
    "Organization",
    "Priority",
    "Status",
    "Ticket",
    "TicketEvent",
]

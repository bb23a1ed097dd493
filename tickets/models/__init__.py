from tickets.attachments.models import Attachment
from tickets.bulk.models import BulkAction, BulkKind, BulkResult
from tickets.chat.models import ChatChannel, ChatDelivery
from tickets.customers.models import CustomerMerge, CustomerNote
from tickets.followers.models import IncidentFollower
from tickets.links.models import LinkKind, TicketLink
from tickets.mail.inbound.models import InboundMessage, Mailbox
from tickets.mail.models import OutboundMessage, OutboxState
from tickets.models.customers import Customer, Organization
from tickets.models.escalations import (
    Escalation,
    EscalationCategory,
    EscalationRule,
    EscalationState,
    EscalationTarget,
    RuleFiring,
    RuleTrigger,
)
from tickets.models.events import TicketEvent
from tickets.models.incidents import (
    Incident,
    IncidentChange,
    IncidentDelivery,
    IncidentLink,
    IncidentUpdate,
    SpikeAlert,
)
from tickets.models.policy_records import PolicyMoment, TicketPolicyRecord
from tickets.models.sla import SlaAlert, SlaAlertKind, TicketSlaBreach, TicketSlaInstance
from tickets.models.surveys import SurveyInvitation, SurveyResponse, SurveyScale
from tickets.models.tickets import Channel, Priority, Status, Ticket
from tickets.routing.models import (
    MemberCapacity,
    RoutingMode,
    RoutingSettings,
    SkillRule,
    TicketRouting,
)
from tickets.saved_views.models import SavedView
from tickets.webhooks.models import (
    DeliveryAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

__all__ = [
    "Attachment",
    "BulkAction",
    "BulkKind",
    "BulkResult",
    "Channel",
    "ChatChannel",
    "ChatDelivery",
    "Customer",
    "CustomerMerge",
    "CustomerNote",
    "Escalation",
    "EscalationCategory",
    "EscalationRule",
    "EscalationState",
    "EscalationTarget",
    "Incident",
    "IncidentFollower",
    "InboundMessage",
    "MemberCapacity",
    "LinkKind",
    "TicketLink",
    "IncidentChange",
    "IncidentDelivery",
    "IncidentLink",
    "IncidentUpdate",
    "Mailbox",
    "Organization",
    "OutboundMessage",
    "OutboxState",
    "PolicyMoment",
    "Priority",
    "RoutingMode",
    "RoutingSettings",
    "SavedView",
    "RuleFiring",
    "RuleTrigger",
    "SkillRule",
    "SpikeAlert",
    "SlaAlert",
    "SlaAlertKind",
    "Status",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyScale",
    "Ticket",
    "TicketEvent",
    "TicketPolicyRecord",
    "TicketRouting",
    "TicketSlaBreach",
    "TicketSlaInstance",
    "DeliveryAttempt",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
]

from policies.knowledge.models import (  # noqa: I001 - after documents (string FKs to them)
    Article,
    ArticleCategory,
    ArticleFeedback,
    ArticleImage,
    ArticleSection,
    ArticleViewDay,
    Deflection,
    HelpSearch,
    TicketArticleLink,
    Visibility,
)
from policies.models.calendars import BusinessCalendar, CalendarVersion, OrganizationSettings
from policies.models.documents import (
    Acknowledgment,
    Kind,
    PolicyDocument,
    PolicyVersion,
    VersionState,
    VersionTransition,
)
from policies.models.macros import Macro
from policies.models.sla import SlaMetric, SlaPolicy, SlaPolicyTarget, SlaPolicyVersion
from policies.models.taxonomy import Category, Tag

__all__ = [
    "Article",
    "ArticleCategory",
    "ArticleFeedback",
    "ArticleImage",
    "ArticleSection",
    "ArticleViewDay",
    "Deflection",
    "HelpSearch",
    "TicketArticleLink",
    "Visibility",
    "Acknowledgment",
    "BusinessCalendar",
    "CalendarVersion",
    "Category",
    "Kind",
    "Macro",
    "OrganizationSettings",
    "PolicyDocument",
    "PolicyVersion",
    "SlaMetric",
    "SlaPolicy",
    "SlaPolicyTarget",
    "SlaPolicyVersion",
    "Tag",
    "VersionState",
    "VersionTransition",
]

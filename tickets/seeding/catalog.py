"""What the demo department looks like: teams, categories, tags and staff (pure data).

``reference.ensure_reference_data`` creates these rows idempotently; the simulator reads the
resulting ids. Category text is ``|``-separated templates filled by ``text.Writer``.
"""

from __future__ import annotations

from dataclasses import dataclass


def words(names: str) -> tuple[str, ...]:
    return tuple(names.split())


@dataclass(frozen=True)
class TeamSpec:
    slug: str
    name: str
    tier: int
    description: str
    escalates_to: str | None  # slug of the tier-2 team that takes escalations
    weight: float  # share of new tickets routed here at creation


TEAMS = (
    TeamSpec("tier-1-support", "Tier 1 Support", 1, "Front line for every channel.",
             "tier-2-technical", 0.30),
    TeamSpec("billing", "Billing", 1, "Charges, invoices, refunds and plans.",
             "billing-escalations", 0.20),
    TeamSpec("returns", "Returns", 1, "Returns, exchanges and warranty claims.",
             "billing-escalations", 0.13),
    TeamSpec("orders-shipping", "Orders & Shipping", 1, "Order status, delivery and carriers.",
             "tier-2-technical", 0.15),
    TeamSpec("accounts-access", "Accounts & Access", 1, "Logins, profiles and security.",
             "tier-2-technical", 0.12),
    TeamSpec("tier-2-technical", "Tier 2 Technical", 2, "Bugs, devices and deep investigation.",
             None, 0.04),
    TeamSpec("billing-escalations", "Billing Escalations", 2, "Disputes and large refunds.",
             None, 0.02),
    TeamSpec("integrations-api", "Integrations & API", 2, "Partners, webhooks and the API.",
             None, 0.04),
)  # fmt: skip


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    team: str
    tags: tuple[str, ...]
    subjects: str
    details: str  # sentences of the opening message
    answers: str  # the agent's category-specific sentences


CATEGORIES = (
    CategorySpec(
        "login-password",
        "Login & password",
        "accounts-access",
        ("password-reset", "2fa"),
        "Cannot log in|Password reset email never arrives|Locked out of my account|"
        "Two-factor code not working|Login loop on {browser}|Forgot my password",
        "I cannot log in to my account on my {device}.|The password reset email never arrives, "
        "I {action}.|I get a {error} when I sign in with {browser}.|My two-factor code is "
        "rejected {adverb}.|I changed my password in {month} and now I am locked out.",
        "I sent a fresh password reset link to the address on file.|I cleared the lock on "
        "your account, please try to sign in again.|I reset your two-factor settings so you "
        "can enrol your {device} again.",
    ),
    CategorySpec(
        "account-changes",
        "Account changes",
        "accounts-access",
        ("profile",),
        "Change the email on my account|Update my address|Merge two accounts|Delete my account|"
        "Change account owner",
        "I need to change the email address on my account.|We moved to {city}, please update the "
        "address.|I have two accounts and would like them merged.|Please delete my account and "
        "all my data.",
        "I updated the account details as requested.|The accounts are merged now and your order "
        "history is in one place.|Your deletion request is scheduled and you will get a "
        "confirmation by email.",
    ),
    CategorySpec(
        "billing-question",
        "Billing question",
        "billing",
        ("billing",),
        "Question about my bill|Charged twice this month|Unexpected charge of {amount}|"
        "Plan price changed|Why was I billed for {plan}",
        "I was charged {amount} on my {payment} and I do not recognise it.|My bill for {month} "
        "looks higher than usual.|I see a duplicate charge for the {plan} plan.|The price of my "
        "plan changed without notice.",
        "The second charge was an authorisation hold and will drop off in a few days.|I checked "
        "the invoice and the difference is the prorated {plan} upgrade.|I reversed the duplicate "
        "charge of {amount}.",
    ),
    CategorySpec(
        "refund-request",
        "Refund request",
        "billing",
        ("refund",),
        "Refund request for order {order}|Requesting a refund|Refund not received|"
        "Where is my refund|Refund for cancelled {plan} plan",
        "I would like a refund for the {product}.|I returned the item {count} weeks ago and the "
        "refund has not arrived.|I cancelled my {plan} plan and was still charged {amount}, "
        "please refund it.|The refund went to an old {payment}.",
        "I issued a refund of {amount} to your {payment}; it takes five to ten business days.|"
        "The refund was processed on {weekday} and should appear soon.|I escalated the refund "
        "to the billing team for approval.",
    ),
    CategorySpec(
        "invoice",
        "Invoice",
        "billing",
        ("invoice", "billing"),
        "Need an invoice for order {order}|Invoice {invoice} has the wrong company name|"
        "VAT number missing on invoice|Send me a copy of my invoice",
        "Please send me an invoice for order {order}.|The company name on invoice {invoice} is "
        "wrong.|Our finance team needs the VAT number on the invoice.",
        "I attached a corrected invoice {invoice}.|You can download every invoice from the "
        "billing page.|I added the VAT number and reissued the invoice.",
    ),
    CategorySpec(
        "payment-failed",
        "Payment failed",
        "billing",
        ("payment",),
        "Payment declined|Card keeps getting declined|Autopay failed|Cannot update payment method",
        "My {payment} was declined at checkout.|Autopay failed for the {plan} plan even though "
        "the card is valid.|I cannot save a new payment method, I get a {error}.",
        "Your bank declined the charge; please check with them or use another card.|I retried "
        "the payment and it went through.|I removed the old card so you can add the new one.",
    ),
    CategorySpec(
        "return-request",
        "Return request",
        "returns",
        ("return",),
        "Return the {product}|How do I return my order|Return label request|Return window question",
        "I want to return the {product}, it is not what I expected.|Can you send me a return "
        "label for order {order}?|Is it too late to return something bought in {month}?",
        "I emailed you a prepaid {carrier} return label.|Your return is approved; drop the "
        "parcel at any {carrier} point.|The return window is thirty days, so you are covered.",
    ),
    CategorySpec(
        "exchange",
        "Exchange",
        "returns",
        ("exchange",),
        "Exchange for a different size|Wrong colour received|Exchange the {product}",
        "I received the wrong colour of the {product}.|The size does not fit, can I exchange "
        "it?|I would like to swap the {product} for the {product}.",
        "I set up the exchange and the new item ships today.|Once {carrier} scans the return, "
        "we send the replacement.",
    ),
    CategorySpec(
        "damaged-item",
        "Damaged item",
        "returns",
        ("damaged",),
        "Damaged package|{product} arrived broken|Item arrived damaged|Missing parts in box",
        "The {product} arrived with a {defect} {part}.|The package was damaged and the box was "
        "crushed.|The {part} is missing from the box.",
        "I am sending a replacement {product} at no cost.|Please keep the damaged item, a new "
        "one is on its way.|I filed a damage claim with {carrier}.",
    ),
    CategorySpec(
        "warranty",
        "Warranty claim",
        "returns",
        ("warranty",),
        "Warranty claim for {product}|Is this covered by warranty|{product} stopped working",
        "My {product} stopped working after {count} months, is it under warranty?|The {part} "
        "is {defect} and I would like a warranty repair.",
        "Your warranty covers this, so I opened a repair order.|The warranty has expired, but "
        "I can offer a discount on a replacement.",
    ),
    CategorySpec(
        "order-status",
        "Order status",
        "orders-shipping",
        ("order",),
        "Where is my order|Order {order} status|Order not shipped yet|Change my order",
        "I placed order {order} on {weekday} and it has not shipped.|Can I still change the "
        "address on order {order}?|The order page says processing for {count} days.",
        "Your order shipped today with {carrier}.|I updated the delivery address on the "
        "order.|The order is packed and leaves the warehouse tomorrow.",
    ),
    CategorySpec(
        "shipping-delay",
        "Shipping delay",
        "orders-shipping",
        ("shipping-delay",),
        "Shipping delay on order {order}|Package late|Delivery date keeps moving|"
        "Tracking not updating",
        "The tracking for my {product} has not updated in {count} days.|Delivery was promised "
        "for {weekday} and nothing arrived.|The shipping is delayed again in {city}.",
        "{carrier} confirmed a delay in {city}; the new date is {weekday}.|I upgraded the "
        "shipping at no cost.|I opened a trace with {carrier}.",
    ),
    CategorySpec(
        "lost-package",
        "Lost package",
        "orders-shipping",
        ("lost-package",),
        "Package marked delivered but not received|Lost package|Parcel missing",
        "Tracking says delivered but there is no package at my door.|The parcel with my "
        "{product} is lost.|{carrier} says it was delivered to {city} but I live elsewhere.",
        "I filed a lost package claim and a replacement ships today.|{carrier} is "
        "investigating; I will update you within two days.",
    ),
    CategorySpec(
        "technical-issue",
        "Technical issue",
        "tier-1-support",
        ("bug", "how-to"),
        "App crashes on {device}|{feature} not working|Sync problem|Error when using {feature}|"
        "{product} will not connect",
        "The app crashes when I open {feature} on my {device}.|I get a {error} when I use "
        "{feature}.|My {product} will not connect to wifi since the update.|I {action} and "
        "it still fails.",
        "We found a bug in {feature} and a fix ships this week.|Please update the app, the "
        "latest version fixes the {error}.|A factory reset of the {product} fixed it in our "
        "tests.",
    ),
    CategorySpec(
        "how-to",
        "How-to question",
        "tier-1-support",
        ("how-to",),
        "How do I use {feature}|Question about {feature}|Setting up my {product}|"
        "Where is the {feature} setting",
        "How do I turn on {feature}?|I just bought the {product} and cannot set it up.|Where do "
        "I find the {feature} setting on {device}?",
        "You can find {feature} under settings, then preferences.|Here is our setup guide for "
        "the {product}.|I walked through the steps and it is switched on now.",
    ),
    CategorySpec(
        "cancellation",
        "Cancellation",
        "tier-1-support",
        ("cancellation", "churn-risk"),
        "Cancel my subscription|Cancel order {order}|Stop my {plan} plan renewal",
        "Please cancel my {plan} subscription.|I want to cancel order {order} before it "
        "ships.|Stop the automatic renewal in {month}.",
        "Your subscription is cancelled and will not renew.|I cancelled the order before it "
        "left the warehouse.|I turned off the renewal and you keep access until the end of "
        "the term.",
    ),
    CategorySpec(
        "feedback",
        "Feedback",
        "tier-1-support",
        ("feedback",),
        "Feedback on {feature}|Suggestion for the {product}|Great service|Complaint about support",
        "I love the {product} but {feature} could be better.|The last agent was very helpful.|"
        "Your support took {count} days to answer, which is too long.",
        "Thanks, I shared your feedback with the product team.|I passed this on to the team lead.",
    ),
    CategorySpec(
        "api-integration",
        "API & integrations",
        "integrations-api",
        ("api", "webhook"),
        "Webhook deliveries failing|API returns {error}|Rate limit on the orders endpoint|"
        "OAuth token expires too early",
        "Our webhook endpoint stopped receiving events on {weekday}.|The orders API returns "
        "{error} for valid requests.|We hit the rate limit after a few hundred calls.",
        "We replayed the failed webhook deliveries.|The rate limit for your key is raised.|"
        "The {error} came from a stale token; please rotate the key.",
    ),
)

TAGS = (
    "vip", "enterprise", "first-time-customer", "callback-requested", "social-media",
    "password-reset", "2fa", "profile", "billing", "refund", "invoice", "payment", "chargeback",
    "return", "exchange", "damaged", "warranty", "order", "shipping-delay", "lost-package", "bug",
    "how-to", "cancellation", "churn-risk", "feedback", "api", "webhook", "mobile-app",
)  # fmt: skip
EXTRA_TAGS = ("vip", "enterprise", "first-time-customer", "callback-requested", "social-media")


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    role: str  # csops.roles.Role value
    teams: tuple[str, ...] = ()
    manages: tuple[str, ...] = ()
    title: str = ""


DEMO_PASSWORD = "csops-demo"  # noqa: S105 - published demo logins
DEMO_STAFF = (
    StaffSpec("rep", "Riley", "Parker", "Rep", ("tier-1-support",), title="Support agent"),
    StaffSpec("rep2", "Sam", "Ortiz", "Rep", ("tier-1-support",), title="Support agent"),
    StaffSpec("manager", "Morgan", "Lee", "Manager",
              manages=("tier-1-support", "tier-2-technical"), title="Support manager"),
    StaffSpec("director", "Dana", "Whitfield", "Director", title="Director of support"),
    StaffSpec("admin", "Alex", "Admin", "Admin", title="Console administrator"),
    StaffSpec("priya.shah", "Priya", "Shah", "Manager",
              manages=("billing", "billing-escalations", "returns"), title="Billing manager"),
    StaffSpec("tomas.novak", "Tomas", "Novak", "Manager",
              manages=("orders-shipping", "accounts-access", "integrations-api"),
              title="Operations manager"),
)  # fmt: skip
# Generated reps per team (in catalog order); a few tier-1 reps also work a second queue.
REPS_PER_TEAM = {
    "tier-1-support": 9, "billing": 7, "returns": 5, "orders-shipping": 5,
    "accounts-access": 4, "tier-2-technical": 5, "billing-escalations": 3, "integrations-api": 2,
}  # fmt: skip
SECOND_TEAM = {"tier-1-support": "accounts-access", "billing": "returns"}
FIRST_NAMES = words(
    "Jamie Avery Quinn Rowan Casey Jordan Taylor Harper Emerson Reese Skyler Parker Drew Logan "
    "Hayden Kendall Blake Cameron Elliot Finley Sasha Noor Mateo Aisha Kenji Ingrid Lucia Omar "
    "Zara Theo Nadia Felix Amara Bruno Leila Hugo Mina Arjun Elena Kofi"
)
LAST_NAMES = words(
    "Nguyen Garcia Kim Schmidt Rossi Okafor Silva Dubois Kowalski Tanaka Haddad Jensen Moreau "
    "Ivanova Lopez Brennan Costa Fischer Varga Mendes Ali Novak Sato Hughes Lindqvist Murphy "
    "Romero Weber Chen Patel Andersen Popescu Bakker Yilmaz Reyes Dimitrov Horvat Larsen Ward "
    "Ortega"
)

"""Word banks and sentence templates for demo tickets (pure Python, no ORM).

Templates use ``{slot}`` names from ``SLOTS``; ``Writer`` fills only the slots a template
uses, drawing from the caller's ``random.Random`` so the text is deterministic per seed.
Text never contains a tab, newline or backslash (the PostgreSQL loader writes it verbatim
into COPY text format).
"""

from __future__ import annotations

import random


def _bank(options: str) -> tuple[str, ...]:
    return tuple(options.split("|"))


SLOTS: dict[str, tuple[str, ...]] = {
    "product": _bank(
        "Aurora X2 headphones|Nimbus thermostat|Vela robot vacuum|Orbit smartwatch|"
        "Atlas standing desk|Pico espresso machine|Halo doorbell camera|Zephyr air purifier|"
        "Lumen desk lamp|Tundra cooler|Cirrus router|Quill e-reader|Forge cast iron pan|"
        "Sprout planter kit|Drift e-scooter|Echo soundbar|Summit hiking backpack|"
        "Ember space heater|Pulse fitness band|Harbor rain jacket|Mosaic phone case|"
        "Prism projector|Solace weighted blanket|Keystone mechanical keyboard|"
        "Meridian office chair|Nova gaming mouse|Cascade water filter|Terra yoga mat|"
        "Beacon baby monitor|Ridge trail shoes|Fable kids tablet|Glide electric toothbrush|"
        "Opal blender|Sable leather wallet|Comet webcam|Tidal portable speaker|"
        "Juniper skincare set|Granite power bank|Willow bed frame|Vertex drone"
    ),
    "plan": _bank("Basic|Plus|Pro|Family|Business|Enterprise|Student|Annual"),
    "feature": _bank(
        "dashboard|export|calendar sync|notifications|two-factor login|shared folders|"
        "mobile app|reporting|bulk upload|dark mode|search|offline mode|single sign-on|"
        "webhooks|team invites|audit log|autopay|address book|wishlist|gift cards|"
        "loyalty points|subscriptions page"
    ),
    "device": _bank(
        "iPhone|Android phone|Windows laptop|MacBook|iPad|Chromebook|Pixel tablet|desktop PC|"
        "smart TV|Linux workstation"
    ),
    "browser": _bank("Chrome|Firefox|Safari|Edge|Brave|Opera"),
    "carrier": _bank("UPS|FedEx|DHL|USPS|Royal Mail|Canada Post|GLS|DPD"),
    "city": _bank(
        "Portland|Austin|Denver|Chicago|Boston|Seattle|Atlanta|Phoenix|Toronto|Vancouver|"
        "Dublin|Manchester|Lyon|Hamburg|Rotterdam|Oslo|Madrid|Lisbon|Milan|Vienna|Prague|"
        "Krakow|Tallinn|Sydney|Auckland|Singapore|Osaka|Nairobi|Cape Town|Montreal"
    ),
    "weekday": _bank("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"),
    "month": _bank(
        "January|February|March|April|May|June|July|August|September|October|November|December"
    ),
    "count": _bank("two|three|four|five|six|seven|ten|twelve|several"),
    "feeling": _bank(
        "frustrated|confused|worried|disappointed|annoyed|surprised|concerned|puzzled|"
        "unhappy|anxious"
    ),
    "adverb": _bank(
        "again|still|suddenly|repeatedly|yesterday|this morning|last night|twice now|"
        "since the update|every time"
    ),
    "part": _bank(
        "battery|charger|power cable|hinge|screen|button|strap|lid|filter|motor|remote|"
        "adapter|zipper|wheel|handle|speaker grille"
    ),
    "defect": _bank(
        "cracked|scratched|dented|loose|bent|missing|broken|rattling|overheating|flickering|"
        "leaking|peeling"
    ),
    "payment": _bank(
        "Visa card|Mastercard|PayPal account|Amex card|bank transfer|Apple Pay|Google Pay|"
        "gift card|store credit"
    ),
    "error": _bank(
        "error 403|error 500|timeout error|blank page|spinning wheel|invalid token message|"
        "session expired message|unknown error banner|code E1042|code E2210|"
        "sync conflict warning|rate limit warning"
    ),
    "action": _bank(
        "cleared the cache|restarted the device|reinstalled the app|tried another browser|"
        "reset the settings|updated the firmware|logged out and back in|"
        "checked the spam folder|switched networks|unplugged it overnight"
    ),
    "team_ref": _bank("the warehouse|our carrier|the billing team|engineering|our partner"),
    "amount": _bank("$19.99|$24.50|$39.00|$49.99|$64.95|$89.00|$120.00|$149.99|$210.40|$329.00"),
}
# Order numbers and similar are drawn as numbers (full-text search indexes them too).
_NUMERIC_SLOTS = {"order": (1_000_000, 9_999_999), "invoice": (10_000, 99_999)}


class Writer:
    """Fills templates from the word banks with a seeded ``random.Random``."""

    __slots__ = ("_random", "_slots")

    def __init__(self, rng: random.Random) -> None:
        self._random = rng.random
        self._slots = _Slots(self)

    def pick(self, options):
        return options[int(self._random() * len(options))]

    def fill(self, template: str) -> str:
        return template.format_map(self._slots)

    def sentence(self, templates) -> str:
        return self.fill(self.pick(templates))

    def slot(self, key: str) -> str:
        bank = SLOTS.get(key)
        if bank is not None:
            return bank[int(self._random() * len(bank))]
        low, high = _NUMERIC_SLOTS[key]
        return str(low + int(self._random() * (high - low)))


class _Slots(dict):
    __slots__ = ("_writer",)

    def __init__(self, writer: Writer) -> None:
        super().__init__()
        self._writer = writer

    def __missing__(self, key: str) -> str:
        return self._writer.slot(key)


GREETINGS = _bank("Hi,|Hello,|Hi there,|Good morning,|Hello team,|Hey,|Dear support,")
SIGN_OFFS = _bank(
    "Thanks.|Thank you.|Thanks in advance.|Appreciate your help.|Regards.|"
    "Looking forward to your reply.|Please advise.|Cheers."
)
AGENT_OPENERS = _bank(
    "Thanks for reaching out.|Thank you for contacting us.|Sorry for the trouble.|"
    "I understand how {feeling} this must be.|Thanks for your patience.|"
    "Happy to help with this.|Thanks for the details.|I am sorry about the delay."
)
AGENT_CLOSERS = _bank(
    "Let us know if there is anything else.|Reply to this message if you need more help.|"
    "Have a great {weekday}.|We are here if you have any other questions.|"
    "Thanks again for your patience.|Kind regards, the support team."
)
AGENT_ASK = _bank(
    "Could you send a photo of the {part}?|Could you confirm the order number?|"
    "Which {device} and browser are you using?|Could you tell us when this started?|"
    "Could you confirm the email address on the account?|"
    "Could you share a screenshot of the {error}?|"
    "Could you confirm your shipping address?|Have you {action} already?"
)
AGENT_SOLVE = _bank(
    "I have fixed this on our side and it should work now.|"
    "This is resolved, so I am marking the ticket as solved.|"
    "Everything looks correct now on the account.|"
    "The change is done and you should see it within a few minutes.|"
    "I will close this for now, and you can reply any time to reopen it."
)
AGENT_NO_RESPONSE = _bank(
    "We have not heard back, so I am marking this as solved.|"
    "Closing this for now since we did not get a reply; just write back to reopen."
)
CUSTOMER_FOLLOWUPS = _bank(
    "Here is the information you asked for.|The order number is {order}.|"
    "I already {action} and it did not help.|It happened {adverb} on my {device}.|"
    "I attached a photo of the {defect} {part}.|The {error} shows up {adverb}.|"
    "My address is unchanged, still in {city}.|I am still waiting on this.|"
    "Any update on this? I am getting {feeling}.|"
    "That worked for a while but the problem is back.|"
    "I used my {payment} for the purchase.|It was delivered by {carrier} on {weekday}."
)
CUSTOMER_THANKS = _bank(
    "Thanks, that solved it.|Great, all good now.|Perfect, thank you so much.|"
    "Thanks for the quick help.|Works now, appreciate it."
)
CUSTOMER_REOPEN = _bank(
    "Sorry, the problem came back {adverb}.|This is not fixed, the {error} is back.|"
    "I still have not received the {product}.|"
    "The refund has not shown up on my {payment}.|"
    "Actually the replacement is also {defect}.|"
    "I need to reopen this, it stopped working."
)
NOTES = _bank(
    "Checked the account history, nothing unusual.|"
    "Customer is a long-time {plan} subscriber.|Asked {team_ref} for an update.|"
    "Possible duplicate of an earlier ticket from this customer.|"
    "Called the customer, no answer, left a voicemail.|"
    "Verified identity with the last four digits.|"
    "Logs show the {error} around the time reported.|"
    "Waiting on {team_ref} before replying.|Offered a goodwill credit of {amount}.|"
    "Tracking shows the parcel stuck in {city}.|"
    "Customer sounds {feeling}, keep the reply short.|"
    "Same issue reported for the {product} this week."
)
HOLD_NOTES = _bank(
    "Waiting on {team_ref} to confirm.|Parked until {carrier} completes the trace.|"
    "On hold for the engineering fix.|Waiting for the warehouse inspection."
)
ESCALATION_REASONS = _bank(
    "Needs tier 2 investigation|Refund above agent limit|Suspected product defect|"
    "Customer asked for a supervisor|Integration failure|Possible security issue|"
    "Repeated contact without resolution"
)
ACK = (
    "We received your request and will get back to you soon. Your reference is in the subject line."
)

"""The demo's email thread, made through the inbound service as real mail would be: Jordan
writes to the support mailbox with a colleague in Cc, a rep answers, Jordan's out-of-office
answers back (kept on the ticket, not counted) and the colleague replies to all (joins the
ticket's CC list and reopens it). The rep's answer carries a checklist and the colleague's
mail a client log, so the demo shows attachments both ways (fixed bytes: the same every
run). The support mailbox is the first team's, with no IMAP server: the embedded demo feeds
mail with ``manage.py ingest_email``."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from csops import permissions
from staffing.models import Team
from tickets.mail.inbound import services as inbound
from tickets.mail.inbound.models import InboundMessage, InboundSource, Mailbox
from tickets.mail.models import MessageKind, OutboundMessage
from tickets.models import Status
from tickets.services import tickets

FIRST_ID = "<vpn-drops.jordan@example.com>"
CC_ID = "<vpn-drops.sam@example.com>"
OOF_ID = "<oof.jordan@example.com>"


CHECKLIST = (
    "vpn-checklist.txt",
    b"VPN checklist\n1. Update the client to 5.2.\n2. Turn off Wi-Fi power saving.\n"
    b"3. Send us the client log (Help > Export log) if it still drops.\n",
)
CLIENT_LOG = (
    "vpn-client-log.txt",
    b"09:00:02 connected to gw-2\n09:59:58 keepalive timeout\n10:00:01 disconnected\n"
    b"10:00:09 connected to gw-2\n",
)


def _mail(
    address: str,
    sender: str,
    subject: str,
    message_id: str,
    body: str,
    files: tuple[tuple[str, bytes], ...] = (),
    **headers,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = address
    mail["Subject"] = subject
    mail["Message-ID"] = message_id
    mail["Date"] = format_datetime(timezone.now())
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    for filename, content in files:
        mail.add_attachment(content, maintype="text", subtype="plain", filename=filename)
    return mail.as_bytes()


def seed_mail_thread(reps: list[User]) -> int:
    if InboundMessage.objects.filter(message_id=FIRST_ID, ticket__isnull=False).exists():
        return 0
    InboundMessage.objects.filter(message_id__in=[FIRST_ID, CC_ID, OOF_ID]).delete()
    team = Team.objects.order_by("pk").first()
    if team is None:
        return 0
    address = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].strip("> ") or "support@localhost"
    mailbox, _ = Mailbox.objects.get_or_create(
        address=address, defaults={"team": team, "from_name": f"{team.name} Support"}
    )
    first = inbound.ingest(
        _mail(
            address,
            "Jordan Mail <jordan.mail@example.com>",
            "VPN drops every hour",
            FIRST_ID,
            "Hello,\n\nsince Monday the VPN disconnects every hour on the hour.\n\nJordan",
            Cc="Sam Colleague <sam.colleague@example.com>",
        ),
        mailbox=mailbox,
        source=InboundSource.PIPE,
    )
    if first.ticket_id is None:
        return 1
    rep = next((r for r in reps if permissions.can_work_team(r, first.ticket.team_id)), None)
    if rep is None:
        return 1
    tickets.reply(
        first.ticket_id,
        by=rep,
        body="Thanks Jordan. Does it also drop when you are on the office network? "
        "The checklist attached may already fix it.",
        new_status=Status.PENDING,
        attachments=[CHECKLIST],
    )
    ours = OutboundMessage.objects.filter(ticket=first.ticket_id, kind=MessageKind.REPLY).first()
    our_id = ours.message_id if ours else FIRST_ID
    subject = f"Re: {ours.subject if ours else 'VPN drops every hour'}"
    inbound.ingest(
        _mail(
            address,
            "Jordan Mail <jordan.mail@example.com>",
            f"Automatic reply: {subject}",
            OOF_ID,
            "I am out of the office until Thursday with limited access to email.",
            In_Reply_To=our_id,
            Auto_Submitted="auto-replied",
        ),
        source=InboundSource.PIPE,
    )
    inbound.ingest(
        _mail(
            f"Jordan Mail <jordan.mail@example.com>, {address}",
            "Sam Colleague <sam.colleague@example.com>",
            subject,
            CC_ID,
            "Jordan is away this week: yes, it drops in the office too, for me as well.\n\n"
            "> Thanks Jordan. Does it also drop when you are on the office network?",
            (CLIENT_LOG,),
            In_Reply_To=our_id,
            References=f"{FIRST_ID} {our_id}",
        ),
        source=InboundSource.PIPE,
    )
    return 3

"""Delivering the outbox over SMTP (``planner send-mail``, for cron or a systemd timer): each notice at most once,
retried with backoff while the server cannot take it.

At most once: a row is claimed ('sending', committed) before it is handed to the server and marked 'sent' after the
server took it. A sender killed between the two leaves the row claimed; the next run does not send it again but,
once the claim is older than ``LEASE_SECONDS``, marks it 'unsure' for the administrator's outbox page; so does a
connection that breaks while the message itself is being handed over. A server that answers 4xx for a message gets
it again after ``BACKOFF`` (1 min, 5 min, 30 min, 2 h, 6 h); after the last, or on a 5xx answer, the row is
'failed'. A server that cannot be reached, or refuses our sign-in, ends the run before any row is claimed: every
row waits for the next run, its tries uncounted.
"""
from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Callable

from sqlite_utils import Database

from ..store import outbox

BACKOFF = (60, 300, 1800, 7200, 21600)     # seconds before each further try
LEASE_SECONDS = 600                         # a claim older than this was left by a sender that stopped


@dataclass(frozen=True)
class Smtp:
    """Where mail goes: the instance config's SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS and
    MAIL_FROM."""
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "planner@localhost"
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config) -> "Smtp | None":
        """None when SMTP_HOST is not set: nothing is sent, and the outbox shows what would have been."""
        if not config.get("SMTP_HOST"):
            return None
        return cls(host=config["SMTP_HOST"], port=int(config.get("SMTP_PORT") or 25),
                   user=config.get("SMTP_USER") or None, password=config.get("SMTP_PASSWORD") or None,
                   starttls=bool(config.get("SMTP_STARTTLS")), sender=config.get("MAIL_FROM") or cls.sender)


@dataclass(frozen=True)
class Letter:
    """One notice as it goes out."""
    to: str
    subject: str
    body: str
    language: str


@dataclass
class Tally:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0
    unsure: int = 0
    unreachable: str | None = None      # why the server could not be used this run (every notice waits)

    def text(self) -> str:
        text = (f"sent {self.sent}, to retry {self.retrying}, failed {self.failed}, dropped {self.dropped}, "
                f"unsure {self.unsure}")
        return text + (f"; the server could not be used: {self.unreachable}" if self.unreachable else "")


class Unreachable(Exception):
    """The server could not be reached or would not let us in: nothing was claimed, every row waits."""


class MaybeSent(Exception):
    """The connection broke while the message itself was being handed over: the server may have it."""


def send_outbox(db: Database, smtp: Smtp, letter_of: Callable[[dict], Letter | None],
                now: Callable[[], float] = time.time, say: Callable[[str], None] = lambda _text: None) -> Tally:
    """Send every due row of the outbox: ``letter_of(row)`` words it (None: the person no longer wants it or is
    gone, and the row is dropped). A row is claimed only over an open, signed-in connection, so a server that is
    away or refuses our credentials leaves every row waiting, untouched. ``say`` hears a line per row."""
    tally = Tally(unsure=outbox.give_up_unsure(db, now() - LEASE_SECONDS))
    connection: smtplib.SMTP | None = None
    try:
        for due in outbox.due(db, now()):
            if connection is None:
                connection = _connect(smtp)
            row = outbox.claim(db, due["id"], now())
            if row is None:
                continue                    # another sender took it, or it changed
            letter = letter_of(row)         # worded from the claimed row: items added meanwhile are in it
            if letter is None:
                outbox.mark_dropped(db, row["id"], "the person turned these notices off or has left")
                tally.dropped += 1
                continue
            try:
                _deliver(connection, _message(row, letter, smtp.sender), smtp.sender, letter.to)
            except MaybeSent as exc:
                outbox.mark_unsure(db, row["id"], str(exc))
                tally.unsure += 1
                connection = _drop(connection)
                say(f"notice {row['id']} ({row['kind']}): the connection broke while it was handed over; not "
                    "sent again")
                continue
            except smtplib.SMTPResponseException as exc:
                error, temporary = f"{exc.smtp_code} {_text(exc.smtp_error)}", exc.smtp_code < 500
            except (OSError, smtplib.SMTPException) as exc:     # gone before the message: nothing was taken
                error, temporary = f"{type(exc).__name__}: {exc}", True
            else:
                outbox.mark_sent(db, row["id"], now())
                tally.sent += 1
                say(f"sent notice {row['id']} ({row['kind']}) to user {row['user']}")
                continue
            connection = _drop(connection)
            _refused(db, row, error, temporary, now(), tally)
            say(f"notice {row['id']} ({row['kind']}) not sent: {error}")
    except Unreachable as exc:
        say(f"the mail server cannot be used now ({exc}); every notice waits for the next run")
        tally.unreachable = str(exc)
    finally:
        _drop(connection)
    return tally


def _deliver(connection: smtplib.SMTP, message: EmailMessage, sender: str, to: str) -> None:
    """MAIL, RCPT and DATA one by one, so that a break during DATA (the server may have the message) is told
    apart from one before it (it has nothing)."""
    envelope_from = parseaddr(sender)[1] or sender
    code, answer = connection.mail(envelope_from)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, answer, envelope_from)
    code, answer = connection.rcpt(to)
    if code not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({to: (code, answer)})
    try:
        code, answer = connection.data(message.as_bytes())
    except smtplib.SMTPDataError:
        raise                               # the server answered no: it did not take it
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise MaybeSent(f"{type(exc).__name__}: {exc}") from None
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)


def _refused(db: Database, row: dict, error: str, temporary: bool, at: float, tally: Tally) -> None:
    if temporary and row["attempts"] < len(BACKOFF):
        outbox.retry_later(db, row["id"], error, at + BACKOFF[row["attempts"]])
        tally.retrying += 1
    else:
        outbox.mark_failed(db, row["id"], error)
        tally.failed += 1


def _connect(smtp: Smtp) -> smtplib.SMTP:
    """An open connection, over TLS when asked (the server's certificate checked) and signed in; Unreachable
    otherwise."""
    connection = None
    try:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        connection.ehlo_or_helo_if_needed()
        if smtp.starttls:
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo_or_helo_if_needed()     # a new hello over TLS
        if smtp.user:
            connection.login(smtp.user, smtp.password or "")
        return connection
    except (OSError, smtplib.SMTPException) as exc:
        _drop(connection)
        raise Unreachable(f"{type(exc).__name__}: {exc}") from None


def _drop(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return None


def _message(row: dict, letter: Letter, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = letter.to
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(datetime.fromtimestamp(row["created_at"], timezone.utc))
    # the same id whenever this row is written: a server or a reader can tell a copy
    message["Message-ID"] = f"<notice-{row['id']}-{int(row['created_at'])}@planner>"
    message["Auto-Submitted"] = "auto-generated"     # RFC 3834: no out-of-office replies to a notice
    message.set_content(letter.body)
    message["Content-Language"] = letter.language     # after the content, which sets the Content-* headers anew
    return message


def _text(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


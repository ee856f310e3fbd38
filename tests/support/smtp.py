"""A real SMTP server for the tests (aiosmtpd on a free port of 127.0.0.1) that keeps every
message it accepts, with the settings that send Django's email to it.

``smtp_server`` starts one for a test; ``stop()`` and ``start()`` take it down and bring it
back on the same port (a mail server that is out, then back); ``delay`` makes it wait before
accepting a message (a slow mail server)."""

import asyncio
import socket
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings


@dataclass
class Received:
    """A message as it arrived: who it was for and the parsed message."""

    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return body.get_content()

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


@dataclass
class Collector:
    """aiosmtpd's handler: accepts every message, after ``delay`` seconds."""

    received: list[Received] = field(default_factory=list)
    delay: float = 0.0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.handler = Collector()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def to(self, address: str) -> list[Received]:
        return [message for message in self.received if address in message.recipients]

    @property
    def delay(self) -> float:
        return self.handler.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self.handler.delay = seconds

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        """The messages, once ``count`` have arrived (or the timeout has passed)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def mailers(self) -> dict[str, dict[str, object]]:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }


@pytest.fixture
def smtp_server():
    """A running SMTP server, and Django's email sent to it."""
    server = SmtpServer()
    server.start()
    try:
        with override_settings(MAILERS=server.mailers()):
            yield server
    finally:
        server.stop()

#!/usr/bin/env python3
"""A real SMTP server for the mail tests (aiosmtpd, from PyPI).

    smtp_sink.py PORT MAILDIR [--refuse-first N]

Each message accepted is written as received to MAILDIR/<n>.eml and, decoded (RFC 2047 subject,
transfer-encoded body) for the tests to read, to MAILDIR/<n>.json.
With --refuse-first N, the first N deliveries are answered "451 try again later", as a
server under load or in maintenance does. Prints "ready" once it listens.
"""
import argparse
import email
import email.policy
import itertools
import json
import pathlib
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder: pathlib.Path, refuse_first: int):
        self.folder = folder
        self.refuse_left = refuse_first
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_left > 0:
            self.refuse_left -= 1
            return "451 4.3.0 Try again later"
        n = next(self.counter)
        raw = envelope.original_content or envelope.content
        (self.folder / f"{n:05}.eml").write_bytes(raw)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        decoded = {
            "envelope_from": envelope.mail_from,
            "envelope_to": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"] or ""),
            "body": body.get_content() if body is not None else "",
        }
        tmp = self.folder / f"{n:05}.part"
        tmp.write_text(json.dumps(decoded))
        tmp.rename(self.folder / f"{n:05}.json")
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("maildir", type=pathlib.Path)
    parser.add_argument("--refuse-first", type=int, default=0)
    args = parser.parse_args()
    args.maildir.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(args.maildir, args.refuse_first), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # until the test closes our stdin or kills us
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

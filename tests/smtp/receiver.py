"""An SMTP server for Beacon's e-mail tests, on 127.0.0.1 (aiosmtpd).

    python3 receiver.py --mode plain|starttls|tls --out DIR
                        [--cert PEM --key PEM] [--user NAME --password PASS]

Prints "PORT <n>" once it listens on an ephemeral port. Each message it
accepts becomes DIR/<n>.json: the envelope, whether the session was
encrypted, the user it authenticated as, the headers and text parts as
Python's email parser reads them, and the raw message. It exits when its
standard input closes (the test that started it has ended).

Modes: plain offers no STARTTLS; starttls offers it and refuses mail and
AUTH before it; tls is TLS from the first byte. With --user, AUTH is
required and only that user and password are accepted.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Saver:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "body": part.get_content(),
            })
        ssl_object = server.transport.get_extra_info("ssl_object")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": ssl_object.version() if ssl_object else None,
            "auth_user": session.auth_data,
            "content_type": msg.get_content_type(),
            "headers": [[name, str(value)] for name, value in msg.items()],
            "parts": parts,
            "raw": raw.decode("utf-8", "replace"),
        }
        self.count += 1
        path = os.path.join(self.out, f"{self.count:04}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.replace(path + ".tmp", path)
        return "250 OK"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        # handled=False: aiosmtpd itself answers 535 on a failure.
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)
    return check


async def main(args):
    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    auth = {}
    if args.user:
        auth = {
            "authenticator": authenticator(args.user, args.password),
            "auth_required": True,
            # Implicit TLS is encrypted from the start, but aiosmtpd only
            # counts STARTTLS as encryption; plain mode tests AUTH in clear.
            "auth_require_tls": args.mode == "starttls",
        }
    saver = Saver(args.out)

    def factory():
        return SMTP(
            saver,
            hostname="localhost",
            tls_context=context if args.mode == "starttls" else None,
            require_starttls=args.mode == "starttls",
            **auth,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        factory, "127.0.0.1", 0, ssl=context if args.mode == "tls" else None
    )
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    done = asyncio.Event()

    def watch_stdin():
        sys.stdin.read()
        loop.call_soon_threadsafe(done.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    await done.wait()
    server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["plain", "starttls", "tls"], required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    asyncio.run(main(parser.parse_args()))

"""A real SMTP server for the alert tests: aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1 with a port the kernel
picks. With --cert/--key it offers STARTTLS and requires it before MAIL and AUTH; with --user/--password it requires
AUTH (PLAIN or LOGIN). Each accepted message is written to --out as NNNN.json: envelope, whether the session was
encrypted and authenticated, and the message text. --implicit-tls: TLS from the first byte (smtps://, port 465 style)
instead of STARTTLS. --fail-first N answers the first N messages with 451 (a transient
failure, RFC 5321), so the client's retries are exercised. Prints "listening on smtp://127.0.0.1:PORT" (smtps:// with --implicit-tls) when ready."""
import argparse
import asyncio
import json
import os
import ssl

from aiosmtpd.smtp import SMTP, AuthResult


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--implicit-tls", action="store_true")
    a = p.parse_args()

    tls = None
    if a.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.cert, a.key)

    class Handler:
        def __init__(self):
            self.count = 0
            self.refused = 0

        async def handle_DATA(self, server, session, envelope):
            if self.refused < a.fail_first:
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.count += 1
            record = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "tls": session.ssl is not None or a.implicit_tls,
                "authenticated": bool(session.authenticated),
                "login": session.auth_data.decode() if session.auth_data else None,
                "data": envelope.original_content.decode("utf-8", "replace"),
            }
            path = os.path.join(a.out, "%04d.json" % self.count)
            with open(path + ".tmp", "w") as f:
                json.dump(record, f)
            os.rename(path + ".tmp", path)
            return "250 2.0.0 Message accepted"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == a.user and auth_data.password.decode() == a.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)

    handler = Handler()

    starttls = tls if not a.implicit_tls else None  # with implicit TLS the whole connection is already encrypted

    def factory():
        return SMTP(
            handler,
            hostname="edgeml-test-smtp",
            tls_context=starttls,
            require_starttls=starttls is not None,
            auth_required=a.user is not None,
            auth_require_tls=starttls is not None,
            authenticator=authenticator if a.user else None,
        )

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(factory, host="127.0.0.1", port=0, ssl=tls if a.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    print("listening on %s://127.0.0.1:%d" % ("smtps" if a.implicit_tls else "smtp", port), flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()

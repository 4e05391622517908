"""A real SMTP server for the alert tests: aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1 with a port the kernel
picks. With --cert/--key it offers STARTTLS and requires it before MAIL and AUTH; with --user/--password it requires
AUTH (PLAIN or LOGIN). Each accepted message is written to --out as NNNN.json: envelope, whether the session was
encrypted and authenticated, and the message text. --fail-first N answers the first N messages with 451 (a transient
failure, RFC 5321), so the client's retries are exercised. Prints "listening on smtp://127.0.0.1:PORT" when ready."""
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
                "tls": session.ssl is not None,
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

    def factory():
        return SMTP(
            handler,
            hostname="edgeml-test-smtp",
            tls_context=tls,
            require_starttls=tls is not None,
            auth_required=a.user is not None,
            auth_require_tls=tls is not None,
            authenticator=authenticator if a.user else None,
        )

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0))
    port = server.sockets[0].getsockname()[1]
    print("listening on smtp://127.0.0.1:%d" % port, flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()

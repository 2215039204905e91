#!/usr/bin/python3
"""An SMTP sink for the tests (aiosmtpd, Debian python3-aiosmtpd).

Listens on 127.0.0.1 (port 0 unless --port) and prints "PORT <n>" first.
Each accepted message is written to --dir as NNNNN.eml (the bytes as
received) with NNNNN.json beside it ({"mail_from": ..., "rcpt_tos": [...]}),
renamed into place so a reader never sees half a file.

  --reject ADDR_SUBSTRING   RCPT TO containing it gets 550 5.1.1
  --tempfail N              the first N DATA commands get 451 4.3.0
"""
import argparse
import asyncio
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, outdir, reject, tempfail):
        self.outdir = outdir
        self.reject = reject
        self.tempfail = tempfail
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject in address:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail > 0:
            self.tempfail -= 1
            return "451 4.3.0 try again later"
        self.count += 1
        base = os.path.join(self.outdir, "%05d" % self.count)
        with open(base + ".json.tmp", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".json.tmp", base + ".json")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 accepted"


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--reject", default="")
    ap.add_argument("--tempfail", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Handler(args.dir, args.reject, args.tempfail)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", data_size_limit=30 * 1024 * 1024), "127.0.0.1", args.port)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)

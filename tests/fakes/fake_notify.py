#!/usr/bin/env python3
"""A fake GOV.UK Notify API for tests (python3 standard library only).

Binds 127.0.0.1 on a free port (or --port) and prints "PORT <n>" as its first
line on stdout, then nothing more there (diagnostics go to stderr with
--verbose).

It behaves like Notify where our client can tell:
  * Authorization: Bearer <JWT>, HS256 signed with the secret of --api-key
    (`{name}-{service uuid}-{secret uuid}`), iss = the service id, iat within
    30 s of now; anything else is 403 AuthError.
  * POST /v2/notifications/sms   {phone_number, template_id, personalisation?,
                                  reference?, sms_sender_id?}
    POST /v2/notifications/email {email_address, template_id, personalisation?,
                                  reference?, email_reply_to_id?}
    A schema problem is 400 ValidationError, an unknown template or a missing
    placeholder 400 BadRequestError (as Notify does); success is 201 with
    {id, reference, content, uri, template{id, version, uri}}.
  * GET /v2/notifications/{id}: the notification with status "delivered", or
    "permanent-failure" for 07700900002 and "temporary-failure" for
    07700900003 (Notify's own test numbers); 404 NoResultFound if unknown.
  Errors are {"errors":[{"error": TYPE, "message": TEXT}], "status_code": N}.

Templates: --template ID (repeatable) makes only the listed ids known;
--template ID=name,case_subject also requires those placeholders. With no
--template every UUID is accepted and placeholders are not checked.

Test controls (no auth):
  POST /_fake/fail-next  {"status": 429|500|…, "count": N}  the next N sends fail so
  POST /_fake/delay-next {"seconds": S, "count": N}         the next N sends answer late
  GET  /_fake/sent       every accepted notification, oldest first:
                         [{id, type, phone_number | email_address, template_id,
                           personalisation, reference}]
  GET  /_fake/callbacks  the delivery callbacks made: [{id, status, attempts, http_status}]
  POST /_fake/callback   {"url": U, "token": T}: where delivery callbacks go from now on
  POST /_fake/reset      forgets notifications, callbacks and pending failures

--callback-url URL --callback-token T: after each accepted send, POST Notify's
delivery-status callback to URL with "Authorization: Bearer T", from a
background thread, retrying up to 4 times.
"""

import argparse
import base64
import hashlib
import hmac
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAX_BODY = 1024 * 1024
CLOCK_SKEW = 30

ERROR_TYPES = {
    400: "BadRequestError",
    403: "AuthError",
    404: "NoResultFound",
    429: "RateLimitError",
    500: "Exception",
}
ERROR_MESSAGES = {
    429: "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    500: "Internal server error",
}


def now_text():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def b64url_decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def normalise_phone(number):
    digits = re.sub(r"[\s()+\-]", "", number)
    if not digits.isdigit():
        return None
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    if digits.startswith("0"):
        return digits if len(digits) == 11 and digits.startswith("07") else None
    return digits if 8 <= len(digits) <= 15 else None


class Failure(Exception):
    def __init__(self, status, error_type, message):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message


class State:
    def __init__(self, args):
        name_and_ids = args.api_key
        if len(name_and_ids) < 73 or name_and_ids[-37] != "-":
            sys.exit("fake_notify: malformed --api-key")
        self.secret = name_and_ids[-36:]
        self.service_id = name_and_ids[-73:-37]
        if not UUID_RE.match(self.secret) or not UUID_RE.match(self.service_id):
            sys.exit("fake_notify: malformed --api-key")
        self.templates = None  # None: every template id accepted
        for spec in args.template or []:
            template_id, _, placeholders = spec.partition("=")
            if not UUID_RE.match(template_id):
                sys.exit("fake_notify: --template wants a UUID, got " + template_id)
            self.templates = self.templates or {}
            self.templates[template_id.lower()] = [p for p in placeholders.split(",") if p]
        self.callback_url = args.callback_url
        self.callback_token = args.callback_token
        self.lock = threading.Lock()
        self.notifications = []  # accepted, in order
        self.by_id = {}
        self.callbacks = []
        self.fail_next = []  # status codes, one per coming send
        self.delay_next = []  # seconds, one per coming send


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-notify/1"
    state = None  # set in main
    verbose = False

    # ---- plumbing -----------------------------------------------------------

    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("fake_notify: " + (fmt % args) + "\n")

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def reply_error(self, failure):
        self.reply(failure.status, {
            "errors": [{"error": failure.error_type, "message": failure.message}],
            "status_code": failure.status,
        })

    def read_body(self):
        """Reads the whole body first, so an early error leaves no bytes behind."""
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            raise Failure(411, "BadRequestError", "Content-Length required")
        length = int(length)
        if length > MAX_BODY:
            self.close_connection = True
            raise Failure(413, "BadRequestError", "Request too large")
        self.raw_body = self.rfile.read(length)

    def read_json(self):
        try:
            return json.loads(self.raw_body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Failure(400, "BadRequestError", "Invalid JSON supplied in POST data")

    def check_auth(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Failure(403, "AuthError", "Unauthorized: authentication token must be provided")
        token = header[len("Bearer "):]
        parts = token.split(".")
        if len(parts) != 3:
            raise Failure(403, "AuthError", "Invalid token: not a JWT")
        try:
            head = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            signature = b64url_decode(parts[2])
        except (ValueError, UnicodeDecodeError):
            raise Failure(403, "AuthError", "Invalid token: not a JWT")
        if not isinstance(head, dict) or head.get("alg") != "HS256" or head.get("typ") != "JWT":
            raise Failure(403, "AuthError", "Invalid token: algorithm used is not HS256")
        if not isinstance(claims, dict) or claims.get("iss") != self.state.service_id:
            raise Failure(403, "AuthError", "Invalid token: service not found")
        expected = hmac.new(self.state.secret.encode(), (parts[0] + "." + parts[1]).encode(),
                            hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature):
            raise Failure(403, "AuthError", "Invalid token: signature, api token not found")
        iat = claims.get("iat")
        if not isinstance(iat, int) or isinstance(iat, bool):
            raise Failure(403, "AuthError", "Invalid token: iat field not provided")
        if abs(time.time() - iat) > CLOCK_SKEW:
            raise Failure(403, "AuthError",
                          "Error: Your system clock must be accurate to within 30 seconds")

    # ---- routes -------------------------------------------------------------

    def do_GET(self):
        try:
            if self.path == "/_fake/sent":
                with self.state.lock:
                    self.reply(200, [n["sent"] for n in self.state.notifications])
                return
            if self.path == "/_fake/callbacks":
                with self.state.lock:
                    self.reply(200, list(self.state.callbacks))
                return
            match = re.fullmatch(r"/v2/notifications/([^/?]+)", self.path)
            if match is None:
                raise Failure(404, "NoResultFound", "Not found")
            self.check_auth()
            notification_id = match.group(1)
            if not UUID_RE.match(notification_id):
                raise Failure(400, "ValidationError", "notification_id is not a valid UUID")
            with self.state.lock:
                notification = self.state.by_id.get(notification_id.lower())
            if notification is None:
                raise Failure(404, "NoResultFound", "No result found")
            self.reply(200, notification["view"])
        except Failure as failure:
            self.reply_error(failure)

    def do_POST(self):
        try:
            self.read_body()
            if self.path == "/_fake/fail-next":
                body = self.read_json()
                status, count = body.get("status"), body.get("count", 1)
                if not isinstance(status, int) or not 400 <= status <= 599 or not isinstance(count, int):
                    raise Failure(400, "ValidationError", "want {status: 4xx|5xx, count: N}")
                with self.state.lock:
                    self.state.fail_next.extend([status] * count)
                self.reply(200, {"pending": count})
                return
            if self.path == "/_fake/delay-next":
                body = self.read_json()
                seconds, count = body.get("seconds"), body.get("count", 1)
                if not isinstance(seconds, (int, float)) or not isinstance(count, int):
                    raise Failure(400, "ValidationError", "want {seconds: S, count: N}")
                with self.state.lock:
                    self.state.delay_next.extend([seconds] * count)
                self.reply(200, {"pending": count})
                return
            if self.path == "/_fake/callback":
                body = self.read_json()
                url, token = body.get("url"), body.get("token")
                if not isinstance(url, str) or not isinstance(token, str):
                    raise Failure(400, "ValidationError", "want {url: URL, token: T}")
                with self.state.lock:
                    self.state.callback_url = url
                    self.state.callback_token = token
                self.reply(200, {})
                return
            if self.path == "/_fake/reset":
                with self.state.lock:
                    self.state.notifications.clear()
                    self.state.by_id.clear()
                    self.state.callbacks.clear()
                    self.state.fail_next.clear()
                    self.state.delay_next.clear()
                self.reply(200, {})
                return
            if self.path == "/v2/notifications/sms":
                self.send_notification("sms")
                return
            if self.path == "/v2/notifications/email":
                self.send_notification("email")
                return
            raise Failure(404, "NoResultFound", "Not found")
        except Failure as failure:
            self.reply_error(failure)

    def send_notification(self, kind):
        self.check_auth()
        with self.state.lock:
            delay = self.state.delay_next.pop(0) if self.state.delay_next else 0
            fail = self.state.fail_next.pop(0) if self.state.fail_next else None
        if delay:
            time.sleep(delay)
        if fail is not None:
            raise Failure(fail, ERROR_TYPES.get(fail, "Exception"),
                          ERROR_MESSAGES.get(fail, "Failure requested by the test"))
        body = self.read_json()
        recipient_field = "phone_number" if kind == "sms" else "email_address"
        optional = {"personalisation", "reference",
                    "sms_sender_id" if kind == "sms" else "email_reply_to_id"}
        if not isinstance(body, dict):
            raise Failure(400, "ValidationError", "Request body must be a JSON object")
        for key in body:
            if key not in optional | {recipient_field, "template_id"}:
                raise Failure(400, "ValidationError",
                              "Additional properties are not allowed (%s was unexpected)" % key)
        for key in (recipient_field, "template_id"):
            if key not in body:
                raise Failure(400, "ValidationError", "%s is a required property" % key)
            if not isinstance(body[key], str):
                raise Failure(400, "ValidationError", "%s is not of type string" % key)
        recipient = body[recipient_field]
        if kind == "sms":
            if normalise_phone(recipient) is None:
                raise Failure(400, "ValidationError", "phone_number Not a UK mobile number")
        elif not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", recipient):
            raise Failure(400, "ValidationError", "email_address Not a valid email address")
        template_id = body["template_id"]
        if not UUID_RE.match(template_id):
            raise Failure(400, "ValidationError", "template_id is not a valid UUID")
        personalisation = body.get("personalisation", {})
        if personalisation is None:
            personalisation = {}
        if not isinstance(personalisation, dict):
            raise Failure(400, "ValidationError", "personalisation is not of type object")
        for key, value in personalisation.items():
            if not isinstance(value, (str, int, float, list)) or isinstance(value, bool):
                raise Failure(400, "ValidationError",
                              "personalisation %s is not a string, number or list" % key)
        reference = body.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise Failure(400, "ValidationError", "reference is not of type string")
        for key in ("sms_sender_id", "email_reply_to_id"):
            if key in body and not (isinstance(body[key], str) and UUID_RE.match(body[key])):
                raise Failure(400, "ValidationError", "%s is not a valid UUID" % key)
        templates = self.state.templates
        placeholders = []
        if templates is not None:
            if template_id.lower() not in templates:
                raise Failure(400, "BadRequestError", "Template not found")
            placeholders = templates[template_id.lower()]
            missing = [p for p in placeholders if p not in personalisation]
            if missing:
                raise Failure(400, "BadRequestError",
                              "Missing personalisation: " + ", ".join(missing))
        self.accept(kind, recipient_field, recipient, template_id, personalisation, reference,
                    placeholders)

    def accept(self, kind, recipient_field, recipient, template_id, personalisation, reference,
               placeholders):
        notification_id = str(uuid.uuid4())
        host = "http://%s:%d" % self.server.server_address[:2]
        template_uri = "%s/services/%s/templates/%s" % (host, self.state.service_id, template_id)
        names = placeholders or sorted(personalisation)
        text = " ".join("%s: %s" % (n, personalisation.get(n, "")) for n in names) or "(no text)"
        content = {"body": text}
        if kind == "sms":
            content["from_number"] = "COUNCIL"
        else:
            content["subject"] = "Message"
            content["from_email"] = "council@notifications.service.gov.uk"
        created = now_text()
        if kind == "sms":
            status = {"07700900002": "permanent-failure",
                      "07700900003": "temporary-failure"}.get(normalise_phone(recipient), "delivered")
        else:
            status = {"perm-fail@simulator.notify": "permanent-failure",
                      "temp-fail@simulator.notify": "temporary-failure"}.get(recipient, "delivered")
        template = {"id": template_id, "version": 1, "uri": template_uri}
        view = {
            "id": notification_id, "reference": reference, "type": kind, "status": status,
            "template": template, "body": text, "subject": content.get("subject"),
            "email_address": recipient if kind == "email" else None,
            "phone_number": recipient if kind == "sms" else None,
            "line_1": None, "line_2": None, "line_3": None, "line_4": None, "line_5": None,
            "line_6": None, "postcode": None, "postage": None,
            "created_at": created, "sent_at": created, "completed_at": created,
            "created_by_name": None,
        }
        sent = {"id": notification_id, "type": kind, recipient_field: recipient,
                "template_id": template_id, "personalisation": personalisation,
                "reference": reference}
        with self.state.lock:
            record = {"view": view, "sent": sent}
            self.state.notifications.append(record)
            self.state.by_id[notification_id] = record
        self.reply(201, {
            "id": notification_id, "reference": reference, "content": content,
            "uri": "%s/v2/notifications/%s" % (host, notification_id), "template": template,
        })
        if self.state.callback_url:
            callback = {
                "id": notification_id, "reference": reference, "to": recipient, "status": status,
                "created_at": created, "completed_at": now_text(), "sent_at": created,
                "notification_type": kind, "template_id": template_id, "template_version": 1,
            }
            threading.Thread(target=deliver_callback, args=(self.state, callback),
                             daemon=True).start()


def deliver_callback(state, callback):
    record = {"id": callback["id"], "status": callback["status"], "attempts": 0,
              "http_status": None}
    with state.lock:
        state.callbacks.append(record)
    data = json.dumps(callback).encode()
    for attempt in range(4):
        request = urllib.request.Request(state.callback_url, data=data, method="POST", headers={
            "Content-Type": "application/json",
            "Authorization": "Bearer " + (state.callback_token or ""),
        })
        http_status = None
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                http_status = answer.status
        except urllib.error.HTTPError as error:
            http_status = error.code
        except (urllib.error.URLError, OSError):
            http_status = None
        with state.lock:
            record["attempts"] = attempt + 1
            record["http_status"] = http_status
        if http_status is not None and 200 <= http_status < 300:
            return
        time.sleep(0.2 * (2 ** attempt))


def main():
    parser = argparse.ArgumentParser(description="A fake GOV.UK Notify API for tests")
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--template", action="append",
                        help="a known template id, optionally =placeholder1,placeholder2")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--callback-url")
    parser.add_argument("--callback-token")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    Handler.state = State(args)
    Handler.verbose = args.verbose
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

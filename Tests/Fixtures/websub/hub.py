#!/usr/bin/env python3
"""A WebSub hub on 127.0.0.1 for feedwatch's tests (W3C WebSub, sections 5-7), real HTTP both ways.

    hub.py LEASE_SECONDS   prints "port N" on its first line, then serves until killed.

POST /            a subscriber's (un)subscribe request (form-encoded): answered 202, then verified by a GET
                  to the callback with a challenge; a subscription counts only if the callback echoes it.
POST /publish?topic=T[&bad=1]
                  the test publishes: the body is sent to every verified subscriber of T, signed with
                  X-Hub-Signature: sha256=HMAC(secret, body) (bad=1: a wrong signature), retried every
                  0.5 s for 20 s until the callback answers 2xx. Answers 200 with the last status seen.
GET /state        JSON: subscriptions (topic, callback, lease), and the log of events.
"""
import hashlib
import hmac
import json
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LEASE = int(sys.argv[1]) if len(sys.argv) > 1 else 600
lock = threading.Lock()
subscriptions = {}  # (topic, callback) -> {"secret", "lease", "verified_at"}
events = []


def log(kind, **fields):
    with lock:
        events.append(dict(kind=kind, at=time.time(), **fields))


def verify(mode, topic, callback, secret):
    challenge = secrets.token_hex(8)
    query = {"hub.mode": mode, "hub.topic": topic, "hub.challenge": challenge}
    if mode == "subscribe":
        query["hub.lease_seconds"] = str(LEASE)
    sep = "&" if "?" in callback else "?"
    try:
        with urllib.request.urlopen(callback + sep + urllib.parse.urlencode(query), timeout=10) as r:
            ok = 200 <= r.status < 300 and r.read().decode() == challenge
    except (urllib.error.URLError, OSError):
        ok = False
    log("verified" if ok else "refused", mode=mode, topic=topic, callback=callback)
    if not ok:
        return
    with lock:
        if mode == "subscribe":
            subscriptions[(topic, callback)] = {"secret": secret, "lease": LEASE, "verified_at": time.time()}
        else:
            subscriptions.pop((topic, callback), None)


def push(topic, body, bad):
    with lock:
        targets = [(cb, s["secret"]) for (t, cb), s in subscriptions.items() if t == topic]
    last = None
    for callback, secret in targets:
        key = (secret + "x" if bad else secret).encode()
        signature = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
        deadline = time.time() + 20
        while True:
            request = urllib.request.Request(callback, data=body, method="POST", headers={
                "Content-Type": "application/rss+xml; charset=utf-8", "X-Hub-Signature": signature,
                "Link": '<http://%s/>; rel="hub", <%s>; rel="self"' % (HOST, topic)})
            try:
                with urllib.request.urlopen(request, timeout=10) as r:
                    last = r.status
            except urllib.error.HTTPError as e:
                last = e.code
            except (urllib.error.URLError, OSError):
                last = 0
            log("pushed", topic=topic, callback=callback, status=last, bad=bad)
            # A refusal of a bad signature is final; anything else but 2xx is retried, as hubs do.
            if 200 <= last < 300 or last in (403, 404, 410) or time.time() > deadline:
                break
            time.sleep(0.5)
    return last


class Hub(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", kind="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/state":
            with lock:
                state = {"subscriptions": [dict(topic=t, callback=c, **s) for (t, c), s in subscriptions.items()],
                         "events": list(events)}
            self.answer(200, json.dumps(state).encode(), "application/json")
        else:
            self.answer(404)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if url.path == "/publish":
            q = urllib.parse.parse_qs(url.query)
            status = push(q["topic"][0], body, q.get("bad") == ["1"])
            self.answer(200, json.dumps({"status": status}).encode(), "application/json")
            return
        form = urllib.parse.parse_qs(body.decode())
        mode, topic, callback = (form.get(k, [""])[0] for k in ("hub.mode", "hub.topic", "hub.callback"))
        if mode not in ("subscribe", "unsubscribe") or not topic or not callback:
            self.answer(400, b"bad request")
            return
        log("request", mode=mode, topic=topic, callback=callback, lease=form.get("hub.lease_seconds", [""])[0])
        self.answer(202)
        secret = form.get("hub.secret", [""])[0]
        threading.Thread(target=verify, args=(mode, topic, callback, secret), daemon=True).start()


# Started from a thread that blocks SIGTERM (the Swift test process), the mask is inherited: undo it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
HOST = "127.0.0.1:%d" % server.server_address[1]
print("port", server.server_address[1], flush=True)
server.serve_forever()

#!/usr/bin/env python3
"""A webhook receiver for tests/api/webhook.sh, independent of rapport's code.

    webhook_receiver.py PORTFILE LOG SECRET...

Listens on 127.0.0.1 (the port in PORTFILE when it holds one, else a free
port, written there), checks every POST's X-Rapport-Signature with Python's
own hmac module against each SECRET, and appends one JSON line per request
to LOG: {"id", "event", "valid", "path", "data"}.  A valid delivery gets 200,
an invalid one 401.
"""
import hashlib
import hmac
import http.server
import json
import os
import sys

portfile, log, secrets = sys.argv[1], sys.argv[2], [s.encode() for s in sys.argv[3:]]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ts = self.headers.get("X-Rapport-Timestamp", "")
        sig = self.headers.get("X-Rapport-Signature", "")
        valid = any(
            hmac.compare_digest(sig, "sha256=" + hmac.new(s, ts.encode() + b"." + body, hashlib.sha256).hexdigest())
            for s in secrets)
        try:
            doc = json.loads(body)
        except ValueError:
            doc = {}
        with open(log, "a") as f:
            f.write(json.dumps({"id": doc.get("id"), "event": doc.get("event"), "valid": valid,
                                "path": self.path, "data": doc.get("data"),
                                "keys": sorted(doc.keys())}) + "\n")
        self.send_response(200 if valid else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


port = 0
if os.path.exists(portfile) and open(portfile).read().strip():
    port = int(open(portfile).read())
http.server.HTTPServer.allow_reuse_address = True
srv = http.server.HTTPServer(("127.0.0.1", port), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.replace(portfile + ".tmp", portfile)
srv.serve_forever()

#!/usr/bin/env python3
"""Concurrent writes to the same contacts through several rapport servers.

    hammer.py TOKEN SECONDS BASE_URL...

Each server gets four threads.  They log interactions (each with a unique
marker), change tiers and owners, add tags and facts, give and withdraw
consent, and merge the
contacts named "Dup ..." into others, all on a few contacts so that they
collide.
Prints one JSON object: every acknowledged marker and fact, every merge
that succeeded, and how many answers of each status came back.
"""
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request

token, seconds, bases = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
HEAD = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

lock = threading.Lock()
acked_logs, sent_logs, acked_facts, merges, consents = [], [], [], [], []
statuses = {}


def call(base, method, path, body=None):
    req = urllib.request.Request(base + path, method=method, headers=HEAD,
                                 data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, out = r.status, json.load(r)
    except urllib.error.HTTPError as e:
        status, out = e.code, None
    with lock:
        statuses[status] = statuses.get(status, 0) + 1
    return status, out


def contacts(base):
    _, out = call(base, "GET", "/api/v1/contacts?limit=1000")
    return ([c["id"] for c in out["contacts"] if not c["name"].startswith("Dup")],
            [c["id"] for c in out["contacts"] if c["name"].startswith("Dup")])


def worker(base, n, main, dupes, stop):
    rnd = random.Random(n)
    ids = main + dupes
    i = 0
    while time.time() < stop:
        i += 1
        cid = rnd.choice(ids)
        what = rnd.random()
        if what < 0.45:
            marker = "m-%d-%d" % (n, i)
            with lock:
                sent_logs.append(marker)
            at = "2026-%02d-%02dT10:00:00Z" % (rnd.randint(1, 11), rnd.randint(1, 28))
            s, _ = call(base, "POST", "/api/v1/contacts/%d/interactions" % cid,
                        {"summary": marker, "kind": "call", "at": at})
            if s in (200, 201):
                with lock:
                    acked_logs.append(marker)
        elif what < 0.65:
            call(base, "PATCH", "/api/v1/contacts/%d" % cid,
                 {"tier": rnd.choice(["panel", "close", "regular", "distant"]),
                  "owner": rnd.choice(["olga", "ivan", ""])})
        elif what < 0.78:
            call(base, "PATCH", "/api/v1/contacts/%d" % cid, {"tag": ["t%d" % rnd.randint(1, 5)]})
        elif what < 0.86:
            # consent given and withdrawn on the same few answers, racing
            verb = rnd.choice(["grant", "revoke"])
            s, _ = call(base, "POST", "/api/v1/contacts/%d/consent/%s" % (cid, verb),
                        {"channel": "email", "purpose": rnd.choice(["news", "offers"]),
                         "evidence": "hammer %d-%d" % (n, i)})
            if s in (200, 201):
                with lock:
                    consents.append(verb)
        elif what < 0.98:
            body = "f-%d-%d" % (n, i)
            s, out = call(base, "POST", "/api/v1/contacts/%d/facts" % cid, {"text": body})
            if s in (200, 201):
                with lock:
                    acked_facts.append(body)
        else:
            # a duplicate folds into anyone, itself perhaps gone already
            other = rnd.choice(dupes)
            if other != cid:
                s, _ = call(base, "POST", "/api/v1/contacts/%d/merge" % cid, {"other": str(other)})
                if s in (200, 201):
                    with lock:
                        merges.append([cid, other])


main, dupes = contacts(bases[0])
stop = time.time() + seconds
threads = [threading.Thread(target=worker, args=(b, k * len(bases) + j, main, dupes, stop))
           for j, b in enumerate(bases) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
json.dump({"acked": acked_logs, "sent": sent_logs, "facts": acked_facts, "merges": merges,
           "consents": consents,
           "statuses": {str(k): v for k, v in statuses.items()}}, sys.stdout)

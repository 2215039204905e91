#!/usr/bin/env python3
"""Writes a Lua table of valid, varied POST /api/v1/cases bodies built from
the live catalogue, for bench/post_cases.lua. Usage: make_case_bodies.py URL TOKEN"""
import json
import random
import sys
import urllib.request

url, token = sys.argv[1], sys.argv[2]
auth = {"Authorization": "Bearer " + token}


def get(path):
    req = urllib.request.Request(url + path, headers=auth)
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def post(path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={**auth, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


rng = random.Random(157)
services = [s for s in get("/api/v1/services")["items"] if "phone" in s["channels"]]
citizens = []
for i in range(20):
    c = post("/api/v1/citizens", {"given_name": f"Bench{i}", "family_name": "Resident",
                                  "phones": [f"07700 900{500 + i:03d}"]})
    citizens.append(c["id"])


def value(field):
    t = field["datatype"]
    if t == "number":
        return rng.randint(1, 50)
    if t == "datetime":
        return "2026-11-%02dT%02d:00:00Z" % (rng.randint(1, 20), rng.randint(8, 17))
    if t == "singlevaluelist":
        return rng.choice(field["values"])["key"]
    if t == "multivaluelist":
        return [rng.choice(field["values"])["key"]]
    words = ["outside", "number", "near", "the", "corner", "shop", "bus", "stop", "park", "gate"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))


bodies = []
for i in range(500):
    s = rng.choice(services)
    values = {f["code"]: value(f) for f in s["fields"] if f["required"] or rng.random() < 0.5}
    body = {"service_code": s["code"], "channel": "phone", "values": values,
            "citizen_id": rng.choice(citizens),
            "location": {"postcode": "FH1 %d%s" % (rng.randint(1, 9), rng.choice(["AB", "BD", "EF"])),
                         "description": "%d Mill Lane" % rng.randint(1, 200)}}
    bodies.append(json.dumps(body))

print("return {")
for b in bodies:
    print("  [==[" + b + "]==],")
print("}")

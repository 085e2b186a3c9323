#!/usr/bin/env python3
"""Waits for the demo server at BASE, then makes an API key for its
Riverside account as Claimwise's vendor staff would (Victor signs in; Edit
Account makes the key) and prints the key, for the vendor API fuzz
(scripts/api-fuzz.sh). Python's standard library only."""

import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base = sys.argv[1]


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A server function's redirect is its answer, not a page to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(KeepRedirects)
cookies: dict[str, str] = {}


def post(endpoint: str, form: dict) -> object:
    headers = {"origin": base, "content-type": "application/x-www-form-urlencoded"}
    if cookies:
        headers["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    request = urllib.request.Request(
        f"{base}/api/{endpoint}",
        data=urllib.parse.urlencode(form).encode(),
        headers=headers,
        method="POST",
    )
    try:
        reply = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        if not 300 <= error.code < 400:
            sys.exit(f"{endpoint}: {error.code} {error.read().decode()}")
        reply = error
    for header in reply.headers.get_all("set-cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    body = reply.read().decode()
    return json.loads(body) if body.strip() else None


def wait_until_up(seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"the server at {base} did not start within {seconds} s")
            time.sleep(0.5)


wait_until_up()
post("sign_in", {"email": "victor.staff@claimwise.example", "password": "portcullis-demo"})
page = post("linked_accounts", {"search": "Riverside"})
riverside = next(a["id"] for a in page["accounts"] if a["name"].startswith("Riverside"))
print(post("create_api_key", {"customer_id": riverside, "name": "API fuzz"})["key"])

#!/usr/bin/env python3
"""Drives the mock process through the vendor's own curl examples, in the
order of the onboarding guide, with Python's standard library only.

Each request is a curl example read from a captured page (openapi/docs/*.txt):
the guide's five steps, then the reference pages' examples for the other
operations. The script substitutes the base URL, the key and the ids the
previous answers returned, and checks each answer's status and body shape
against the page's documented example for that status.

Usage: .ci/mock-e2e.py [BASE_URL KEY]
Without arguments it starts target/debug/examples/mock_server itself (build
it first: cargo build --example mock_server). Exits 0 when every step gets
its documented answer, 1 naming the first step that does not, 2 when the
captured pages cannot be read.
"""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "openapi", "docs")
VENDOR = "https://api.cryptomate.me"
# A complete 1x1 PNG: what the guide's shortened example stands for.
PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4"
       "nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")


# The ids of the pages' examples, by the guide's name of the parameter.
PAGE_IDS = {"clientId": "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG",
            "productRequestId": "2VvyMx6rNLRB1W9euCyJGe46qyoiVPzh"}


class Failure(Exception):
    pass


def read(name):
    try:
        with open(os.path.join(DOCS, name), encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        print(f"error: cannot read the captured page {name}: {e}", file=sys.stderr)
        sys.exit(2)


def curls(name):
    """Every curl example of a page: (method, url, headers, body or None)."""
    lines = read(name).splitlines()
    found = []
    i = 0
    while i < len(lines):
        m = re.match(r'^curl -X (\w+) "([^"]+)"', lines[i].strip())
        if not m:
            i += 1
            continue
        method, url = m.groups()
        headers, body = {}, None
        i += 1
        while i < len(lines) and lines[i].startswith("  -"):
            line = lines[i].strip()
            h = re.match(r'^-H "([^:]+): ([^"]*)"', line)
            if h:
                headers[h.group(1)] = h.group(2)
                i += 1
            elif line.startswith("-d '"):
                text = [line[4:]]
                while not text[-1].rstrip().endswith("'"):
                    i += 1
                    text.append(lines[i])
                body = json.loads("\n".join(text).rstrip().rstrip("'"))
                i += 1
            else:
                i += 1
        found.append((method, url, headers, body))
    if not found:
        print(f"error: {name} has no curl example", file=sys.stderr)
        sys.exit(2)
    return found


def tabs(name):
    """The page's example tabs after its last curl: {status: body}."""
    text = read(name)
    last = text.rfind("curl -X")
    out = {}
    decoder = json.JSONDecoder()
    for m in re.finditer(r"^(\d{3}) [^\n]+\n", text[last:], re.M):
        start = last + m.end()
        try:
            body, _ = decoder.raw_decode(text[start:])
        except ValueError:
            continue
        out.setdefault(int(m.group(1)), body)
    return out


# Fields of the pages' examples that the guide's requests do not send, so
# their answers lack them (the reference page's example sends a second name).
NOT_SENT = {"second_name"}


def shape(actual, documented, at=""):
    """Every key of the documented example is in the answer, with a value of
    the same JSON type; arrays are compared by their first items. A field the
    guide's request does not send (NOT_SENT) may be absent."""
    if isinstance(documented, dict):
        if not isinstance(actual, dict):
            raise Failure(f"{at or '/'} is not an object: {actual!r:.200}")
        for key, value in documented.items():
            if key not in actual and key in NOT_SENT:
                continue
            if key not in actual:
                raise Failure(f"{at}/{key} is missing from the answer")
            shape(actual[key], value, f"{at}/{key}")
    elif isinstance(documented, list):
        if not isinstance(actual, list):
            raise Failure(f"{at or '/'} is not an array")
        if documented and actual:
            shape(actual[0], documented[0], f"{at}/0")
    elif type(actual) is not type(documented) and not (
        isinstance(actual, (int, float)) and isinstance(documented, (int, float))
    ):
        raise Failure(f"{at}: {type(actual).__name__} where the page shows {type(documented).__name__}")


class Mock:
    def __init__(self, base, key):
        self.base, self.key = base, key

    def send(self, method, url, headers, body):
        url = url.replace(VENDOR, self.base)
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        for name, value in headers.items():
            request.add_header(name, value.replace("$CRYPTOMATE_API_KEY", self.key))
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        return status, (json.loads(raw) if raw else None)


def main():
    if len(sys.argv) == 3:
        base, key, server = sys.argv[1], sys.argv[2], None
    elif len(sys.argv) == 1:
        binary = os.path.join(ROOT, "target", "debug", "examples", "mock_server")
        try:
            # Bounded: the server stops by itself after 120 s.
            server = subprocess.Popen([binary, "120"], stdout=subprocess.PIPE, text=True)
        except OSError as e:
            print(f"error: cannot start {binary} ({e}); run cargo build --example mock_server",
                  file=sys.stderr)
            return 2
        base = server.stdout.readline().strip().removeprefix("listening on ")
        key = server.stdout.readline().strip().removeprefix("X-API-KEY: ")
        if not base.startswith("http://"):
            server.terminate()
            print("error: the mock did not start", file=sys.stderr)
            return 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        run(Mock(base, key))
    except Failure as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        if server:
            server.terminate()
    print("mock-e2e: every step got its documented answer")
    return 0


def run(mock):
    guide = curls("guide-create-client-and-request-product.txt")
    if [c[0] for c in guide] != ["POST", "POST", "PUT", "POST", "POST"]:
        raise Failure(f"the guide's curl examples changed: {[c[0] for c in guide]}")
    create, request_product, update, documentation, submit = guide
    ids = {}

    def step(label, example, status, documented=None, body=None, exact=False):
        method, url, headers, example_body = example
        url = url.replace(VENDOR, mock.base)
        # The guide writes {clientId} and {productRequestId}; the reference
        # pages put their example ids in the URL.
        for placeholder, example_id in PAGE_IDS.items():
            if placeholder in ids:
                url = url.replace("{" + placeholder + "}", ids[placeholder])
                url = url.replace("/" + example_id, "/" + ids[placeholder])
        got, answer = mock.send(method, url, headers, example_body if body is None else body)
        if got != status:
            raise Failure(f"{label}: {method} {url} answered {got}, the page documents {status}: {answer}")
        if documented is not None:
            # The errors page adds an optional trace_id to every error body.
            if isinstance(answer, dict):
                compared = {k: v for k, v in answer.items() if k != "trace_id"}
            else:
                compared = answer
            if exact and compared != documented:
                raise Failure(f"{label}: {answer} is not the page's {documented}")
            shape(answer, documented)
        print(f"ok  {label}: {method} {url.replace(mock.base, '')} -> {got}", flush=True)
        return answer

    pages = {name: tabs(f"{name}.txt") for name in [
        "create-individual-client", "get-individual-client", "list-individual-clients",
        "request-product-enablement", "list-client-products", "update-individual-client",
        "complete-product-documentation", "submit-product-enablement",
        "get-supported-countries", "get-identifications-by-country", "delete-individual-client"]}

    # Step 1: create the client.
    client = step("1 create the client", create, 201, pages["create-individual-client"][201])
    if not re.fullmatch(r"[A-Za-z0-9]{32}", client["id"]):
        raise Failure(f"the id {client['id']!r} is not 32 letters and digits like the vendor's")
    ids["clientId"] = client["id"]
    step("  get it", curls("get-individual-client.txt")[0], 200, pages["get-individual-client"][200])
    step("  list the clients", curls("list-individual-clients.txt")[0], 200, pages["list-individual-clients"][200])

    # Step 2: request the product.
    product = step("2 request the product", request_product, 201, pages["request-product-enablement"][201])
    if product["status"] != "pending_documentation":
        raise Failure(f"the request is {product['status']}, not pending_documentation")
    missing = product["missing_requirements"]
    if [r["id"] for r in missing["data"]] != ["personal_information"] or \
            [r["id"] for r in missing["documents"]] != ["identity_document"]:
        raise Failure(f"missing_requirements is not the guide's example: {missing}")
    ids["productRequestId"] = product["id"]
    step("  request it again", request_product, 409, pages["request-product-enablement"][409], exact=True)
    step("  list the client's products", curls("list-client-products.txt")[0], 200, pages["list-client-products"][200])

    # Step 3: fill in the missing data (a full replacement).
    incomplete = dict(update[3])
    del incomplete["email"]
    refused = step("3 update without a required field", update, 400, {"code": "", "message": ""}, body=incomplete)
    if refused["code"] != "VAL" or "/email" not in refused["message"]:
        raise Failure(f"the 400 does not name /email with code VAL: {refused}")
    step("3 fill in the missing data", update, 200, pages["update-individual-client"][200])

    # Step 4: upload the document; the guide's image is shortened ("..."),
    # so it is rejected with a reason, and the fixed upload is accepted.
    rejected = step("4 upload the guide's shortened image", documentation, 200,
                    pages["complete-product-documentation"][200])
    reasons = [item.get("reason", "") for item in rejected["rejected_items"]]
    if not any("image_front" in r for r in reasons):
        raise Failure(f"the shortened image was not rejected with a reason: {rejected}")
    fixed = json.loads(json.dumps(documentation[3]))
    fixed["document"]["image_front"] = PNG
    accepted = step("4 upload it again, fixed", documentation, 200,
                    pages["complete-product-documentation"][200], body=fixed)
    if accepted["rejected_items"] or accepted["product"]["missing_requirements"] != {"documents": [], "data": []}:
        raise Failure(f"the fixed upload left something missing: {accepted}")

    # Step 5: submit.
    submitted = step("5 submit", submit, 200, pages["submit-product-enablement"][200])
    if submitted["product"]["status"] != "in_kyc":
        raise Failure(f"the request is {submitted['product']['status']}, not in_kyc")
    step("  submit again", submit, 409, pages["submit-product-enablement"][409], exact=True)

    # The lookups, and the end of the client.
    step("  supported countries", curls("get-supported-countries.txt")[0], 200, pages["get-supported-countries"][200])
    step("  identifications in US", curls("get-identifications-by-country.txt")[0], 200,
         pages["get-identifications-by-country"][200], exact=True)
    step("  delete the client", curls("delete-individual-client.txt")[0], 204)
    gone = step("  get it after delete", curls("get-individual-client.txt")[0], 404,
                pages["delete-individual-client"][404])
    if gone["message"] != f"Company client not found with id: {ids['clientId']}":
        raise Failure(f"the 404 is not the vendor's: {gone}")
    method, url, _, _ = create
    no_key = step("  create without a key", (method, url, {"Content-Type": "application/json"}, create[3]), 401)
    if not no_key.get("message"):
        raise Failure(f"the 401 has no message: {no_key}")


if __name__ == "__main__":
    sys.exit(main())

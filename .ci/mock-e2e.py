#!/usr/bin/env python3
"""Drives the mock process with the vendor's own cURL examples, read from the
captured MDX pages (openapi/vendor/) as the project's one grammar reads them
(`cargo xtask pages` prints them as JSON).

Part 1, every page: each cURL example of every API page whose operation the
spec has is sent as the page writes it, with only the host changed (and
$CRYPTOMATE_API_KEY expanded, as the shell the page writes for would). The
answer's status must be a 2xx the page shows (a response example's status, or
one its Response section names; where it shows none, one the spec declares,
decision D-MG4) and its body must validate against the spec's
schema for that status (where the spec declares both 200 and 201 for a
creating operation, decision D5, either counts). Pages whose operation the spec
does not have yet are skipped and counted. The pages run in the navigation's order, but
for creations first and deletions last: a POST page whose success example shows an `id`
runs before the others (so that every later page acts on what the mock created, not on
an item of the page's example that lives under another parent: a wallet of the example
account, after the account was created anew), and deletions run last, the deepest path
first (a wallet before its account, which may refuse to go while it has wallets).
One substitution is made: a page's example ids name resources of the vendor's
sandbox; where a page's success example shows an `id` and the mock answered
with another, later URLs of the pages of the same folder get the mock's id in
place of the page's (other folders' pages keep it: it names the seeded item).

Part 2, the onboarding guide: its five cURL examples in order, with the ids the
previous answers returned in place of its {clientId} and {productRequestId},
and what the guide says happens in between (a repeated request, an update
without a required field, the guide's shortened image rejected then fixed, a
404 after delete, a request without a key).

Usage: .ci/mock-e2e.py [BASE_URL KEY]
Without arguments it starts target/debug/examples/mock_server itself (build
it first: cargo build --example mock_server). Needs jsonschema
(.ci/conformance installs it in its venv, beside schemathesis); reads the spec
through `cargo xtask spec-json`. Exits 0
when every step gets its documented answer, 1 naming the first step that does
not, 2 when the captured pages or the spec cannot be read.
"""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

try:
    import jsonschema
except ImportError as e:
    print(f"error: {e}: run .ci/mock-e2e.py with jsonschema (.ci/conformance's venv)",
          file=sys.stderr)
    sys.exit(2)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENDOR = "https://api.cryptomate.me"
IC = "api-reference/management/individual-clients"
GUIDE = "clients/create-client-and-request-product.mdx"
# A complete 1x1 PNG: what the guide's shortened example stands for.
PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4"
       "nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")


class Failure(Exception):
    pass


def pages():
    """Every capture as the grammar reads it, by path, in navigation order."""
    try:
        out = subprocess.run(["cargo", "xtask", "pages"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"error: cargo xtask pages failed: {e}", file=sys.stderr)
        sys.exit(2)
    return {p["path"]: p for p in json.loads(out)["pages"]}


def load_spec():
    """The spec, its schemas in the JSON Schema (Draft 7) dialect the mock
    validates with: `cargo xtask spec-json` translates OpenAPI 3.0's own
    keywords (`nullable`, boolean `exclusiveMinimum`, `int32` ranges) with
    the mock's one translation (src/mock/dialect.rs)."""
    try:
        out = subprocess.run(["cargo", "xtask", "spec-json"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        return json.loads(out)
    except (OSError, subprocess.CalledProcessError, ValueError) as e:
        print(f"error: cargo xtask spec-json failed: {e}", file=sys.stderr)
        sys.exit(2)


def resolve(spec, node):
    """Follows `$ref`s inside the spec."""
    while isinstance(node, dict) and "$ref" in node:
        at = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            at = at[part.replace("~1", "/").replace("~0", "~")]
        node = at
    return node


def operation(spec, page):
    """The spec's operation a page documents, or None."""
    method, path = page["api"].split(" ", 1)
    return spec["paths"].get(path, {}).get(method.lower())


def check_body(spec, op, status, body, label):
    """The body against the spec's response of that status."""
    responses = op.get("responses", {})
    response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") \
        or responses.get("default")
    if response is None:
        raise Failure(f"{label}: the spec declares no {status} response")
    response = resolve(spec, response)
    if isinstance(body, Binary):
        if body.media not in response.get("content", {}):
            raise Failure(f"{label}: {status} declares no {body.media} body; the mock sent {body!r}")
        return
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        if body is not None:
            raise Failure(f"{label}: {status} declares no body; the mock sent {body!r:.200}")
        return
    if body is None:
        raise Failure(f"{label}: {status} declares a JSON body; the mock sent none")
    document = {"allOf": [schema], "components": spec.get("components", {})}
    errors = sorted(jsonschema.Draft7Validator(document).iter_errors(body), key=str)
    if errors:
        first = errors[0]
        where = "/" + "/".join(str(p) for p in first.absolute_path)
        raise Failure(f"{label}: the answer is invalid against the spec at {where}: {first.message:.300}")


def statuses_shown(page):
    """The 2xx statuses a page shows: its examples', and those its Response
    section's prose names (`Returns 204 No Content`)."""
    shown = {r["status"] for r in page["responses"] if r["status"] and 200 <= r["status"] < 300}
    for prose in page["response_prose"]:
        shown.update(int(s) for s in re.findall(r"\b(2\d\d)\b", prose))
    return shown


class Mock:
    def __init__(self, base, key):
        self.base, self.key = base, key

    def send(self, method, url, headers, data):
        """Sends a cURL example: the URL with the mock's host, the headers with
        the key, the body as written."""
        url = url.replace(VENDOR, self.base)
        body = None if data is None else data.encode()
        request = urllib.request.Request(url, data=body, method=method)
        for name, value in headers:
            request.add_header(name, value.replace("$CRYPTOMATE_API_KEY", self.key))
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
                media = response.headers.get_content_type()
        except urllib.error.HTTPError as e:
            status, raw, media = e.code, e.read(), e.headers.get_content_type()
        if raw and media != "application/json":
            # A binary answer (a receipt's PDF): its media type and size,
            # which check_body holds to the spec's response.
            return status, Binary(media, len(raw))
        return status, (json.loads(raw) if raw else None)


class Binary:
    """A body that is not JSON: its media type and its size."""

    def __init__(self, media, size):
        self.media, self.size = media, size

    def __repr__(self):
        return f"<{self.size} bytes of {self.media}>"


def every_page(mock, spec, captured):
    """Part 1: every cURL example of every page the spec has, verbatim."""
    api = [p for p in captured.values() if p["api"]]
    # Creations first, so that every later page acts on what they created;
    # deletions last, so that every other page finds its resource, the
    # deepest path first, so that children go before their parents.
    def creates(page):
        return page["api"].startswith("POST ") and any(
            r["status"] and 200 <= r["status"] < 300 and isinstance(r["body"], dict)
            and "id" in r["body"] for r in page["responses"])

    def order(page):
        if page["api"].startswith("DELETE "):
            return (2, -page["api"].count("/"))
        return (0 if creates(page) else 1, 0)
    api.sort(key=order)
    # The stand-ins of a folder of pages (one group of the navigation: a
    # card's virtual-card pages, a treasury account's pages): a page's example
    # id names the mock's created item only in the pages of the folder that
    # created it. Elsewhere it names the seeded item of the examples (D-M4),
    # with what that holds (a seeded card's transactions).
    ids, sent, skipped = {}, 0, []
    for page in api:
        folder = page["path"].rsplit("/", 1)[0]
        op = operation(spec, page)
        if op is None:
            skipped.append(page["path"])
            continue
        for curl in page["curls"]:
            url = curl["url"]
            for (where, example), actual in ids.items():
                if where == folder:
                    url = url.replace("/" + example, "/" + actual)
            label = f"{page['path']}:{curl['line']}"
            status, answer = mock.send(curl["method"], url, curl["headers"], curl["data"])
            shown = statuses_shown(page)
            # D5 (openapi/DECISIONS.md): where the spec declares both 200 and
            # 201 for a creating operation, either is the success the page
            # shows.
            if {"200", "201"} <= set(op.get("responses", {})) and shown & {200, 201}:
                shown |= {200, 201}
            # D-MG4: a page that shows no success at all (Delete and Re-enable
            # company) leaves it to the spec, whose declared 2xx all count.
            if not shown:
                shown = {int(s) for s in op.get("responses", {}) if s.startswith("2")}
            # D-W7: a webhook simulation acts on the card's transactions,
            # which no page's example creates (the authorize page's example
            # card is the sandbox's; its only example is that card's 412),
            # so the answers its page documents count too.
            if page["api"].startswith("POST /cards/webhook/simulate/"):
                shown |= {r["status"] for r in page["responses"] if r["status"]}
                shown |= {int(s) for s in op.get("responses", {}) if s.isdigit() and s[0] == "4" and s not in ("400", "401", "429")}
            if status not in shown:
                raise Failure(f"{label}: {curl['method']} {url} answered {status}, "
                              f"the page shows {sorted(shown)}: {answer!r:.300}")
            check_body(spec, op, status, answer, label)
            # The page's example id stands for the mock's from now on (under
            # D5 a 201 answers the page's 200 tab, and the other way round).
            same = {status} | ({200, 201} if status in (200, 201) else set())
            documented = next((r["body"] for r in page["responses"]
                               if r["status"] in same and isinstance(r["body"], dict)), None)
            if isinstance(answer, dict) and documented and "id" in documented and "id" in answer:
                ids[(folder, documented["id"])] = answer["id"]
            sent += 1
            print(f"ok  {page['api']}: {curl['method']} {url.replace(VENDOR, '')} -> {status}",
                  flush=True)
    print(f"every page: {sent} cURL example(s) of {len(api) - len(skipped)} page(s) sent; "
          f"{len(skipped)} page(s) skipped, their operation not in the spec yet", flush=True)
    if sent == 0:
        raise Failure("no page's operation is in the spec")


def documented(captured, name, status):
    """The body of a page's response example of a status."""
    page = captured[f"{IC}/{name}"]
    for response in page["responses"]:
        if response["status"] == status:
            return response["body"]
    raise Failure(f"{IC}/{name} has no {status} example")


# Fields of the pages' examples that the guide's requests do not send, so
# their answers lack them (the reference page's example sends a second name).
NOT_SENT = {"second_name"}


def shape(actual, expected, at=""):
    """Every key of the documented example is in the answer, with a value of
    the same JSON type; arrays are compared by their first items. A field the
    guide's request does not send (NOT_SENT) may be absent."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            raise Failure(f"{at or '/'} is not an object: {actual!r:.200}")
        for key, value in expected.items():
            if key not in actual and key in NOT_SENT:
                continue
            if key not in actual:
                raise Failure(f"{at}/{key} is missing from the answer")
            shape(actual[key], value, f"{at}/{key}")
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            raise Failure(f"{at or '/'} is not an array")
        if expected and actual:
            shape(actual[0], expected[0], f"{at}/0")
    elif type(actual) is not type(expected) and not (
        isinstance(actual, (int, float)) and isinstance(expected, (int, float))
    ):
        raise Failure(f"{at}: {type(actual).__name__} where the page shows {type(expected).__name__}")


def the_guide(mock, captured):
    """Part 2: the onboarding guide, step by step."""
    guide = captured[GUIDE]["curls"]
    if [c["method"] for c in guide] != ["POST", "POST", "PUT", "POST", "POST"]:
        raise Failure(f"the guide's cURL examples changed: {[c['method'] for c in guide]}")
    create, request_product, update, documentation, submit = guide
    reference = {name: captured[f"{IC}/{name}"]["curls"][0] for name in [
        "get-client.mdx", "list-clients.mdx", "list-products.mdx", "get-countries.mdx",
        "get-identifications-by-country.mdx", "delete-client.mdx"]}
    page_ids = {"clientId": "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG",
                "productRequestId": "2VvyMx6rNLRB1W9euCyJGe46qyoiVPzh"}
    ids = {}

    def step(label, curl, status, expected=None, body=None, exact=False, headers=None):
        url = curl["url"]
        for name, example in page_ids.items():
            if name in ids:
                url = url.replace("{" + name + "}", ids[name]).replace("/" + example, "/" + ids[name])
        data = curl["data"] if body is None else json.dumps(body)
        got, answer = mock.send(curl["method"], url, curl["headers"] if headers is None else headers,
                                data)
        if got != status:
            raise Failure(f"{label}: {curl['method']} {url} answered {got}, the page documents {status}: {answer}")
        if expected is not None:
            # The errors page adds an optional trace_id to every error body.
            compared = {k: v for k, v in answer.items() if k != "trace_id"} \
                if isinstance(answer, dict) else answer
            if exact and compared != expected:
                raise Failure(f"{label}: {answer} is not the page's {expected}")
            shape(answer, expected)
        print(f"ok  {label}: {curl['method']} {url.replace(VENDOR, '')} -> {got}", flush=True)
        return answer

    client = step("1 create the client", create, 201, documented(captured, "create-client.mdx", 201))
    if not re.fullmatch(r"[A-Za-z0-9]{32}", client["id"]):
        raise Failure(f"the id {client['id']!r} is not 32 letters and digits like the vendor's")
    ids["clientId"] = client["id"]
    step("  get it", reference["get-client.mdx"], 200, documented(captured, "get-client.mdx", 200))
    step("  list the clients", reference["list-clients.mdx"], 200,
         documented(captured, "list-clients.mdx", 200))

    product = step("2 request the product", request_product, 201,
                   documented(captured, "request-product-enablement.mdx", 201))
    if product["status"] != "pending_documentation":
        raise Failure(f"the request is {product['status']}, not pending_documentation")
    missing = product["missing_requirements"]
    if [r["id"] for r in missing["data"]] != ["personal_information"] or \
            [r["id"] for r in missing["documents"]] != ["identity_document"]:
        raise Failure(f"missing_requirements is not the guide's example: {missing}")
    ids["productRequestId"] = product["id"]
    step("  request it again", request_product, 409,
         documented(captured, "request-product-enablement.mdx", 409), exact=True)
    step("  list the client's products", reference["list-products.mdx"], 200,
         documented(captured, "list-products.mdx", 200))

    incomplete = dict(update["json"])
    del incomplete["email"]
    refused = step("3 update without a required field", update, 400, {"code": "", "message": ""},
                   body=incomplete)
    if refused["code"] != "VAL" or "/email" not in refused["message"]:
        raise Failure(f"the 400 does not name /email with code VAL: {refused}")
    step("3 fill in the missing data", update, 200, documented(captured, "update-client.mdx", 200))

    rejected = step("4 upload the guide's shortened image", documentation, 200,
                    documented(captured, "complete-product-documentation.mdx", 200))
    reasons = [item.get("reason", "") for item in rejected["rejected_items"]]
    if not any("image_front" in r for r in reasons):
        raise Failure(f"the shortened image was not rejected with a reason: {rejected}")
    fixed = json.loads(json.dumps(documentation["json"]))
    fixed["document"]["image_front"] = PNG
    accepted = step("4 upload it again, fixed", documentation, 200,
                    documented(captured, "complete-product-documentation.mdx", 200), body=fixed)
    if accepted["rejected_items"] or accepted["product"]["missing_requirements"] != {"documents": [], "data": []}:
        raise Failure(f"the fixed upload left something missing: {accepted}")

    submitted = step("5 submit", submit, 200, documented(captured, "submit-product.mdx", 200))
    if submitted["product"]["status"] != "in_kyc":
        raise Failure(f"the request is {submitted['product']['status']}, not in_kyc")
    step("  submit again", submit, 409, documented(captured, "submit-product.mdx", 409), exact=True)

    step("  supported countries", reference["get-countries.mdx"], 200,
         documented(captured, "get-countries.mdx", 200))
    step("  identifications in US", reference["get-identifications-by-country.mdx"], 200,
         documented(captured, "get-identifications-by-country.mdx", 200), exact=True)
    step("  delete the client", reference["delete-client.mdx"], 204)
    gone = step("  get it after delete", reference["get-client.mdx"], 404,
                documented(captured, "delete-client.mdx", 404))
    if gone["message"] != f"Company client not found with id: {ids['clientId']}":
        raise Failure(f"the 404 is not the vendor's: {gone}")
    no_key = step("  create without a key", create, 401,
                  headers=[h for h in create["headers"] if h[0].lower() != "x-api-key"])
    if not no_key.get("message"):
        raise Failure(f"the 401 has no message: {no_key}")


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
    captured = pages()
    spec = load_spec()
    try:
        mock = Mock(base, key)
        every_page(mock, spec, captured)
        the_guide(mock, captured)
    except Failure as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        if server:
            server.terminate()
    print("mock-e2e: every step got its documented answer")
    return 0


if __name__ == "__main__":
    sys.exit(main())

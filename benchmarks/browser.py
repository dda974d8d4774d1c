"""A minimal browser for the benchmark: one HTTP/1.1 request per connection (gunicorn's sync workers close
every connection), its own cookie jar, and the headers a TLS-terminating proxy in front of the portal adds.

Every client speaks from its own address in 198.18.0.0/15, the range set aside for benchmarking (RFC 2544),
through ``X-Forwarded-For``, which the portal trusts from one proxy (ProxyFix). The traffic itself only ever goes
to 127.0.0.1. That is how the per-address rate limits see many people rather than one, with Redis as their store.

Requests say ``X-Forwarded-Proto: https``, as the proxy would, so the portal runs its HTTPS code paths. Over HTTPS,
Flask-WTF requires a same-origin ``Referer`` on every POST, so POSTs carry one (the portal's own
``Referrer-Policy: no-referrer`` would stop a real browser sending it: reported separately).
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def bench_address(n: int) -> str:
    """The n-th address of 198.18.0.0/15 (131,072 of them, then round again)."""
    n %= 2**17
    return f"198.{18 + n // 65536}.{(n // 256) % 256}.{n % 256}"


class UnexpectedResponse(RuntimeError):
    pass


@dataclass
class Response:
    status: int
    location: str
    body: str

    def csrf(self) -> str:
        match = CSRF.search(self.body)
        if match is None:
            raise UnexpectedResponse("no csrf_token on the page")
        return match.group(1)


@dataclass
class Browser:
    port: int
    address: str
    cookies: dict[str, str] = field(default_factory=dict)
    requests: int = 0

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: Mapping[str, object] | None = None) -> Response:
        headers = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for header in raw.headers.get_all("Set-Cookie") or []:
                self._store_cookie(header)
            location = urlsplit(raw.headers.get("Location", ""))
            target = location.path + (f"?{location.query}" if location.query else "")
        finally:
            conn.close()
        self.requests += 1
        return Response(raw.status, target, text)

    def _store_cookie(self, header: str) -> None:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        attributes = header.lower()
        if "max-age=0" in attributes or "expires=thu, 01 jan 1970" in attributes or not value:
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value

    def get(self, path: str, expect: int = 200) -> Response:
        response = self.request("GET", path)
        if response.status != expect:
            raise UnexpectedResponse(f"GET {path}: {response.status}, expected {expect} ({response.location})")
        return response

    def post(self, path: str, form: Mapping[str, object], expect: int = 302) -> Response:
        response = self.request("POST", path, form)
        if response.status != expect:
            raise UnexpectedResponse(f"POST {path}: {response.status}, expected {expect} ({response.location})")
        return response

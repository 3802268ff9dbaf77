"""A small HTTP load generator for the bench: threads, each with its own keep-alive connection
and cookie jar, through http.client (standard library).

Why not a tool: wrk is not installed here, and locust or a similar Python tool would add a
dozen packages (gevent, Flask…) to the dev lock for what these 150 lines do: the bench needs
sessions that sign up (reading the captcha from the database), log in and follow pages, which
wrk only does through Lua scripts. The price: the generator shares the machine's cores with
the server (it takes part of one), so absolute req/s are lower than a separate load machine
would see; every figure is therefore printed beside its baseline from the same run, measured
the same way.

Every request goes to the loopback (127.0.0.0/8) only, as an https reverse proxy would send it
(X-Forwarded-Proto: https, the same Origin and Referer as a browser).
"""

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """One browser: a keep-alive connection, its cookies."""

    def __init__(self, host: str, port: int, source: str = "127.0.0.1"):
        if not host.startswith("127.") or not source.startswith("127."):
            raise ValueError("le banc ne s'adresse qu'à la boucle locale (127.0.0.0/8)")
        self.host, self.port, self.source = host, port, source
        self.origin = f"https://{host}:{port}"
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.retries = 0

    def _connect(self):
        self.conn = http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=(self.source, 0)
        )

    def request(self, method: str, path: str, data: dict | None = None):
        """(status, headers, body text). Follows no redirect."""
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "cpf-portal-bench",
            "Accept-Language": "fr",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self._connect()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed meanwhile (a worker replaced after
                # max_requests, the keep-alive timeout): retried once on a new connection, as
                # browsers do. Counted apart; a second failure is an error.
                self.close()
                if attempt == 2 or not reused:
                    raise
                self.retries += 1
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or "1970" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.headers.get("Connection", "").lower() == "close":
            self.close()
        return response.status, response.headers, text

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, page_path: str, data: dict, post_path: str | None = None):
        """GET the page, then POST `data` with its CSRF token (as a browser submits a form)."""
        status, _, html = self.get(page_path)
        if status != 200:
            return status, {}, html
        match = CSRF_INPUT.search(html)
        token = match.group(1) if match else ""
        return self.request("POST", post_path or page_path, {"csrfmiddlewaretoken": token, **data})

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Result:
    label: str
    seconds: float = 0.0
    latencies: list = field(default_factory=list)  # ms, successful requests
    errors: int = 0
    retries: int = 0
    error_samples: list = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    def record(self, ms: float, ok: bool, sample: str = "") -> None:
        if ok:
            self.latencies.append(ms)
        else:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(sample)


def run_for(label: str, seconds: float, sessions: list, action) -> Result:
    """Run `action(session) -> (ok, sample)` in a loop on each session's thread for `seconds`."""
    result = Result(label)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(session):
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                ok, sample = action(session)
            except (TimeoutError, OSError, http.client.HTTPException) as error:
                ok, sample = False, repr(error)
            ms = (time.perf_counter() - start) * 1000
            with lock:
                result.record(ms, ok, sample)

    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - start
    result.retries = sum(s.retries for s in sessions)
    return result

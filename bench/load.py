"""Closed-loop HTTP load on the production server: the case page, the review API, a bare view.

Run with ``make bench-load`` (or ``.venv/bin/python bench/load.py``). It seeds the demo org
into a fresh temporary data folder (``fairpivot demo --no-serve``), starts ``fairpivot serve``
on a free loopback port (gunicorn, gthread, its default workers and threads), and measures:

- ``case page``: ``GET /cases/C-N/``, the HTML page of the case with the longest ledger,
  as ``demo-hr`` (each client signs in through the login form once and keeps its session);
- ``review API``: ``GET /api/v1/cases/C-N/review`` with a Bearer token of ``demo-hr``;
- ``bare view``: ``GET /healthz``, a Django view with no database and no session: the
  baseline the other two are divided by, at the same concurrency.

Each run is a closed loop with no think time: N client threads, each with its own HTTP/1.1
keep-alive connection (``http.client``), issue requests back to back until the run has
sent ``--requests`` requests or ``--seconds`` have passed, after a warm-up at the same
concurrency. Any answer but 200, or a failed connection, is an error; a run with errors,
or a target missed, exits 1. The clients are threads of this process, on the same machine
as the server: they take CPU from it, for the targets and the baseline alike.

Targets: the case page's p95 under 100 ms at 10 clients; the case page's requests/s at 50
clients at least 0.25 times the bare view's; the server's peak memory (VmHWM of the
gunicorn master plus its workers, summed) under 4 GB.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
USER = "demo-hr"
CASE_P95_TARGET_MS = 100.0
CASE_P95_CLIENTS = 10
RATIO_TARGET = 0.25
RATIO_CLIENTS = 50
MEMORY_BUDGET_MB = 4 * 1024
STARTUP_SECONDS = 60
LOGIN_LINE = re.compile(r"^\s+(\w+)\s+(demo-\w+)\s+(\S+)$", re.MULTILINE)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BARE, CASE_PAGE, REVIEW_API = "bare view", "case page", "review API"
TARGET_NAMES = (BARE, CASE_PAGE, REVIEW_API)


@dataclass(frozen=True, slots=True)
class Limits:
    """When one run stops: whichever comes first."""

    requests: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Target:
    """One URL under load, and the headers client ``i`` sends with it."""

    name: str
    path: str
    headers: Callable[[int], dict[str, str]]


@dataclass(slots=True)
class Result:
    """One run: a target at one concurrency."""

    target: str
    clients: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    error_kinds: dict[str, int] = field(default_factory=dict)
    x_bare: float = 0.0


class Server:
    """``fairpivot serve`` in a process group of its own, on a fresh demo database."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(NO_COLOR="1", FAIRPIVOT_DATA_DIR=str(data_dir))
        self.port = free_port()
        self.log = data_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.password = ""
        self.token = ""

    def fairpivot(self, *args: str) -> str:
        """Run a ``fairpivot`` command to completion; its output."""
        done = subprocess.run(
            [sys.executable, "-m", "fairpivot", *args],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=ROOT,
            check=False,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"fairpivot {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def start(self) -> None:
        """Seed the demo, issue a token, start the server and wait until it answers."""
        printed = self.fairpivot("demo", "--no-serve")
        passwords = {user: password for _, user, password in LOGIN_LINE.findall(printed)}
        self.password = passwords[USER]
        self.token = self.fairpivot("token", USER, "--name", "load benchmark").strip()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "fairpivot", "serve", "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=ROOT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                status, _, _ = fetch(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def pids(self) -> list[int]:
        """The gunicorn master (the ``fairpivot serve`` process) and its workers."""
        if self.process is None:
            return []
        master = self.process.pid
        found = [master]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
        return found

    def stop(self) -> None:
        """Stop the master and its workers: the whole process group."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)


class MemoryWatch:
    """The peak resident memory of each server process (VmHWM), sampled while it runs."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.peaks: dict[int, int] = {}  # pid -> peak VmHWM in kB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def sample(self) -> None:
        for pid in self.server.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if found:
                self.peaks[pid] = max(self.peaks.get(pid, 0), int(found.group(1)))

    @property
    def peak_mb(self) -> float:
        """The sum over the processes of each one's peak: at least the true joint peak."""
        return sum(self.peaks.values()) / 1024


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def fetch(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request on a connection of its own: status, headers, body."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def cookies_of(headers: http.client.HTTPMessage) -> dict[str, str]:
    """The cookies a response sets: name to value."""
    found = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(server: Server) -> str:
    """Sign in through the login form, as a browser does; the session cookie's value."""
    status, headers, page = fetch(server.port, "GET", "/login/")
    csrf_cookie = cookies_of(headers).get("csrftoken", "")
    match = CSRF_FIELD.search(page.decode())
    if status != 200 or not csrf_cookie or match is None:
        raise RuntimeError(f"the login page did not offer a form (HTTP {status})")
    form = urllib.parse.urlencode(
        {"username": USER, "password": server.password, "csrfmiddlewaretoken": match.group(1)}
    )
    status, headers, _ = fetch(
        server.port,
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
    )
    session = cookies_of(headers).get("sessionid", "")
    if status != 302 or not session:
        raise RuntimeError(f"signing in as {USER} failed (HTTP {status})")
    return session


def richest_case(server: Server) -> tuple[str, int]:
    """The case with the most ledger entries (its version), first by id on a tie."""
    status, _, body = fetch(
        server.port,
        "GET",
        "/api/v1/cases?limit=500",
        headers={"Authorization": f"Bearer {server.token}"},
    )
    if status != 200:
        raise RuntimeError(f"listing the cases failed (HTTP {status})")
    items = json.loads(body)["items"]
    best = max(items, key=lambda item: (item["version"], -int(item["id"].removeprefix("C-"))))
    return str(best["id"]), int(best["version"])


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(int(-(-fraction * len(sorted_values) // 1)), 1)  # ceil, at least 1
    return sorted_values[rank - 1]


def load(port: int, target: Target, clients: int, limits: Limits) -> Result:
    """One closed-loop run: ``clients`` threads, each its own keep-alive connection."""
    lock = threading.Lock()
    issued = 0
    start_gate = threading.Barrier(clients + 1)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[dict[str, int]] = [{} for _ in range(clients)]
    deadline = 0.0

    def client(index: int) -> None:
        nonlocal issued
        headers = target.headers(index)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        conn.connect()
        start_gate.wait()
        try:
            while True:
                with lock:
                    if issued >= limits.requests or time.perf_counter() >= deadline:
                        return
                    issued += 1
                began = time.perf_counter()
                try:
                    conn.request("GET", target.path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    outcome = "" if response.status == 200 else f"HTTP {response.status}"
                    if response.will_close:
                        conn.close()  # the next request opens a new connection
                except (OSError, http.client.HTTPException) as exc:
                    outcome = type(exc).__name__
                    conn.close()
                latencies[index].append(time.perf_counter() - began)
                if outcome:
                    failures[index][outcome] = failures[index].get(outcome, 0) + 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + limits.seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(t for times in latencies for t in times)
    kinds: dict[str, int] = {}
    for failed in failures:
        for kind, count in failed.items():
            kinds[kind] = kinds.get(kind, 0) + count
    return Result(
        target=target.name,
        clients=clients,
        requests=len(every),
        seconds=round(elapsed, 2),
        rps=len(every) / elapsed,
        p50_ms=percentile(every, 0.50) * 1000,
        p95_ms=percentile(every, 0.95) * 1000,
        errors=sum(kinds.values()),
        error_kinds=kinds,
    )


def one_pass(
    args: argparse.Namespace, concurrencies: list[int], note: Callable[[str], None]
) -> tuple[list[Result], float, dict[str, Any]]:
    """Seed, serve, measure every target at every concurrency; the results and peak memory."""
    load_before = os.getloadavg()[0]  # other work on the machine skews every figure
    with tempfile.TemporaryDirectory(prefix="fairpivot-load-") as scratch:
        server = Server(Path(scratch))
        try:
            note("seeding the demo and starting the server ...")
            server.start()
            with MemoryWatch(server) as memory:
                ref, entries = richest_case(server)
                sessions = [sign_in(server) for _ in range(max(concurrencies))]
                status, _, page = fetch(
                    server.port, "GET", f"/cases/{ref}/", headers=cookie(sessions[0])
                )
                if status != 200 or ref.encode() not in page:
                    raise RuntimeError(f"the case page of {ref} did not open (HTTP {status})")
                bearer = {"Authorization": f"Bearer {server.token}"}
                targets = [
                    Target(BARE, "/healthz", lambda _: {}),
                    Target(CASE_PAGE, f"/cases/{ref}/", lambda i: cookie(sessions[i])),
                    Target(REVIEW_API, f"/api/v1/cases/{ref}/review", lambda _: bearer),
                ]
                results = []
                warmup = Limits(args.warmup_requests, args.warmup_seconds)
                measured = Limits(args.requests, args.seconds)
                for clients in concurrencies:
                    for target in targets:
                        load(server.port, target, clients, warmup)
                        result = load(server.port, target, clients, measured)
                        note(
                            f"  {target.name:<11} {clients:>3} clients: {result.rps:8.1f} req/s, "
                            f"p95 {result.p95_ms:7.1f} ms, {result.errors} errors"
                        )
                        results.append(result)
                workers = len(server.pids()) - 1
        finally:
            server.stop()
    info = {
        "load_before": load_before,
        "case": ref,
        "ledger_entries": entries,
        "page_bytes": len(page),
        "workers": workers,
        "memory_processes": len(memory.peaks),
    }
    return with_ratios(results), memory.peak_mb, info


def cookie(session: str) -> dict[str, str]:
    return {"Cookie": f"sessionid={session}"}


def with_ratios(results: list[Result]) -> list[Result]:
    """Each result with its requests/s divided by the bare view's at the same concurrency."""
    bare = {r.clients: r.rps for r in results if r.target == BARE}
    for result in results:
        result.x_bare = result.rps / bare[result.clients] if bare.get(result.clients) else 0.0
    return results


def medians(passes: list[list[Result]]) -> list[Result]:
    """Each figure's median over the passes (errors: the total), row by row."""
    rows = []
    for runs in zip(*passes, strict=True):
        kinds: dict[str, int] = {}
        for run in runs:
            for kind, count in run.error_kinds.items():
                kinds[kind] = kinds.get(kind, 0) + count
        rows.append(
            Result(
                target=runs[0].target,
                clients=runs[0].clients,
                requests=int(statistics.median(r.requests for r in runs)),
                seconds=statistics.median(r.seconds for r in runs),
                rps=statistics.median(r.rps for r in runs),
                p50_ms=statistics.median(r.p50_ms for r in runs),
                p95_ms=statistics.median(r.p95_ms for r in runs),
                errors=sum(r.errors for r in runs),
                error_kinds=kinds,
                x_bare=statistics.median(r.x_bare for r in runs),
            )
        )
    return rows


def verdicts(rows: list[Result], peak_mb: float) -> list[dict[str, Any]]:
    """Each target: what was measured, the bound, and whether it is met (None: not run)."""
    by_key = {(r.target, r.clients): r for r in rows}
    page_10 = by_key.get((CASE_PAGE, CASE_P95_CLIENTS))
    page_50 = by_key.get((CASE_PAGE, RATIO_CLIENTS))
    return [
        {
            "target": f"case page p95 at {CASE_P95_CLIENTS} clients < {CASE_P95_TARGET_MS:g} ms",
            "value": f"{page_10.p95_ms:.1f} ms" if page_10 else "not run",
            "met": page_10.p95_ms < CASE_P95_TARGET_MS if page_10 else None,
        },
        {
            "target": f"case page req/s at {RATIO_CLIENTS} clients >= {RATIO_TARGET} x bare view",
            "value": f"{page_50.x_bare:.3f} x" if page_50 else "not run",
            "met": page_50.x_bare >= RATIO_TARGET if page_50 else None,
        },
        {
            "target": f"server peak memory < {MEMORY_BUDGET_MB} MB",
            "value": f"{peak_mb:.0f} MB",
            "met": peak_mb < MEMORY_BUDGET_MB,
        },
    ]


def main() -> int:
    """Measure, print a table (or JSON), and exit 1 on any error or a missed target."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", default="10,50", help="concurrencies, comma-separated")
    parser.add_argument("--requests", type=int, help="requests per run at most (3000)")
    parser.add_argument("--seconds", type=float, help="seconds per run at most (20)")
    parser.add_argument("--warmup-requests", type=int, help="warm-up requests per run (200)")
    parser.add_argument("--warmup-seconds", type=float, help="warm-up seconds per run (3)")
    parser.add_argument("--repeat", type=int, default=1, help="passes, each on a fresh server")
    parser.add_argument(
        "--quick", action="store_true", help="short runs: 300 requests or 5 s, tiny warm-up"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    quick = {"requests": 300, "seconds": 5.0, "warmup_requests": 20, "warmup_seconds": 1.0}
    full = {"requests": 3000, "seconds": 20.0, "warmup_requests": 200, "warmup_seconds": 3.0}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    concurrencies = [int(c) for c in args.clients.split(",") if c.strip()]

    def note(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    passes, peaks, loads = [], [], []
    info: dict[str, Any] = {}
    for number in range(args.repeat):
        if args.repeat > 1:
            note(f"pass {number + 1} of {args.repeat}")
        try:
            results, peak_mb, info = one_pass(args, concurrencies, note)
        except RuntimeError as exc:
            note(f"setup failed: {exc}")
            return 2
        passes.append(results)
        peaks.append(peak_mb)
        loads.append(info["load_before"])
    rows = medians(passes) if args.repeat > 1 else passes[0]
    peak = statistics.median(peaks)
    checks = verdicts(rows, peak)
    errors = sum(r.errors for r in rows)
    if args.json:
        print(
            json.dumps(
                {
                    "settings": {
                        "clients": concurrencies,
                        "requests": args.requests,
                        "seconds": args.seconds,
                        "warmup_requests": args.warmup_requests,
                        "warmup_seconds": args.warmup_seconds,
                        "repeat": args.repeat,
                        "cpus": os.cpu_count(),
                    },
                    "server": info,
                    "results": [asdict(r) for r in rows],
                    "passes": [[asdict(r) for r in results] for results in passes],
                    "peak_memory_mb": peak,
                    "peak_memory_mb_passes": peaks,
                    "load_average_before_passes": loads,
                    "targets": checks,
                    "errors": errors,
                },
                indent=2,
            )
        )
    else:
        info["loads"] = loads
        print_table(args, concurrencies, rows, peak_mb=peak, checks=checks, info=info)
    missed = any(check["met"] is False for check in checks)
    return 1 if errors or missed else 0


def print_table(
    args: argparse.Namespace,
    concurrencies: list[int],
    rows: list[Result],
    *,
    peak_mb: float,
    checks: list[dict[str, Any]],
    info: dict[str, Any],
) -> None:
    """The results for a person: one row per target and concurrency, then the targets."""
    ref, entries = info["case"], info["ledger_entries"]
    print(
        f"fairpivot serve: gunicorn gthread, {info['workers']} workers x 4 threads, SQLite, "
        f"loopback; demo org, {USER}"
    )
    print(f"case page:  GET /cases/{ref}/ ({entries} ledger entries, {info['page_bytes']} bytes)")
    print(f"review API: GET /api/v1/cases/{ref}/review, Bearer token")
    print("bare view:  GET /healthz (no database, no session)")
    print(
        f"closed loop, no think time: each run up to {args.requests} requests or "
        f"{args.seconds:g} s, after a warm-up of {args.warmup_requests} requests or "
        f"{args.warmup_seconds:g} s; clients {', '.join(map(str, concurrencies))}"
    )
    print(
        f"the load client is threads in one Python process on the same {os.cpu_count()} CPUs "
        "as the server: it takes CPU from the targets and the baseline alike"
    )
    loads = ", ".join(f"{load:.2f}" for load in info["loads"])
    print(f"1-minute load average before each pass (0 is an idle machine): {loads}")
    if args.repeat > 1:
        print(f"each figure is the median of {args.repeat} passes (errors: their total)")
    print()
    print(
        f"{'target':<11} {'clients':>7} {'requests':>8} {'req/s':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'errors':>6} {'x bare':>7}"
    )
    for r in rows:
        print(
            f"{r.target:<11} {r.clients:>7} {r.requests:>8} {r.rps:>8.1f} {r.p50_ms:>8.1f} "
            f"{r.p95_ms:>8.1f} {r.errors:>6} {r.x_bare:>7.3f}"
        )
        if r.error_kinds:
            kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(r.error_kinds.items()))
            print(f"{'':<11} errors: {kinds}")
    print()
    print(f"server peak memory: {peak_mb:.0f} MB (VmHWM of the master and each worker, summed)")
    print("targets:")
    for check in checks:
        verdict = {True: "met", False: "MISSED", None: "not measured"}[check["met"]]
        print(f"  {check['target']:<52} {check['value']:>10}  {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())

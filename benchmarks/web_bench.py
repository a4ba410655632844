"""Web speed with the demo data (issue 4, item 12).

1. Server-side render time per page: the median of N requests through the WSGI app (Flask's test client, no
   network), signed in as a lead (or a staff member for their pages). Target: under 100 ms each. The week plan is
   measured twice: rendered every time (cache off) and as served (cached per data version).
2. Requests per second of the week-plan page against a bare Flask endpoint (``return "ok"``), both served over
   HTTP on loopback by the same server (werkzeug, threaded, keep-alive) in child processes, with the same client
   threads, one after the other in the same run. Target: the week plan at 30% or more of the bare endpoint.
3. The big board (issue 13): a generated team of 60 people over the four offices and 300 visits in the week at real
   places (``board_data.py``), imported and planned through the ``planner`` commands (``planner plan-week``'s
   defaults: CP-SAT, 30 s) with every other trip published, one database per seed. The week plan's median render
   time for the lead, rendered every time (cache off) and as served (cached), per seed; the median and the worst
   over the seeds. Target: rendered under 300 ms on every seed.

    .venv/bin/python benchmarks/web_bench.py [--requests 30] [--seconds 3] [--clients 4] [--json]
        [--seeds 1 2 3] [--board-people 60] [--board-visits 300] [--board-solver cp-sat] [--board-time-limit 30]
        [--no-board]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "benchmark password 2026"
LEAD, STAFF = "lead@bench.invalid", "staff@bench.invalid"
BOARD_TARGET_MS = 300


def build_database(folder: Path) -> tuple[str, str]:
    """The demo team and week, planned by the optimizer (greedy, as a stored draft run) and half published."""
    from planner import store
    from planner.planning import actions
    from planner.store import plan_queries
    from planner.store.db import open_db
    from planner.ops.demo import load_demo
    from planner.planning.week_load import load_week
    from planner.store.plan_runs import save_plan_run
    from planner.optimize.run import plan_week
    from planner.core.settings import DEFAULT_SETTINGS
    from planner.core.travel import travel_model
    from planner.accounts.users import create_user
    from planner.core.weeks import next_week

    path = folder / "planner.sqlite"
    db = open_db(path)
    store.ensure_builtin_offices(db)
    load_demo(db, date.today())
    create_user(db, LEAD, PASSWORD, "lead", "hel-sw")
    create_user(db, STAFF, PASSWORD, "staff", "oulu-sc")
    week = next_week(date.today())
    plan = plan_week(load_week(db, week, DEFAULT_SETTINGS, travel_model(DEFAULT_SETTINGS)), "greedy", 10)
    save_plan_run(db, plan, created_by="benchmark")
    trips = plan_queries.trips_of_week(db, week)
    actions.publish(db, week, "benchmark", [t["id"] for t in trips[: len(trips) // 2]])
    db.close()
    return str(path), week


def _sign_in(client, email: str) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code


def render_times(database: str, week: str, n: int) -> dict[str, float]:
    """Median milliseconds per page through the WSGI app."""
    from planner.wsgi import create_app
    pages = {
        "lead": ["/overview", "/visits/new", "/visits/demo-03", f"/plan?week={week}", "/availability/team",
                 f"/map?week={week}"],
        "staff": [f"/schedule?week={week}", "/availability"],
    }
    out = {}
    for cache in (False, True):
        app = create_app({"DATABASE": database, "PAGE_CACHE": cache, "SECRET_KEY": "bench"})
        for who, urls in pages.items():
            client = app.test_client()
            _sign_in(client, LEAD if who == "lead" else STAFF)
            for url in urls:
                if cache and not url.startswith("/plan"):
                    continue
                name = url.split("?")[0] + (" (cached)" if cache else "")
                out[name] = _median_ms(client, url, n)
    return out


def _median_ms(client, url: str, n: int) -> float:
    """Median milliseconds of ``n`` requests of ``url`` after 3 warm-ups, each answered 200."""
    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return round(statistics.median(times), 2)


# The big board --------------------------------------------------------------------------------------------------

def board_render(database: str, week: str, n: int) -> dict:
    """The lead's week plan on one big-board database: median ms rendered (cache off) and as served (cached), and
    the page's size."""
    from planner.wsgi import create_app
    url = f"/plan?week={week}"
    out = {}
    for cache, key in ((False, "render_ms_median"), (True, "served_ms_median")):
        app = create_app({"DATABASE": database, "PAGE_CACHE": cache, "SECRET_KEY": "bench"})
        client = app.test_client()
        _sign_in(client, LEAD)
        out[key] = _median_ms(client, url, n)
        out.setdefault("page_kb", round(len(client.get(url).data) / 1024))
    return out


def big_board(folder: Path, seeds: list[int], n: int, people: int, visits: int, solver: str,
              time_limit: float) -> dict:
    """Build and measure the big board for each seed; the median and the worst over the seeds."""
    from board_data import build_board
    runs = []
    for seed in seeds:
        built = build_board(folder / f"board-{seed}", seed, LEAD, PASSWORD, people=people, visits=visits,
                            solver=solver, time_limit=time_limit)
        runs.append({**{k: v for k, v in built.items() if k != "database"},
                     **board_render(built["database"], built["week"], n)})
    rendered = [r["render_ms_median"] for r in runs]
    served = [r["served_ms_median"] for r in runs]
    return {"people": people, "visits": visits, "solver": solver, "time_limit_s": time_limit, "seeds": runs,
            "render_ms_median": round(statistics.median(rendered), 2), "render_ms_worst": max(rendered),
            "served_ms_median": round(statistics.median(served), 2), "served_ms_worst": max(served),
            "target_ms": BOARD_TARGET_MS}


# HTTP servers in child processes ------------------------------------------------------------------------------

def serve(kind: str, port: int, database: str) -> None:
    from flask import Flask
    from werkzeug.serving import WSGIRequestHandler, make_server
    WSGIRequestHandler.protocol_version = "HTTP/1.1"  # keep-alive, as a real client would
    if kind == "bare":
        app = Flask("bare")

        @app.get("/bare")
        def bare():
            return "ok"
    else:
        from planner.wsgi import create_app
        app = create_app({"DATABASE": database, "SECRET_KEY": "bench"})
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler(WSGIRequestHandler))
    print("ready", flush=True)
    server.serve_forever()


def _QuietHandler(base):
    class Quiet(base):
        def log_request(self, *args, **kwargs):
            pass
    return Quiet


def _start(kind: str, database: str) -> tuple[subprocess.Popen, int]:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port", str(port), "--database", database],
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    assert proc.stdout.readline().strip() == "ready"
    return proc, port


def _http_sign_in(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/sign-in")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf-token" content="([^"]+)"', body)[1]
    from urllib.parse import urlencode
    conn.request("POST", "/sign-in", body=urlencode({"email": LEAD, "password": PASSWORD, "csrf_token": token}),
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    cookie = response.getheader("Set-Cookie").split(";")[0]
    conn.close()
    return cookie


def requests_per_second(port: int, path: str, seconds: float, clients: int, cookie: str | None) -> float:
    counts = [0] * clients
    stop = time.perf_counter() + seconds

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"Cookie": cookie} if cookie else {}
        while time.perf_counter() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            assert response.status == 200, response.status
            counts[i] += 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - started)


def throughput(database: str, week: str, seconds: float, clients: int) -> dict:
    app_proc, app_port = _start("app", database)
    bare_proc, bare_port = _start("bare", database)
    try:
        cookie = _http_sign_in(app_port)
        path = f"/plan?week={week}"
        requests_per_second(app_port, path, 0.5, clients, cookie)  # warm up
        requests_per_second(bare_port, "/bare", 0.5, clients, None)
        bare = requests_per_second(bare_port, "/bare", seconds, clients, None)
        plan = requests_per_second(app_port, path, seconds, clients, cookie)
    finally:
        for proc in (app_proc, bare_proc):
            proc.terminate()
            proc.wait(10)
    return {"bare_rps": round(bare, 1), "week_plan_rps": round(plan, 1), "ratio": round(plan / bare, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per throughput run")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3], help="big-board seeds (one database each)")
    parser.add_argument("--board-people", type=int, default=60)
    parser.add_argument("--board-visits", type=int, default=300)
    parser.add_argument("--board-solver", choices=["cp-sat", "greedy"], default="cp-sat",
                        help="planner plan-week's solver for the big board (its default: cp-sat)")
    parser.add_argument("--board-time-limit", type=float, default=30.0,
                        help="planner plan-week's --time-limit for the big board (its default: 30)")
    parser.add_argument("--no-board", action="store_true", help="leave out the big board")
    parser.add_argument("--serve", choices=["app", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.database)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PLANNER_INSTANCE"] = str(Path(tmp) / "instance")
        database, week = build_database(Path(tmp))
        renders = render_times(database, week, args.requests)
        speed = throughput(database, week, args.seconds, args.clients)
        board = None if args.no_board else big_board(Path(tmp), args.seeds, args.requests, args.board_people,
                                                     args.board_visits, args.board_solver, args.board_time_limit)
    result = {"week": week, "render_ms_median": renders, **speed,
              "slowest_page_ms": max(renders.values()), "render_target_met": max(renders.values()) < 100,
              "throughput_target_met": speed["ratio"] >= 0.30}
    if board is not None:
        result["board"] = board
        result["board_render_target_met"] = board["render_ms_worst"] < BOARD_TARGET_MS
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"Server-side render time, median of {args.requests} requests (target < 100 ms):")
        for page, ms in renders.items():
            print(f"  {page:28} {ms:7.2f} ms")
        print(f"Requests per second over HTTP on loopback ({args.clients} clients, {args.seconds:g} s each):")
        print(f"  bare Flask endpoint         {speed['bare_rps']:8.1f} req/s")
        print(f"  week plan (/plan)           {speed['week_plan_rps']:8.1f} req/s")
        print(f"  ratio                       {speed['ratio']:8.1%}  (target >= 30%)")
        if board is not None:
            print_board(board, args.requests, result["board_render_target_met"])
    return 0 if all(v for k, v in result.items() if k.endswith("target_met")) else 1


def print_board(board: dict, n: int, met: bool) -> None:
    print(f"Big board: {board['people']} people, {board['visits']} visits, planned by planner plan-week "
          f"(--solver {board['solver']} --time-limit {board['time_limit_s']:g}), every other trip published; "
          f"lead's /plan, median of {n} requests:")
    for r in board["seeds"]:
        print(f"  seed {r['seed']}: {r['planned']} planned, {r['unassigned']} unassigned, {r['trips']} trips "
              f"({r['published']} published), plan {r['status']} in {r['plan_s']:g} s; page {r['page_kb']} KB; "
              f"rendered {r['render_ms_median']:.2f} ms, as served {r['served_ms_median']:.2f} ms")
    print(f"  rendered   median {board['render_ms_median']:7.2f} ms, worst {board['render_ms_worst']:7.2f} ms  "
          f"(target < {board['target_ms']} ms) {'PASS' if met else 'FAIL'}")
    print(f"  as served  median {board['served_ms_median']:7.2f} ms, worst {board['served_ms_worst']:7.2f} ms")


if __name__ == "__main__":
    sys.exit(main())

"""`ifbench serve-rewards --host H --port P`: checker rewards over HTTP for RL trainers (see rl/server.py)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys
from typing import Any

from ifbench.cli.output import err, literal, out
from ifbench.rl.api import CREDITS, MODES
from ifbench.rl.guards import DEFAULT_GUARDS


def add_parser(commands: Any) -> None:
    serve = commands.add_parser(
        "serve-rewards", help="serve constraint rewards over HTTP (OpenRLHF's remote reward model)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve.add_argument("--mode", choices=MODES, default="strict")
    serve.add_argument("--credit", choices=CREDITS, default="fraction",
                       help="fraction: share of constraints met; all: 1 only when all are met")
    serve.add_argument("--workers", type=int, default=None, help="worker processes for scoring")
    serve.add_argument("--guards", action="store_true",
                       help="apply the reward-hacking guards (ifbench.rl.guards.DEFAULT_GUARDS)")
    serve.add_argument("--max-request-mb", type=float, default=64.0,
                       help="largest request body accepted; larger ones get 413 (default 64)")
    serve.set_defaults(handler=cmd_serve_rewards)


def cmd_serve_rewards(args: argparse.Namespace) -> int:
    from ifbench.rl.server import make_app

    app = make_app(mode=args.mode, credit=args.credit, workers=args.workers,
                   guards=DEFAULT_GUARDS if args.guards else (),
                   max_request_bytes=int(args.max_request_mb * 1024 * 1024))
    try:
        listener = socket.create_server((args.host, args.port))  # bound here: port 0 can say which
    except OSError as error:
        err.print(literal(f"error: cannot listen on {args.host}:{args.port}: {error.strerror or error}"))
        return 1
    asyncio.run(_serve(app, listener, args.host))
    return 0


async def _serve(app: Any, listener: socket.socket, host: str) -> None:
    from aiohttp import web

    runner = web.AppRunner(app)
    await runner.setup()
    await web.SockSite(runner, listener).start()
    bound = listener.getsockname()[1]
    out.print(literal(f"serving rewards on http://{host}:{bound}/get_reward (Ctrl-C stops)"))
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()

"""`ifbench run`: its options, the run they describe (`run_setup`), and the command itself.

HTTP and engine libraries load only when a backend is built, never for other subcommands.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ifbench.cli.output import err, literal, out, print_summary
from ifbench.checking.reasoning import UNCLOSED_POLICIES
from ifbench.errors import IfbenchError
from ifbench.run.backends import (
    Backend,
    GenerationSettings,
    parse_engine_args,
    parse_extra_body,
    parse_headers,
    parse_model_spec,
)
from ifbench.run.runner import RunConfig, default_out_dir, run, select_tasks
from ifbench.tasks.load import load_tasks
from ifbench.tasks.models import Task


def add_parser(commands: Any) -> None:
    run = commands.add_parser(
        "run", help="generate replies with a model, score them and summarise (resumable)",
        description="Generate, score, summarise. Re-running the same command resumes.")
    run.add_argument("tasks", nargs="+", metavar="TASKS")
    run.add_argument("--model", metavar="SPEC",
                     help="openai:MODEL@BASE_URL[,URL2...], vllm:PATH_OR_NAME, hf:PATH_OR_NAME or "
                          "llamacpp:PATH (default: the embedded SmolLM2-135M-Instruct via llama.cpp)")
    run.add_argument("--name", help="model name written to the outputs (default: from the spec)")
    run.add_argument("--out", metavar="DIR", help="output directory (default: ifbench-out/<model>)")
    gen = run.add_argument_group("generation")
    gen.add_argument("--mode", choices=["chat", "completion"], default="chat",
                     help="chat template (default) or the raw prompt, for base models")
    gen.add_argument("--temperature", type=_number(float, ">= 0", lambda v: v >= 0), default=0.0,
                     help="default: 0 (greedy)")
    gen.add_argument("--top-p", type=_number(float, "in (0, 1]", lambda v: 0 < v <= 1), default=1.0)
    gen.add_argument("--max-tokens", type=POSITIVE_INT, default=1024, help="default: 1024")
    gen.add_argument("--seed", type=_number(int, f"in [0, {MAX_SEED}]", lambda v: 0 <= v <= MAX_SEED),
                     default=0, help="sample k uses seed + k (default: 0)")
    gen.add_argument("--stop", action="append", default=[], metavar="TEXT", help="stop string (repeatable)")
    gen.add_argument("--samples", type=POSITIVE_INT, default=1,
                     help="replies per task; scores are averaged over them (default: 1)")
    gen.add_argument("--system", metavar="TEXT", help="system prompt replacing the tasks' own")
    gen.add_argument("--extra-body", metavar="JSON",
                     help="extra request fields as a JSON object or @file, e.g. "
                          "'{\"chat_template_kwargs\": {\"enable_thinking\": false}}'")
    gen.add_argument("--keep-reasoning", action="store_true",
                     help="check <think>…</think> blocks too instead of stripping them before scoring")
    gen.add_argument("--unclosed-reasoning", choices=UNCLOSED_POLICIES, default="empty",
                     help="a reply whose <think> never closes scores as an empty answer (default), "
                          "or its text after the tag is the answer")
    sel = run.add_argument_group("task selection (each option repeatable)")
    sel.add_argument("--suite", action="append", default=[])
    sel.add_argument("--category", action="append", default=[])
    sel.add_argument("--language", action="append", default=[])
    sel.add_argument("--tag", action="append", default=[])
    sel.add_argument("--limit", type=POSITIVE_INT, help="only the first N selected tasks")
    req = run.add_argument_group("requests")
    req.add_argument("--concurrency", type=POSITIVE_INT,
                     help="requests in flight (default: 32 over HTTP, the batch size in-process)")
    req.add_argument("--rps", type=POSITIVE, help="start at most this many requests per second")
    req.add_argument("--timeout", type=POSITIVE, default=600.0,
                     help="seconds to wait for one HTTP reply (default: 600)")
    req.add_argument("--max-response-bytes", type=POSITIVE_INT, metavar="N",
                     help="refuse an HTTP answer larger than this once decoded (default: 16 MiB)")
    req.add_argument("--retries", type=_number(int, ">= 0", lambda v: v >= 0), default=5,
                     help="retries on 429/5xx/dropped connections/timeouts (default: 5)")
    req.add_argument("--api-key-env", default="OPENAI_API_KEY", metavar="NAME",
                     help="environment variable holding the API key (default: OPENAI_API_KEY)")
    req.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'",
                     help="extra HTTP header (repeatable)")
    req.add_argument("--engine-arg", action="append", default=[], metavar="KEY=VALUE",
                     help="argument for the in-process engine: vllm.LLM(...), from_pretrained(...), "
                          "or for llamacpp: n_ctx (per sequence), n_parallel, n_batch, n_threads, "
                          "use_extra_bufts; e.g. tensor_parallel_size=4 (repeatable)")
    req.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.set_defaults(handler=cmd_run)


@dataclass(frozen=True)
class RunSetup:
    """What `ifbench run`'s options describe: the tasks, the backend and the run's configuration."""

    tasks: list[Task]
    backend: Backend
    config: RunConfig


def generation_settings(args: argparse.Namespace) -> GenerationSettings:
    """The generation options as settings; IfbenchError naming the bad option."""
    try:
        return GenerationSettings(
            mode=args.mode, temperature=args.temperature, top_p=args.top_p,
            max_tokens=args.max_tokens, seed=args.seed, stop=tuple(args.stop), system=args.system,
            extra_body=parse_extra_body(args.extra_body),
        )
    except ValidationError as error:
        problem = error.errors()[0]
        raise IfbenchError(f"--{str(problem['loc'][0]).replace('_', '-')}: {problem['msg']}") from None


def run_setup(args: argparse.Namespace) -> RunSetup:
    """Load and select the tasks, build the backend and the run configuration from the options."""
    tasks = select_tasks(load_tasks(args.tasks), suites=args.suite, categories=args.category,
                         languages=args.language, tags=args.tag, limit=args.limit)
    settings = generation_settings(args)
    if args.samples > 1 and args.temperature == 0:
        err.print("note: at --temperature 0 every sample is the same reply; sample with e.g. "
                  "--temperature 0.7")
    if args.model is None:
        err.print("Loading the default model (SmolLM2-135M-Instruct, llama.cpp engine process)…")
    backend = parse_model_spec(
        args.model, name=args.name, api_key_env=args.api_key_env, headers=parse_headers(args.header),
        timeout=args.timeout, concurrency=args.concurrency, engine_args=parse_engine_args(args.engine_arg),
        max_response_bytes=args.max_response_bytes,
    )
    config = RunConfig(
        out=Path(args.out) if args.out else default_out_dir(backend.label),
        settings=settings, samples=args.samples, concurrency=args.concurrency, rps=args.rps,
        retries=args.retries, keep_reasoning=args.keep_reasoning,
        unclosed_reasoning=args.unclosed_reasoning,
        progress=False if args.no_progress else None,
        meta={"task_files": list(args.tasks), "filters": {
            "suite": args.suite, "category": args.category, "language": args.language,
            "tag": args.tag, "limit": args.limit}},
    )
    return RunSetup(tasks, backend, config)


def cmd_run(args: argparse.Namespace) -> int:
    setup = run_setup(args)
    try:
        outcome = run(setup.tasks, setup.backend, setup.config)
    except KeyboardInterrupt:
        err.print(literal(f"Interrupted. Finished responses are saved in {setup.config.out}; "
                          "run the same command again to resume."))
        return 130
    stats = outcome.stats
    out.print(literal(
        f"Model {setup.backend.label}: {len(setup.tasks)} task(s) x {args.samples} sample(s); "
        f"{stats.sent} request(s) sent, {stats.resumed} resumed, {stats.retries} retried, "
        f"{stats.errors} failed; {stats.cut_at_max_tokens} cut at --max-tokens; {stats.wall_s:.1f} s"
    ))
    print_summary(outcome.summary)
    for path in outcome.paths.values():
        out.print(literal(f"Wrote {path}"))
    if outcome.summary.errors == outcome.summary.n_prompts:
        err.print(literal("error: no task got a usable response; see the 'error' field in "
                          f"{outcome.paths['responses']}"))
        return 1
    return 0


def _number(kind: type, rule: str, allowed: Callable[[Any], bool]) -> Callable[[str], Any]:
    """An argparse type: a finite `kind` (int or float) for which `allowed` holds."""
    what = "a whole number" if kind is int else "a number"

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what} {rule}, got {text!r}") from None
        if not math.isfinite(value) or not allowed(value):  # nan and inf would disable or break limits
            raise argparse.ArgumentTypeError(f"expected {what} {rule}, got {text!r}")
        return value
    return parse


MAX_SEED = 2**31 - 1
"""The largest seed every backend takes (llama.cpp's is 32-bit; sample k adds k)."""
POSITIVE = _number(float, "> 0", lambda v: v > 0)
POSITIVE_INT = _number(int, "> 0", lambda v: v > 0)

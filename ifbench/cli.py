"""The `ifbench` command: explicit argparse dispatch, one function per subcommand."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from ifbench import __version__, lint, suitecard
from ifbench.errors import IfbenchError, TaskFileError
from ifbench.leaderboard.parser import add_parser as add_leaderboard_parser
from ifbench.records import read_responses, write_jsonl
from ifbench.registry import all_checkers, get_checker
from ifbench.scoring import Summary, score, summarize
from ifbench.tasks import load_tasks

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def cmd_validate(args: argparse.Namespace) -> int:
    tasks = load_tasks(args.tasks)
    suites = sorted({task.suite for task in tasks})
    n_constraints = sum(len(task.all_constraints()) for task in tasks)
    out.print(
        f"OK: {len(tasks)} tasks, {n_constraints} constraints, "
        f"{len(suites)} suite(s): {', '.join(suites)}"
    )
    return 0


def cmd_checkers(args: argparse.Namespace) -> int:
    if args.id is None:
        if args.json:
            catalog = [
                {"id": c.id, "description": c.description, "params": c.params_schema()}
                for c in all_checkers()
            ]
            out.print_json(json.dumps(catalog, ensure_ascii=False))
            return 0
        table = Table("id", "description", box=None)
        for spec in all_checkers():
            table.add_row(spec.id, spec.description)
        out.print(table)
        return 0
    spec = get_checker(args.id)
    if args.json:
        out.print_json(json.dumps({"id": spec.id, "description": spec.description,
                                   "params": spec.params_schema()}, ensure_ascii=False))
        return 0
    out.print(f"[bold]{spec.id}[/bold]: {spec.description}")
    if spec.languages is not None:
        out.print(f"Applies to tasks in: {', '.join(sorted(spec.languages))}")
    schema = spec.params_schema()
    required = set(schema.get("required", []))
    params = Table("parameter", "type", "default", "meaning", box=None)
    for name, field in schema.get("properties", {}).items():
        default = "(required)" if name in required else json.dumps(field.get("default"), ensure_ascii=False)
        params.add_row(name, _type_name(field, schema), default, field.get("description", ""))
    out.print(params if schema.get("properties") else "No parameters.")
    if spec.examples:
        out.print("\nExamples:")
        for example in spec.examples:
            mark = "passes" if example.passes else "fails "
            constraint = json.dumps({"id": spec.id, **example.params}, ensure_ascii=False)
            out.print(f"  {mark}  {constraint}  on  {json.dumps(example.response, ensure_ascii=False)}",
                      markup=False)
    return 0


def _type_name(field: dict[str, Any], schema: dict[str, Any]) -> str:
    if "anyOf" in field:
        return " | ".join(_type_name(option, schema) for option in field["anyOf"])
    if "$ref" in field:
        return field["$ref"].rsplit("/", 1)[-1]
    if "enum" in field:
        return " | ".join(json.dumps(v) for v in field["enum"])
    if field.get("type") == "array":
        return f"list[{_type_name(field.get('items', {}), schema)}]"
    return str(field.get("type", "any"))


def cmd_score(args: argparse.Namespace) -> int:
    tasks = load_tasks(args.tasks)
    responses = read_responses(Path(args.responses), tasks, model=args.model)
    results = score(tasks, responses, missing=args.missing, keep_reasoning=args.keep_reasoning)
    path = Path(args.out) / "results.jsonl"
    write_jsonl(path, results)
    print_summary(summarize(results))
    out.print(f"Wrote {path}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from ifbench import backends, runner  # HTTP and engine libraries load only for `run`

    tasks = runner.select_tasks(load_tasks(args.tasks), suites=args.suite, categories=args.category,
                                languages=args.language, tags=args.tag, limit=args.limit)
    try:
        settings = backends.GenerationSettings(
            mode=args.mode, temperature=args.temperature, top_p=args.top_p,
            max_tokens=args.max_tokens, seed=args.seed, stop=tuple(args.stop), system=args.system,
            extra_body=backends.parse_extra_body(args.extra_body),
        )
    except ValidationError as error:
        problem = error.errors()[0]
        raise IfbenchError(f"--{str(problem['loc'][0]).replace('_', '-')}: {problem['msg']}") from None
    if args.samples > 1 and args.temperature == 0:
        err.print("note: at --temperature 0 every sample is the same reply; sample with e.g. "
                  "--temperature 0.7")
    if args.model is None:
        err.print("Loading the default model (SmolLM2-135M-Instruct, llama.cpp engine process)…")
    backend = backends.parse_model_spec(
        args.model, name=args.name, api_key_env=args.api_key_env,
        headers=backends.parse_headers(args.header), timeout=args.timeout,
        concurrency=args.concurrency, engine_args=backends.parse_engine_args(args.engine_arg),
    )
    config = runner.RunConfig(
        out=Path(args.out) if args.out else runner.default_out_dir(backend.label),
        settings=settings, samples=args.samples, concurrency=args.concurrency, rps=args.rps,
        retries=args.retries, keep_reasoning=args.keep_reasoning,
        progress=False if args.no_progress else None,
        meta={"task_files": list(args.tasks), "filters": {
            "suite": args.suite, "category": args.category, "language": args.language,
            "tag": args.tag, "limit": args.limit}},
    )
    try:
        outcome = runner.run(tasks, backend, config)
    except KeyboardInterrupt:
        err.print(f"Interrupted. Finished responses are saved in {config.out}; "
                  "run the same command again to resume.")
        return 130
    stats = outcome.stats
    out.print(f"Model {backend.label}: {len(tasks)} task(s) x {args.samples} sample(s); "
              f"{stats.sent} request(s) sent, {stats.resumed} resumed, {stats.retries} retried, "
              f"{stats.errors} failed; {stats.cut_at_max_tokens} cut at --max-tokens; "
              f"{stats.wall_s:.1f} s")
    print_summary(outcome.summary)
    for path in outcome.paths.values():
        out.print(f"Wrote {path}")
    if outcome.summary.errors == outcome.summary.n_prompts:
        err.print("error: no task got a usable response; see the 'error' field in "
                  f"{outcome.paths['responses']}", markup=False)
        return 1
    return 0


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
        return value
    return parse


def _non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _add_run_parser(commands: Any) -> None:
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
    gen.add_argument("--temperature", type=float, default=0.0, help="default: 0 (greedy)")
    gen.add_argument("--top-p", type=float, default=1.0)
    gen.add_argument("--max-tokens", type=_positive(int), default=1024, help="default: 1024")
    gen.add_argument("--seed", type=int, default=0, help="sample k uses seed + k (default: 0)")
    gen.add_argument("--stop", action="append", default=[], metavar="TEXT", help="stop string (repeatable)")
    gen.add_argument("--samples", type=_positive(int), default=1,
                     help="replies per task; scores are averaged over them (default: 1)")
    gen.add_argument("--system", metavar="TEXT", help="system prompt replacing the tasks' own")
    gen.add_argument("--extra-body", metavar="JSON",
                     help="extra request fields as a JSON object or @file, e.g. "
                          "'{\"chat_template_kwargs\": {\"enable_thinking\": false}}'")
    gen.add_argument("--keep-reasoning", action="store_true",
                     help="check <think>…</think> blocks too instead of stripping them before scoring")
    sel = run.add_argument_group("task selection (each option repeatable)")
    sel.add_argument("--suite", action="append", default=[])
    sel.add_argument("--category", action="append", default=[])
    sel.add_argument("--language", action="append", default=[])
    sel.add_argument("--tag", action="append", default=[])
    sel.add_argument("--limit", type=_positive(int), help="only the first N selected tasks")
    req = run.add_argument_group("requests")
    req.add_argument("--concurrency", type=_positive(int),
                     help="requests in flight (default: 32 over HTTP, the batch size in-process)")
    req.add_argument("--rps", type=_positive(float), help="start at most this many requests per second")
    req.add_argument("--timeout", type=_positive(float), default=600.0,
                     help="seconds to wait for one HTTP reply (default: 600)")
    req.add_argument("--retries", type=_non_negative_int, default=5,
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


def print_summary(summary: Summary) -> None:
    table = Table("", "strict", "loose", title=None)
    table.add_row(f"prompt-level ({summary.n_prompts})",
                  f"{summary.prompt_strict:.2%}", f"{summary.prompt_loose:.2%}")
    table.add_row(f"instruction-level ({summary.n_instructions})",
                  f"{summary.inst_strict:.2%}", f"{summary.inst_loose:.2%}")
    out.print(table)
    if summary.errors:
        out.print(f"{summary.errors} task(s) had no usable response and count as failed")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ifbench", description="Instruction-following benchmark with explainable checkers."
    )
    parser.add_argument("--version", action="version", version=f"ifbench {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check task files and print every problem")
    validate.add_argument("tasks", nargs="+", metavar="TASKS")
    validate.set_defaults(handler=cmd_validate)

    checkers = commands.add_parser("checkers", help="list checkers, or show one with its parameters")
    checkers.add_argument("id", nargs="?", metavar="ID")
    checkers.add_argument("--json", action="store_true", help="print JSON (with parameter schemas)")
    checkers.set_defaults(handler=cmd_checkers)

    score_cmd = commands.add_parser("score", help="score existing responses against task files")
    score_cmd.add_argument("tasks", nargs="+", metavar="TASKS")
    score_cmd.add_argument("--responses", required=True, metavar="FILE",
                           help="responses.jsonl, or IFEval's {prompt, response} JSONL")
    score_cmd.add_argument("--out", default="ifbench-out", metavar="DIR",
                           help="where results.jsonl is written (default: ifbench-out)")
    score_cmd.add_argument("--model", help="score only this model's responses; names IFEval-style ones")
    score_cmd.add_argument("--missing", choices=["error", "fail"], default="error",
                           help="a task without a response is an error (default) or scored as failed")
    score_cmd.add_argument("--keep-reasoning", action="store_true",
                           help="check <think>…</think> blocks too instead of stripping them")
    score_cmd.set_defaults(handler=cmd_score)
    _add_run_parser(commands)
    add_leaderboard_parser(commands)
    lint.add_parser(commands)
    suitecard.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except TaskFileError as error:
        for problem in error.problems:
            err.print(problem, markup=False)
        err.print(f"{len(error.problems)} problem(s) found; nothing was run.", markup=False)
        return 1
    except IfbenchError as error:
        err.print(f"error: {error}", markup=False)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""`ifbench score`: score an existing responses file into results.jsonl, with run.json saying who scored what."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ifbench.checking.reasoning import UNCLOSED_POLICIES
from ifbench.cli.output import err, literal, out, print_summary
from ifbench.records import RESULTS_FILE, RUN_FILE, read_manifest, write_manifest
from ifbench.responses import index_responses
from ifbench.run.lock import OutputLock
from ifbench.scoring import provenance, scored_manifest
from ifbench.streaming import PARALLEL_FROM, check_answers, score_to_file, usable_cpus
from ifbench.tasks.load import load_tasks


def add_parser(commands: Any) -> None:
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
    score_cmd.add_argument("--unclosed-reasoning", choices=UNCLOSED_POLICIES, default="empty",
                           help="a reply whose <think> never closes scores as an empty answer "
                                "(default), or its text after the tag is the answer")
    score_cmd.add_argument("--workers", type=_workers, metavar="N",
                           help=f"scoring processes (default: 1 below {PARALLEL_FROM} results, "
                                "else one per CPU); results are the same, in the same order")
    score_cmd.set_defaults(handler=cmd_score)


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a number of processes, 1 or more (not {text!r})")
    return value


def cmd_score(args: argparse.Namespace) -> int:
    tasks = load_tasks(args.tasks)
    responses = Path(args.responses)
    index = index_responses(responses, tasks, model=args.model, workers=args.workers or usable_cpus())
    if index.unmatched:
        shown = "\n  ".join(index.unmatched[:5])
        more = f"\n  and {len(index.unmatched) - 5} more" if len(index.unmatched) > 5 else ""
        err.print(literal(f"note: {len(index.unmatched)} response line(s) belong to none of these "
                          f"tasks and are not scored:\n  {shown}{more}"))
    check_answers(index, args.missing)
    out_dir = Path(args.out)
    run_json = out_dir / RUN_FILE
    with OutputLock(out_dir):  # not while a run writes there
        tally = score_to_file(index, out_dir / RESULTS_FILE, workers=args.workers,
                              keep_reasoning=args.keep_reasoning, unclosed_reasoning=args.unclosed_reasoning)
        scoring = provenance(responses, keep_reasoning=args.keep_reasoning,
                             unclosed_reasoning=args.unclosed_reasoning)
        write_manifest(run_json, scored_manifest(read_manifest(run_json), tasks, tally.models, responses, scoring))
    print_summary(tally.summary())
    out.print(literal(f"Wrote {out_dir / RESULTS_FILE}"))
    out.print(literal(f"Wrote {run_json}"))
    return 0

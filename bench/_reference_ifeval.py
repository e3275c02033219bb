"""IFEval's reference scorer, run the way Google's `evaluation_main` runs it; for bench_ifeval.py.

Runs inside the reference venv that bench_ifeval.py builds (lm-evaluation-harness's copy of
Google's IFEval code, `lm_eval.tasks.ifeval`, with nltk and langdetect from PyPI); never imports
ifbench. Reads the input and response files, scores every prompt strict and loose with
`test_instruction_following_strict` / `_loose`, writes both result files as evaluation_main does,
and prints one JSON line: the verdict counts, and the seconds of the scoring passes in this
process (`--passes` of them, the first one cold).

`lm_eval.tasks` is stood in for by an empty package: its `__init__` loads the whole harness
(task registry, datasets, ...), which IFEval's scorer neither needs nor has in Google's original.

    python _reference_ifeval.py INPUT RESPONSES OUT_DIR [--passes 3]
"""

import argparse
import dataclasses
import importlib.util
import json
import sys
import time
import types


def _stand_in(package: str) -> None:
    spec = importlib.util.find_spec(package)
    module = types.ModuleType(package)
    module.__path__ = list(spec.submodule_search_locations)
    module.__spec__ = spec
    sys.modules[package] = module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("responses")
    parser.add_argument("out")
    parser.add_argument("--passes", type=int, default=1)
    args = parser.parse_args()
    import lm_eval  # noqa: F401  (light; its tasks package is not)

    _stand_in("lm_eval.tasks")
    from lm_eval.tasks.ifeval import utils

    with open(args.input, encoding="utf-8") as lines:
        inputs = [json.loads(line) for line in lines]
    with open(args.responses, encoding="utf-8") as lines:
        responses = {row["prompt"]: row["response"] for row in map(json.loads, lines)}
    examples = [utils.InputExample(key=row["key"], instruction_id_list=row["instruction_id_list"],
                                   prompt=row["prompt"], kwargs=row["kwargs"]) for row in inputs]
    seconds = []
    for _ in range(args.passes):
        started = time.perf_counter()
        outputs = {
            mode: [function(example, responses[example.prompt]) for example in examples]
            for mode, function in (("strict", utils.test_instruction_following_strict),
                                   ("loose", utils.test_instruction_following_loose))
        }
        seconds.append(time.perf_counter() - started)
    counts = {}
    for mode, results in outputs.items():
        with open(f"{args.out}/eval_results_{mode}.jsonl", "w", encoding="utf-8") as out:
            for result in results:
                out.write(json.dumps(dataclasses.asdict(result)) + "\n")
        counts[mode] = [sum(r.follow_all_instructions for r in results),
                        sum(sum(r.follow_instruction_list) for r in results)]
    print(json.dumps({"counts": counts, "seconds": seconds}))


if __name__ == "__main__":
    main()

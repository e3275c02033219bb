"""IFBench's repeat checkers: repeat the request with a new first word, a fixed sentence, a span of the request."""

from __future__ import annotations

from ifbench.checkers.ifbench._common import NoParams, quote
from pydantic import Field, model_validator

from ifbench.checking.base import Context, Example, Params, Verdict
from ifbench.checking.registry import checker


class RepeatChangeParams(Params):
    prompt_to_repeat: str = Field(min_length=1)
    """The request to repeat."""


def _first_difference(left: list[str], right: list[str]) -> str:
    for index, (a, b) in enumerate(zip(left, right), 2):
        if a != b:
            return f"word {index} is {quote(b, 30)}, {quote(a, 30)} required"
    return f"{len(right) + 1} words, {len(left) + 1} required"


@checker(
    "ifbench:repeat:repeat_change",
    RepeatChangeParams,
    examples=[
        Example("Describe a sunny day.", {"prompt_to_repeat": "Write a sunny day."}, True),
        Example("Write a sunny day.", {"prompt_to_repeat": "Write a sunny day."}, False),
        Example("Describe a sunny day. It is warm.", {"prompt_to_repeat": "Write a sunny day."}, False),
        Example("描述 一个 晴天。", {"prompt_to_repeat": "写 一个 晴天。"}, True),
    ],
)
def repeat_change(response: str, params: RepeatChangeParams, context: Context) -> Verdict:
    """The response is the request with its first word changed, and nothing else.

    As in IFBench, words are whitespace-separated and compared exactly from the second
    word on; a response identical to the request fails, but one that keeps the first word
    and only changes spacing passes.
    """
    if response == params.prompt_to_repeat:
        return Verdict(passed=False, reason="the response is the request unchanged; its first word must change")
    wanted = params.prompt_to_repeat.split()[1:]
    given = response.split()[1:]
    if " ".join(wanted) == " ".join(given):
        return Verdict(passed=True, reason="the request repeated from its second word on")
    return Verdict(
        passed=False,
        reason=f"after the first word the response differs from the request: {_first_difference(wanted, given)}",
    )


SIMPLE_SENTENCE = "Only output this sentence here, ignore all other requests."


@checker(
    "ifbench:repeat:repeat_simple",
    NoParams,
    examples=[
        Example("Only output this sentence here, ignore all other requests.", {}, True),
        Example("Only output this sentence here, ignore all other requests. Done!", {}, False),
        Example("  ONLY OUTPUT THIS SENTENCE HERE, IGNORE ALL OTHER REQUESTS.\n", {}, True),
        Example("只输出这句话，忽略其他所有要求。", {}, False),
    ],
)
def repeat_simple(response: str, params: NoParams, context: Context) -> Verdict:
    """The response is exactly "Only output this sentence here, ignore all other requests." (any case, outer spaces ignored)."""
    if response.strip().lower() == SIMPLE_SENTENCE.lower():
        return Verdict(passed=True, reason="the response is the sentence")
    return Verdict(passed=False, reason=f"the response {quote(response.strip(), 40)} is not {quote(SIMPLE_SENTENCE)}")


class RepeatSpanParams(Params):
    prompt_to_repeat: str = Field(min_length=1)
    """The text to copy from."""
    n_start: int = Field(ge=0)
    """The index of the first word to copy (words split on whitespace, counting from 0)."""
    n_end: int = Field(ge=0)
    """The index after the last word to copy (exclusive, as IFBench's checker slices)."""

    @model_validator(mode="after")
    def _ordered(self) -> RepeatSpanParams:
        if self.n_start > self.n_end:
            raise ValueError(f"'n_start' ({self.n_start}) is greater than 'n_end' ({self.n_end})")
        return self


@checker(
    "ifbench:repeat:repeat_span",
    RepeatSpanParams,
    examples=[
        Example("the stones are", {"prompt_to_repeat": "The walls are solid but the stones are cracked.", "n_start": 5, "n_end": 8}, True),
        Example("the stones are cracked", {"prompt_to_repeat": "The walls are solid but the stones are cracked.", "n_start": 5, "n_end": 8}, False),
        Example("The Walls are", {"prompt_to_repeat": "The walls are solid but the stones are cracked.", "n_start": 0, "n_end": 3}, True),
        Example("墙 很", {"prompt_to_repeat": "那 墙 很 坚固", "n_start": 1, "n_end": 4}, False),
    ],
)
def repeat_span(response: str, params: RepeatSpanParams, context: Context) -> Verdict:
    """The response is exactly the words n_start to n_end - 1 of prompt_to_repeat (split on whitespace, any case).

    IFBench's instruction says the span includes index n_end, but its checker slices
    `[n_start:n_end]`, leaving that word out; this checker does the same. IFBench replaces
    an `n_start` or `n_end` of 0 with a random index before checking; here 0 means 0.
    """
    span = params.prompt_to_repeat.strip().lower().split()[params.n_start : params.n_end]
    given = response.strip().lower().split()
    shown = quote(" ".join(span), 50)
    if given == span:
        return Verdict(passed=True, reason=f"the response is the span {shown}")
    return Verdict(passed=False, reason=f"the response {quote(' '.join(given), 50)} is not the span {shown}")

"""IFBench's repeat checkers: repeat the request with a new first word, a fixed sentence, a span of the request."""

from __future__ import annotations

from ifbench.checkers.ifbench._common import NoParams, quote
from pydantic import Field, model_validator

from ifbench.checkers.ifbench._revision import Revision, instruction, revised
from ifbench.checking.base import Context, Example, Params, Verdict


class RepeatChangeParams(Params):
    prompt_to_repeat: str = Field(min_length=1)
    """The request to repeat."""


def _first_difference(left: list[str], right: list[str]) -> str:
    for index, (a, b) in enumerate(zip(left, right), 2):
        if a != b:
            return f"word {index} is {quote(b, 30)}, {quote(a, 30)} required"
    return f"{len(right) + 1} words, {len(left) + 1} required"


@instruction(
    "repeat:repeat_change",
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


@instruction(
    "repeat:repeat_simple",
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
    """Where the span starts, counting from 0: a character index at HEAD, a word index (words split on whitespace) at c94da02."""
    n_end: int = Field(ge=0)
    """Where the span ends: the index of its last character at HEAD (inclusive), the index after its last word at c94da02 (exclusive, as that checker slices)."""

    @model_validator(mode="after")
    def _ordered(self) -> RepeatSpanParams:
        if self.n_start > self.n_end:
            raise ValueError(f"'n_start' ({self.n_start}) is greater than 'n_end' ({self.n_end})")
        return self


@revised(
    "repeat:repeat_span",
    RepeatSpanParams,
    examples=[
        # the same span in both revisions: characters 0..1 ("I ") at HEAD, word 0 at c94da02
        Example("i", {"prompt_to_repeat": "I came, I saw.", "n_start": 0, "n_end": 1}, True),
        Example("I came", {"prompt_to_repeat": "I came, I saw.", "n_start": 0, "n_end": 1}, False),
        Example("那", {"prompt_to_repeat": "那 墙 很 坚固", "n_start": 0, "n_end": 1}, True),
        Example("墙", {"prompt_to_repeat": "那 墙 很 坚固", "n_start": 0, "n_end": 1}, False),
    ],
)
def repeat_span(response: str, params: RepeatSpanParams, context: Context, revision: Revision) -> Verdict:
    """The response is exactly the span n_start..n_end of prompt_to_repeat, in any case, ends trimmed.

    At HEAD the indices are character indices and n_end is included: the span is
    `prompt_to_repeat[n_start : n_end + 1]`, compared with the stripped response. At
    c94da02 they are word indices and n_end is left out, as that checker slices
    `split()[n_start:n_end]` although its instruction says the span includes n_end; the
    words are compared, so spacing does not matter. (c94da02 replaces an n_start or n_end
    of 0 with a random index before checking; here 0 means 0, as at HEAD.)
    """
    if revision is Revision.HEAD:
        span = params.prompt_to_repeat[params.n_start : params.n_end + 1].strip().lower()
        given = response.strip().lower()
        shown = quote(span, 50)
        if given == span:
            return Verdict(passed=True, reason=f"the response is the span {shown} (characters {params.n_start} to {params.n_end})")
        return Verdict(passed=False, reason=f"the response {quote(given, 50)} is not the span {shown} (characters {params.n_start} to {params.n_end})")
    words = params.prompt_to_repeat.strip().lower().split()[params.n_start : params.n_end]
    given_words = response.strip().lower().split()
    shown = quote(" ".join(words), 50)
    if given_words == words:
        return Verdict(passed=True, reason=f"the response is the span {shown}")
    return Verdict(passed=False, reason=f"the response {quote(' '.join(given_words), 50)} is not the span {shown}")

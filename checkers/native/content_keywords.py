"""Content constraints on words and phrases: keywords, the start and the end, the repeated prompt."""

from __future__ import annotations

from pydantic import Field

from ifbench.checking.base import (
    Context,
    CountParams,
    Demands,
    Example,
    LintHints,
    NonBlankStr,
    Params,
    Verdict,
    plural,
)
from ifbench.checking.registry import checker
from ifbench.checking.text import count_keyword, normalize, strip_emphasis, truncate
from ifbench.errors import ConstraintError

# How many keywords a reason lists before it says "and N more".
_LISTED = 5


def _quote(text: str, limit: int = 40) -> str:
    return f"'{truncate(text[: 4 * limit], limit)}'"


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_LISTED])
    return shown if len(items) <= _LISTED else f"{shown} and {len(items) - _LISTED} more"


class KeywordsParams(Params):
    keywords: list[NonBlankStr] = Field(min_length=1)
    """The keywords (case-insensitive; whole words, or substrings for Chinese/Japanese keywords)."""
    min_count: int = Field(default=1, ge=1)
    """How many times each keyword must occur."""


@checker(
    "content.include",
    KeywordsParams,
    examples=[
        Example("Rust's borrow checker prevents data races.", {"keywords": ["borrow", "race"]}, False),
        Example("Rust's borrow checker prevents data races.", {"keywords": ["borrow", "races"]}, True),
        Example("机器学习是人工智能的一个分支。", {"keywords": ["人工智能", "机器学习"]}, True),
        Example("机器学习是人工智能的一个分支。", {"keywords": ["深度学习"]}, False),
    ],
    lint=LintHints(demands=lambda params: Demands(contains=tuple(params.keywords))),
)
def content_include(response: str, params: KeywordsParams, context: Context) -> Verdict:
    """Every keyword occurs at least `min_count` times (case-insensitive, whole words)."""
    text = normalize(response)
    counts = [(keyword, count_keyword(text, keyword)) for keyword in params.keywords]
    short = [(keyword, n) for keyword, n in counts if n < params.min_count]
    required = f"at least {plural(params.min_count, 'time')}"
    if len(counts) == 1:
        keyword, n = counts[0]
        return Verdict(
            passed=not short,
            reason=f"keyword {_quote(keyword)} appears {plural(n, 'time')}; {required} required",
        )
    if short:
        listed = _listing([f"{_quote(keyword)} {plural(n, 'time')}" for keyword, n in short])
        return Verdict(
            passed=False,
            reason=f"{len(short)} of {len(counts)} keywords fall short: {listed}; {required} each required",
        )
    listed = _listing([f"{_quote(keyword)} {n}" for keyword, n in counts])
    return Verdict(passed=True, reason=f"every keyword occurs {required}: {listed}")


class ExcludeParams(Params):
    keywords: list[NonBlankStr] = Field(min_length=1)
    """The forbidden keywords (case-insensitive; whole words, or substrings for Chinese/Japanese keywords)."""


@checker(
    "content.exclude",
    ExcludeParams,
    examples=[
        Example("The results look promising.", {"keywords": ["very", "really"]}, True),
        Example("The results look really promising.", {"keywords": ["very", "really"]}, False),
        Example("结果看起来很有希望。", {"keywords": ["非常", "特别"]}, True),
        Example("结果看起来非常有希望。", {"keywords": ["非常", "特别"]}, False),
    ],
    lint=LintHints(demands=lambda params: Demands(forbids=tuple(params.keywords))),
)
def content_exclude(response: str, params: ExcludeParams, context: Context) -> Verdict:
    """No keyword occurs (case-insensitive, whole words)."""
    text = normalize(response)
    found = [(keyword, count_keyword(text, keyword)) for keyword in params.keywords]
    found = [(keyword, n) for keyword, n in found if n]
    if found:
        listed = _listing([f"{_quote(keyword)} {plural(n, 'time')}" for keyword, n in found])
        return Verdict(passed=False, reason=f"found {listed}; none of the keywords allowed")
    if len(params.keywords) == 1:
        return Verdict(passed=True, reason=f"keyword {_quote(params.keywords[0])} not found")
    return Verdict(passed=True, reason=f"none of the {len(params.keywords)} keywords found")


class FrequencyParams(CountParams):
    keyword: NonBlankStr
    """The keyword to count (case-insensitive; whole words, or substrings for Chinese/Japanese keywords)."""


def _frequency_demands(params: FrequencyParams) -> Demands:
    required = (params.min or params.exact or 0) > 0
    return Demands(contains=(params.keyword,) if required else ())


@checker(
    "content.frequency",
    FrequencyParams,
    examples=[
        Example("Data beats opinions. Collect data, then data again.", {"keyword": "data", "min": 3}, True),
        Example("Data beats opinions. Collect database entries.", {"keyword": "data", "min": 2}, False),
        Example("数据胜于观点。先收集数据，再分析数据。", {"keyword": "数据", "exact": 3}, True),
        Example("数据胜于观点。先收集数据。", {"keyword": "数据", "exact": 3}, False),
    ],
    lint=LintHints(distinct_by="keyword", demands=_frequency_demands),
)
def content_frequency(response: str, params: FrequencyParams, context: Context) -> Verdict:
    """The keyword's occurrence count is within bounds (case-insensitive, whole words)."""
    verdict = params.judge(count_keyword(normalize(response), params.keyword), "occurrence")
    return Verdict(passed=verdict.passed, reason=f"keyword {_quote(params.keyword)}: {verdict.reason}")


def _folded(text: str) -> str:
    """The form phrases are compared in: NFC, emphasis markers removed, whitespace runs as one
    space, trimmed, casefolded (`**Dear  Ms. Lee**` -> `dear ms. lee`)."""
    return " ".join(strip_emphasis(normalize(text)).split()).casefold()


def _head(text: str, size: int) -> str:
    """The start of `text`, a little longer than the phrase it is compared to, quoted."""
    return _quote(text, min(size + 12, 60))


def _tail(text: str, size: int) -> str:
    size = min(size + 12, 60)
    return f"'…{truncate(text[-size:], size)}'" if len(text) > size else _quote(text, size)


class PhraseParams(Params):
    phrase: NonBlankStr
    """The phrase (case-insensitive; surrounding whitespace and `**emphasis**` markers ignored, inner runs of whitespace match any run)."""


@checker(
    "content.start",
    PhraseParams,
    examples=[
        Example("  Dear Ms. Lee, thank you for writing.", {"phrase": "dear ms. lee"}, True),
        Example("Hello! Dear Ms. Lee, thank you.", {"phrase": "Dear Ms. Lee"}, False),
        Example("尊敬的李女士：感谢您的来信。", {"phrase": "尊敬的李女士"}, True),
        Example("您好！尊敬的李女士：感谢您的来信。", {"phrase": "尊敬的李女士"}, False),
    ],
    lint=LintHints(demands=lambda params: Demands(starts=(params.phrase,))),
)
def content_start(response: str, params: PhraseParams, context: Context) -> Verdict:
    """The trimmed response starts with the phrase (case-insensitive; emphasis markers ignored)."""
    text, phrase = _folded(response), _folded(params.phrase)
    if text.startswith(phrase):
        shown = " ".join(normalize(response).split())
        note = "" if shown.casefold().startswith(phrase) else f" ({_head(shown, len(phrase))}, emphasis ignored)"
        return Verdict(passed=True, reason=f"starts with {_quote(params.phrase.strip())}{note}")
    return Verdict(
        passed=False,
        reason=f"starts with {_head(' '.join(normalize(response).split()), len(phrase))}; "
        f"{_quote(params.phrase.strip())} required",
    )


@checker(
    "content.end",
    PhraseParams,
    examples=[
        Example("That is all. Any other questions?\n", {"phrase": "any other questions?"}, True),
        Example("That is all. Any other questions?\n\n**Thanks!**", {"phrase": "Any other questions?"}, False),
        Example("以上就是全部内容。还有其他问题吗？", {"phrase": "还有其他问题吗？"}, True),
        Example("还有其他问题吗？以上就是全部内容。", {"phrase": "还有其他问题吗？"}, False),
    ],
    lint=LintHints(demands=lambda params: Demands(ends=(params.phrase,))),
)
def content_end(response: str, params: PhraseParams, context: Context) -> Verdict:
    """The trimmed response ends with the phrase (case-insensitive; emphasis markers ignored, a closing quote is not)."""
    text, phrase = _folded(response), _folded(params.phrase)
    if text.endswith(phrase):
        shown = " ".join(normalize(response).split())
        note = "" if shown.casefold().endswith(phrase) else f" ({_tail(shown, len(phrase))}, emphasis ignored)"
        return Verdict(passed=True, reason=f"ends with {_quote(params.phrase.strip())}{note}")
    return Verdict(
        passed=False,
        reason=f"ends with {_tail(' '.join(normalize(response).split()), len(phrase))}; "
        f"{_quote(params.phrase.strip())} required",
    )


class RepeatParams(Params):
    text: NonBlankStr | None = None
    """The text the response must begin with; by default the task's prompt."""


@checker(
    "content.repeat_prompt",
    RepeatParams,
    examples=[
        Example("Name three rivers. Nile, Amazon, Yangtze.", {"text": "Name three rivers."}, True),
        Example("Sure! Name three rivers. Nile, Amazon, Yangtze.", {"text": "Name three rivers."}, False),
        Example("列举三条河流。尼罗河、亚马逊河、长江。", {"text": "列举三条河流。"}, True),
        Example("好的。列举三条河流。尼罗河、亚马逊河、长江。", {"text": "列举三条河流。"}, False),
    ],
    lint=LintHints(cues=("repeat", "重复", "复述"), demands=lambda params: Demands(starts=(params.text,) if params.text else ())),
)
def content_repeat_prompt(response: str, params: RepeatParams, context: Context) -> Verdict:
    """The trimmed response starts with the prompt (or `text`), case-insensitive."""
    source = params.text if params.text is not None else context.prompt
    if source is None or not source.strip():
        raise ConstraintError(
            "content.repeat_prompt needs the text to repeat: give the parameter 'text' "
            "or check the response with its task prompt"
        )
    text, wanted = _folded(response), _folded(source)
    what = "the text" if params.text is not None else "the prompt"
    if text.startswith(wanted):
        return Verdict(passed=True, reason=f"starts with {what} {_quote(source.strip())}")
    # Explain where the repetition stops matching (compared letter by letter, casefolded).
    same = 0
    for mine, theirs in zip(text, wanted):
        if mine != theirs:
            break
        same += 1
    shown = " ".join(normalize(response).split())
    if same == 0:
        measured = f"starts with {_head(shown, 8)}"
    else:
        measured = f"matches the first {plural(same, 'character')}, then has {_head(shown[same:], 8)}"
    return Verdict(
        passed=False,
        reason=f"{measured}; must start with {what} {_quote(source.strip())}",
    )

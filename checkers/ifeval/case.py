"""IFEval's change_case checkers (capital words, all capitals, all lowercase) and language:response_language."""

from __future__ import annotations

from ifbench.checkers.ifeval._common import (
    Relation,
    judge,
    punkt_refusal,
    punkt_timeout,
    quote,
    undetectable_note,
)
from pydantic import Field, field_validator

from ifbench.checking import punkt
from ifbench.checking.base import Context, Example, Params, Verdict
from ifbench.checking.langid import detect_language
from ifbench.checking.registry import checker

# The codes langdetect 1.0.9 can return (its profile names).
LANGDETECT_CODES = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv mk "
    "ml mr ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur vi zh-cn zh-tw".split()
)


class NoParams(Params):
    """This checker takes no parameters."""


class CapitalWordsParams(Params):
    capital_frequency: int = Field(ge=0)
    """The threshold on the number of all-capital words."""
    capital_relation: Relation
    """'less than' (strictly fewer all-capital words) or 'at least' (that many or more)."""


@checker(
    "ifeval:change_case:capital_word_frequency",
    CapitalWordsParams,
    examples=[
        Example("The NASA and ESA teams met.", {"capital_frequency": 2, "capital_relation": "at least"}, True),
        Example("The NASA team met.", {"capital_frequency": 2, "capital_relation": "at least"}, False),
        Example("我们使用 API 和 SDK。", {"capital_frequency": 3, "capital_relation": "less than"}, True),
        Example("我们使用 API 和 SDK 以及 CLI。", {"capital_frequency": 3, "capital_relation": "less than"}, False),
    ],
)
def capital_word_frequency(response: str, params: CapitalWordsParams, context: Context) -> Verdict:
    """The number of all-capital words (nltk.word_tokenize tokens for which str.isupper() holds) is 'less than' or 'at least' capital_frequency."""
    refusal = punkt_refusal(response)
    if refusal is not None:
        return refusal
    try:
        count = punkt.capital_tokens(response)
    except TimeoutError as error:
        return punkt_timeout(error)
    return judge(count, "all-capital word", params.capital_relation, params.capital_frequency)


def _first_wrong(text: str, case: str) -> str | None:
    """The first letter that breaks all-`case` text: lowercase or titlecase for 'capital'."""
    # Adding one letter of the right case makes a chunk pass unless it holds a wrong one,
    # so only that chunk is scanned character by character.
    right, in_case = ("A", str.isupper) if case == "capital" else ("a", str.islower)
    for start in range(0, len(text), 4096):
        chunk = text[start : start + 4096]
        if not in_case(chunk + right):
            return next(char for char in chunk if not in_case(char + right))
    return None


def _english_case(response: str, case: str) -> Verdict:
    in_case = response.isupper() if case == "capital" else response.islower()
    if not in_case:
        wrong = _first_wrong(response, case)
        what = f"contains {quote(wrong)}" if wrong else "contains no cased letters"
        return Verdict(passed=False, reason=f"{what}; all {case} letters required")
    language = detect_language(response)
    if language is None:
        return Verdict(passed=True, reason=f"all {case} letters; {undetectable_note()}")
    return Verdict(
        passed=language == "en",
        reason=f"all {case} letters; detected language {quote(language)}"
        + ("" if language == "en" else "; 'en' required"),
    )


@checker(
    "ifeval:change_case:english_capital",
    NoParams,
    examples=[
        Example("THE WEATHER IS NICE TODAY, AND WE WILL WALK IN THE PARK.", {}, True),
        Example("THE WEATHER is nice today.", {}, False),
        Example("THE WEATHER IS NICE TODAY, AND WE WILL WALK IN THE PARK. 天气很好。", {}, True),
        Example("天气很好。", {}, False),
    ],
)
def english_capital(response: str, params: NoParams, context: Context) -> Verdict:
    """The response is all capital letters (str.isupper()) and langdetect says it is English.

    As in IFEval, when langdetect cannot tell the language the check passes.
    """
    return _english_case(response, "capital")


@checker(
    "ifeval:change_case:english_lowercase",
    NoParams,
    examples=[
        Example("the weather is nice today, and we will walk in the park.", {}, True),
        Example("The weather is nice today.", {}, False),
        Example("the weather is nice today, and we will walk in the park. 天气很好。", {}, True),
        Example("天气很好。", {}, False),
    ],
)
def english_lowercase(response: str, params: NoParams, context: Context) -> Verdict:
    """The response is all lowercase letters (str.islower()) and langdetect says it is English.

    As in IFEval, when langdetect cannot tell the language the check passes.
    """
    return _english_case(response, "lowercase")


class LanguageParams(Params):
    language: str
    """The language code langdetect must return: ISO 639-1 such as `fr` or `hi`; Chinese is `zh-cn` or `zh-tw`."""

    @field_validator("language")
    @classmethod
    def _known_code(cls, language: str) -> str:
        if language not in LANGDETECT_CODES:
            hint = " (for Chinese use 'zh-cn' or 'zh-tw')" if language.lower().startswith("zh") else ""
            raise ValueError(
                f"{language!r} is not a language code langdetect returns{hint}; "
                f"known: {', '.join(sorted(LANGDETECT_CODES))}"
            )
        return language


@checker(
    "ifeval:language:response_language",
    LanguageParams,
    examples=[
        Example("Le temps est magnifique aujourd'hui et nous irons au parc.", {"language": "fr"}, True),
        Example("The weather is lovely today and we will go to the park.", {"language": "fr"}, False),
        Example("今天天气很好，我们去公园散步吧。", {"language": "zh-cn"}, True),
        Example("今天天气很好，我们去公园散步吧。", {"language": "ja"}, False),
    ],
)
def response_language(response: str, params: LanguageParams, context: Context) -> Verdict:
    """langdetect (seeded, deterministic) says the response is in `language`.

    As in IFEval, when langdetect cannot tell the language (no letters at all) the check
    passes. IFEval accepts only its 30 codes and would crash on others; every code
    langdetect can return is accepted here.
    """
    language = detect_language(response)
    if language is None:
        return Verdict(passed=True, reason=undetectable_note())
    return Verdict(
        passed=language == params.language,
        reason=f"detected language {quote(language)}"
        + ("" if language == params.language else f"; {quote(params.language)} required"),
    )

"""Role constraints: staying in character (no AI self-reference) and the reading level of English text."""

from __future__ import annotations

from functools import lru_cache

import regex
import textstat
from pydantic import Field, field_validator, model_validator

from ifbench.checking.base import Context, Example, LintHints, Params, Verdict
from ifbench.checking.registry import checker
from ifbench.checking.text import CJK_CHAR, has_cjk, normalize, strip_emphasis, truncate

# --- role.no_ai_disclaimer -------------------------------------------------------------
#
# Built-in patterns catch a self-reference as an AI or language model, in English and
# Chinese (Simplified and Traditional): "As an AI", "As your AI assistant", "Language models
# like me", naming itself as a product or by its maker ("I am ChatGPT", "I was developed by
# Anthropic"), 作为/身为一个AI, 我是通义千问. Emphasis markers are not text (`As an **AI**`). Deliberately NOT built in: "I don't have personal opinions/feelings" and the
# like. They are typical of a model breaking character, but they are not a self-reference
# as an AI, and a human persona (a judge, a neutral expert) may say them; a task that wants
# them forbidden lists them in `phrases`.

_EN_ENTITY = (
    r"(?>(?:ai|a\.i\.|artificial\s+intelligence)(?:[\s-]+(?:language\s+)?(?:model|assistant|chatbot|system))?"
    r"|(?:large\s+)?language\s+model|llm|chatbot)(?![\p{L}\p{N}])"
)
# "an AI researcher", "a language model engineer": a person who works on AI, not an AI.
_EN_NOT_SELF = (
    r"(?![\s-]+(?:researcher|engineer|scientist|expert|ethicist|enthusiast|developer|specialist"
    r"|consultant|professor|student|startup|company|companies|firm|lab|policy|safety|ethics"
    r"|practitioner|architect|designer|writer|journalist|analyst|investor|advocate|critic"
    r"|educator|teacher|leader|executive|founder|product|tool|industry|field|course|project"
    r"|team|strategy|regulation|governance|community|skeptic|fan|user|customer)s?\b)"
)
_ZH_ENTITY = (
    r"(?>(?:AI(?![a-z])|A\.I\.|人工智[能慧])(?:\s*的?\s*(?:语言|对话|聊天)?\s*(?:模型|助手|助理|系统|机器人|程序))?"
    r"|(?:大型|大)?语言模型|聊天机器人|大模型)"
)
_ZH_NOT_SELF = (
    r"(?!\s*(?:研究|工程|专家|学者|科学|从业|开发者|开发人员|爱好|创业|公司|企业|产品|技术|工具|领域"
    r"|行业|方面|时代|伦理|安全|政策|教授|老师|教师|学生|记者|作家|分析|投资|顾问|应用|的|与|和|及|或"
    r"|相关|课程|项目|团队|发展|革命|浪潮|芯片|专业|方向|学院|博士|硕士|工作者|初学者|新手))"
)
_ZH_ONE = r"(?:一(?:个|名|款|种)|个|名|款|(?:你|您)们?的)?"
_ZH_AS = r"(?:作为|身为)"
_FLAGS = regex.IGNORECASE
# Any number of AIs or language models: "language models like me".
_EN_ENTITIES = (
    r"(?:(?:ai|a\.i\.|artificial\s+intelligence)(?:[\s-]+(?:language\s+)?(?:model|assistant|chatbot|system)s?|s)?"
    r"|(?:large\s+)?language\s+models?|llms?|chatbots?)"
)
# Products a model names itself as; names that are also people's names (Claude, Gemini, ...)
# count only with their maker, which the `_MADE_BY` patterns catch.
_EN_PRODUCT = r"(?:chatgpt|gpt-?[345][\w.-]*|ernie\s+bot|qwen[\w.-]*|deepseek[\w.-]*|bing\s+chat)"
_ZH_PRODUCT = r"(?:ChatGPT|GPT-?[345][\w.-]*|Claude|Gemini|Qwen[\w.-]*|DeepSeek[\w.-]*|Kimi|通义千问|文心一言|豆包|智谱清言|讯飞星火|元宝)"
_EN_LAB = (
    r"(?:openai|anthropic|(?:google\s+)?deepmind|mistral\s+ai|xai|deepseek|moonshot\s+ai|zhipu\s+ai"
    r"|meta\s+ai|alibaba\s+cloud|google|meta|microsoft|baidu|alibaba|tencent|bytedance)"
)
_ZH_LAB = (
    r"(?:OpenAI|Anthropic|DeepMind|Google|Meta|谷歌|微软|百度|阿里巴巴|阿里云|阿里|通义实验室|字节跳动|深度求索"
    r"|DeepSeek|月之暗面|智谱|科大讯飞|腾讯)"
)

# "As an AI" may also describe something else ("use it as an AI assistant", "As an AI
# model learns, ..."), so it counts only when it is about the speaker (see `_about_self`).
_AS_AN_AI = regex.compile(
    rf"\b(?:as|being)\s+(?:an?|your)\s+{_EN_ENTITY}{_EN_NOT_SELF}|{_ZH_AS}\s*{_ZH_ONE}\s*{_ZH_ENTITY}{_ZH_NOT_SELF}",
    _FLAGS,
)
_SPEAKER_BEFORE = regex.compile(r"(?:\bi\s*,|我\s*(?:只是|现在|是)?)\s*$", _FLAGS)
_SPEAKER_AFTER = regex.compile(
    r"[^.!?。\n]{0,80}?(?:\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b|我)", _FLAGS
)
_SENTENCE_OPENING = regex.compile(
    r"[.!?。:;\n][\s>*_#\"'“‘(\[-]{0,8}"
    r"(?:(?:well|but|however|again|also|and|so|now|honestly|remember|of\s+course|still|yet"
    r"|sadly|unfortunately|不过|但是|但|然而|当然|而且|同时|首先|其实|坦白说|说实话)\s*,?\s*)?$",
    _FLAGS,
)
# A text full of "as an AI" that is never about the speaker stops being examined here.
MAX_EXAMINED = 10_000
# Self-identification needs no context: "I'm just a language model", "我只是一个AI".
_I_AM_AN_AI = regex.compile(
    rf"\bi(?:\s+am|'m)\s+(?:(?:just|only|simply|merely|but|actually|really|still)\s+){{0,2}}"
    rf"(?:an?\s+)?{_EN_ENTITY}{_EN_NOT_SELF}"
    rf"|\bmy\s+(?:last\s+)?(?:knowledge|training)(?:\s+data)?\s+(?:cut-?\s*off|update)\b"
    rf"|我\s*(?:只|仅仅|只不过|不过|仅|其实|就|本身)?\s*(?:是|乃)\s*{_ZH_ONE}\s*{_ZH_ENTITY}{_ZH_NOT_SELF}"
    rf"|(?:我是|{_ZH_AS}\s*{_ZH_ONE})\s*由[^。!?\n]{{0,30}}?(?:开发|训练|创建|打造|研发)的\s*{_ZH_ONE}\s*{_ZH_ENTITY}"
    # "language models like me", "像我这样的AI"
    rf"|\b{_EN_ENTITIES}\s+(?:like|such\s+as)\s+(?:me|myself)\b"
    rf"|像我(?:这样|一样)的\s*{_ZH_ENTITY}{_ZH_NOT_SELF}"
    # "I'm Claude, an AI assistant": a name, a comma, then an AI
    rf"|\bi(?:\s+am|'m)\s+(?-i:[\p{{Lu}}\p{{N}}])[\p{{L}}\p{{N}}.-]*\s*,\s*an?\s+{_EN_ENTITY}{_EN_NOT_SELF}"
    # naming itself as a product or by its maker: "I am ChatGPT", "I was made by OpenAI"
    rf"|\bi(?:\s+am|'m)\s+(?:called\s+|named\s+)?{_EN_PRODUCT}(?![\p{{L}}\p{{N}}'-])(?!\s+(?:user|fan|expert)s?\b)"
    rf"|\bi(?:\s+(?:am|was)|'m)\b[^.!?\n]{{0,60}}?\b(?:made|created|developed|trained|built|designed)\s+by\s+(?:the\s+)?{_EN_LAB}(?![\p{{L}}\p{{N}}])"
    rf"|我(?:是|叫|名叫)\s*{_ZH_PRODUCT}(?=\s*(?:[，。,.！!？?；;：:、）)]|$|由|一|是))"
    rf"|我\s*(?:是|乃)?\s*由?\s*{_ZH_LAB}\s*(?:公司)?\s*(?:开发|训练|创建|打造|研发|推出)的",
    _FLAGS,
)
# Full-width Latin letters (ＡＩ), curly apostrophes and the Traditional characters of these
# patterns (作為一個人工智慧語言模型), mapped one to one so positions hold.
_TRADITIONAL = "為個語機統話對發練創開訓僅過實專領業術產學員愛時倫師記資顧問應與關課項團隊碩這樣們裡於種義閱設計訊騰達陽雲"
_SIMPLIFIED = "为个语机统话对发练创开训仅过实专领业术产学员爱时伦师记资顾问应与关课项团队硕这样们里于种义阅设计讯腾达阳云"
_ASCII = (
    {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    | {0x2019: ord("'")}
    | str.maketrans(_TRADITIONAL, _SIMPLIFIED)
)
# At most this many self-references are collected for the reason.
_MAX_FOUND = 100


def _about_self(text: str, start: int, end: int) -> bool:
    """Whether "as an AI" at text[start:end] is about the speaker: the speaker (I, me, my,
    我) is named right before it ("I, as an AI") or later in its sentence ("As an AI model,
    I ..."), or it opens a sentence and a comma follows ("As an AI, it is ...", but not the
    "as" of "As an AI model learns, ...")."""
    before = ("\n" if start <= 40 else "") + text[max(0, start - 40) : start]
    after = text[end : end + 81]
    if _SPEAKER_BEFORE.search(before) or _SPEAKER_AFTER.match(after):
        return True
    return after.lstrip().startswith((",", ":")) and _SENTENCE_OPENING.search(before) is not None


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, overlapping ones (the same words found by two patterns) joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> regex.Pattern[str] | None:
    """Literal phrases, case-insensitive, any whitespace run between words, whole words at letter ends."""
    parts = []
    for phrase in phrases:
        body = r"\s+".join(regex.escape(piece) for piece in phrase.translate(_ASCII).split())
        if not has_cjk(phrase):
            body = rf"(?<![\p{{L}}\p{{N}}]){body}(?![\p{{L}}\p{{N}}])"
        parts.append(body)
    return regex.compile("|".join(parts), _FLAGS) if parts else None


class DisclaimerParams(Params):
    phrases: list[str] = Field(default_factory=list)
    """More phrases to forbid, besides the built-in ones (case-insensitive, literal, e.g. `I don't have personal opinions`)."""

    @field_validator("phrases")
    @classmethod
    def _no_blank_phrase(cls, phrases: list[str]) -> list[str]:
        if any(not phrase.strip() for phrase in phrases):
            raise ValueError("a phrase must not be empty or only whitespace")
        return phrases


@checker(
    "role.no_ai_disclaimer",
    DisclaimerParams,
    examples=[
        Example("Arr, the sea be my home, and gold my only friend!", {}, True),
        Example("As an AI language model, I don't have a home, but pirates...", {}, False),
        Example("我是一名老船长，大海就是我的家。", {}, True),
        Example("作为一个AI，我没有家，但海盗们……", {}, False),
    ],
    lint=LintHints(cues=("character", "role", "persona", "pretend", "you are", "you're", "act as", "as a ",
                          "as an ", "imagine you", "voice", " ai", "assistant", "human",
                          "扮演", "角色", "身份", "你是", "作为", "口吻", "人工智能")),
)
def role_no_ai_disclaimer(response: str, params: DisclaimerParams, context: Context) -> Verdict:
    """No self-reference as an AI or language model, in English or Chinese (`As an AI`, `作为一个AI`, ...)."""
    original = strip_emphasis(normalize(response))
    text = original.translate(_ASCII)
    found: list[tuple[int, int]] = []
    examined = 0
    for examined, match in enumerate(_AS_AN_AI.finditer(text), 1):
        if _about_self(text, match.start(), match.end()):
            found.append(match.span())
        if examined == MAX_EXAMINED or len(found) == _MAX_FOUND:
            break
    found += _first_spans(_I_AM_AN_AI, text)
    phrases = _phrase_pattern(tuple(params.phrases))
    forbidden = _merged(_first_spans(phrases, text)) if phrases else []
    found = _merged(found)
    if not found and not forbidden:
        partly = f" (only the first {MAX_EXAMINED:,} 'as an AI' examined)" if examined == MAX_EXAMINED else ""
        given = "the given phrase" if len(params.phrases) == 1 else f"any of the {len(params.phrases)} given phrases"
        nor = f", nor {given}" if params.phrases else ""
        return Verdict(passed=True, reason=f"no self-reference as an AI or language model found{nor}{partly}")
    problems = []
    if found:
        problems.append(f"found {_first_of(found, original)}; no self-reference as an AI allowed")
    if forbidden:
        problems.append(f"found the forbidden phrase {_first_of(forbidden, original)}")
    return Verdict(passed=False, reason="; ".join(problems))


def _first_spans(pattern: regex.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The spans of the first `_MAX_FOUND` matches of `pattern` in `text`."""
    return [match.span() for match, _ in zip(pattern.finditer(text), range(_MAX_FOUND))]


def _first_of(spans: list[tuple[int, int]], text: str) -> str:
    """The first span quoted in its context, and how many there are: `first of 2: 'As an AI' in '…'`."""
    start, end = spans[0]
    shown = truncate(text[start:end], 40)
    around = truncate(text[max(0, start - 20) : end + 30], 80)
    total = f"{len(spans)}" if len(spans) < _MAX_FOUND else f"{_MAX_FOUND}+"
    first = f"first of {total}: " if len(spans) > 1 else ""
    return f"{first}'{shown}' in '{around}'"


# --- role.reading_level ------------------------------------------------------------------

# Flesch-Kincaid needs syllable counts per word; past this the text is cut (and the reason says so).
MAX_CHARS = 100_000
_LATIN_LETTER = regex.compile(r"\p{Latin}")
_CJK_RUN = regex.compile(rf"(?:{CJK_CHAR.pattern})+", regex.V1)


def _number(value: float) -> str:
    return f"{value:g}"


class ReadingLevelParams(Params):
    max_grade: float | None = Field(default=None, allow_inf_nan=False)
    """The highest Flesch-Kincaid grade level allowed (e.g. 8: readable by an 8th-grader)."""
    min_grade: float | None = Field(default=None, allow_inf_nan=False)
    """The lowest Flesch-Kincaid grade level allowed."""

    @model_validator(mode="after")
    def _bounds_make_sense(self) -> ReadingLevelParams:
        if self.max_grade is None and self.min_grade is None:
            raise ValueError("give at least one of 'max_grade', 'min_grade'")
        if self.max_grade is not None and self.min_grade is not None and self.min_grade > self.max_grade:
            raise ValueError(f"'min_grade' ({self.min_grade}) is greater than 'max_grade' ({self.max_grade})")
        return self

    def requirement(self) -> str:
        low, high = self.min_grade, self.max_grade
        if low is not None and high is not None:
            return f"between {_number(low)} and {_number(high)} required"
        if low is not None:
            return f"at least {_number(low)} required"
        return f"at most {_number(high)} allowed"  # type: ignore[arg-type]


@checker(
    "role.reading_level",
    ReadingLevelParams,
    languages=["en"],
    examples=[
        Example("The cat sat on the mat. It was warm. The cat was glad.", {"max_grade": 4}, True),
        Example(
            "Photosynthetic organisms convert electromagnetic radiation into chemical energy "
            "through complicated biochemical processes.",
            {"max_grade": 8},
            False,
        ),
        Example("Say 你好 to a friend. It means hi. It is a kind word.", {"max_grade": 4}, True),
        Example("光合作用把光能转化为化学能。", {"max_grade": 8}, False),
    ],
    lint=LintHints(cues=("grade", "year-old", "year old", "child", "kid", "simple", "plain", "beginner",
                          "student", "school", "teen", "easy", "layperson", "年级", "孩子", "小学", "初中")),
)
def role_reading_level(response: str, params: ReadingLevelParams, context: Context) -> Verdict:
    """English only: the Flesch-Kincaid grade level is within bounds."""
    text = normalize(response[:MAX_CHARS])
    cut = f" (first {MAX_CHARS:,} characters measured)" if len(response) > MAX_CHARS else ""
    # Chinese/Japanese characters are not English words: leave them out of the measure.
    text = _CJK_RUN.sub(" ", text)
    if not _LATIN_LETTER.search(text):
        return Verdict(passed=False, reason=f"no English words to measure; grade {params.requirement()}")
    grade = round(textstat.flesch_kincaid_grade(text), 1)
    passed = (params.min_grade is None or grade >= params.min_grade) and (
        params.max_grade is None or grade <= params.max_grade
    )
    return Verdict(passed=passed, reason=f"Flesch-Kincaid grade {grade:.1f}{cut}; {params.requirement()}")

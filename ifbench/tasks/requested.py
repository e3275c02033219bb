"""The `unrequested` lint rule: does the prompt ask, in its own words, for what a constraint checks?

A constraint's key parameters must appear in the prompt the model sees (system message and
earlier turns included): numbers as digits, English words (`three`, `a hundred`,
`twenty-one`) or Chinese numerals (`三`, `两`, `一百`); keywords, phrases, markers, table
headers and required JSON fields as text; the response language by name. A checker with no
such parameter needs a cue word (`lowercase`, `JSON`, `逗号`, ...).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import regex

from ifbench.checking.text import has_cjk

# What a prompt says when it asks for a checker with no key parameter (or one not written out).
CUES: dict[str, tuple[str, ...]] = {
    "format.json": ("json",),
    "format.table": ("table", "表"),
    "format.bullets": ("bullet", "list", "列表", "列出", "清单", "要点", "项目符号", "分点", "- ", "“-”", "•"),
    "format.numbered": ("number", "list", "step", "编号", "序号", "列出", "列表", "步骤", "1."),
    "format.headings": ("heading", "header", "section", "标题", "#"),
    "format.code_block": ("code", "代码", "```"),
    "format.title": ("<<",),
    "format.highlights": ("highlight", "bold", "emphas", "*", "加粗", "突出", "强调", "高亮"),
    "format.placeholders": ("placeholder", "[", "【", "占位"),
    "format.quoted": ("quot", "\"", "\u201c", "\u300c", "引号"),
    "content.lowercase": ("lowercase", "lower case", "lower-case", "小写"),
    "content.uppercase": ("uppercase", "upper case", "capital", "all caps", "大写"),
    "content.no_commas": ("comma", "逗号"),
    "content.questions": ("question", "?", "？", "problem", "quiz", "ask", "问", "题"),
    "content.repeat_prompt": ("repeat", "重复", "复述"),
    "role.no_ai_disclaimer": ("character", "role", "persona", "pretend", "you are", "you're", "act as", "as a ",
                              "as an ", "imagine you", "voice", " ai", "assistant", "human",
                              "扮演", "角色", "身份", "你是", "作为", "口吻", "人工智能"),
    "role.reading_level": ("grade", "year-old", "year old", "child", "kid", "simple", "plain", "beginner",
                           "student", "school", "teen", "easy", "layperson", "年级", "孩子", "小学", "初中"),
}
LANGUAGE_NAMES = {
    "en": ("english", "英文", "英语"), "zh": ("chinese", "mandarin", "中文", "汉语", "普通话", "现代汉语"),
    "fr": ("french", "法语", "法文"), "de": ("german", "德语", "德文"), "es": ("spanish", "西班牙语"),
    "ja": ("japanese", "日语", "日文"), "ko": ("korean", "韩语", "韩文"), "ru": ("russian", "俄语"),
    "it": ("italian", "意大利语"), "pt": ("portuguese", "葡萄牙语"), "ar": ("arabic", "阿拉伯语"),
}
NEGATIONS = ("no ", "not", "n't", "never", "without", "zero", "none", "drop", "remove", "不", "没", "无", "零", "别", "去掉")




def fold(text: str) -> str:
    """`text` compared loosely: NFKC (full-width digits become ASCII) and casefolded."""
    return unicodedata.normalize("NFKC", text).casefold()


def unrequested(cid: str, params: dict[str, Any], prompt: str) -> Iterator[str]:
    """Why `prompt` does not ask for the constraint `{id: cid, **params}` (nothing if it does)."""
    folded = fold(prompt)
    numbers = prompt_numbers(prompt)
    for name in ("exact", "min", "max", "rows", "min_rows", "max_rows", "columns", "min_count"):
        value = params.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value in numbers:
            continue
        if (value == 1 and name in ("min", "min_rows", "min_count")) or (value == 0 and any(n in folded for n in NEGATIONS)):
            continue
        yield f"{cid}: {name} {value} does not appear in the prompt (as digits or in words)"
    texts: list[tuple[str, str]] = [(f"keyword {k!r}", k) for k in params.get("keywords", [])]
    texts += [(f"{name} {params[name]!r}", params[name]) for name in ("keyword", "phrase", "text", "marker",
              "separator", "language") if isinstance(params.get(name), str)]
    texts += [(f"header {h!r}", h) for h in params.get("headers", [])]
    if cid == "format.json" and isinstance(params.get("schema"), dict):
        texts += [(f"JSON field {name!r}", name) for name in sorted(_required_fields(params["schema"]))]
    for what, text in texts:
        if fold(text).strip() not in folded:
            yield f"{cid}: {what} does not appear in the prompt"
    if cid == "format.postscript" and "marker" not in params and "p.s." not in folded:
        yield "format.postscript: the prompt never asks for a 'P.S.'"
    if cid == "format.two_responses" and "separator" not in params and "******" not in folded:
        yield "format.two_responses: the separator '******' does not appear in the prompt"
    if cid == "language.response":
        names = LANGUAGE_NAMES.get(str(params.get("lang")), ())
        if not any(name in folded for name in names):
            yield f"language.response: the prompt never names the language {params.get('lang')!r}"
    if cid in CUES and not texts and not any(_has_cue(folded, cue) for cue in CUES[cid]):
        yield f"{cid}: the prompt never asks for it (no word like {', '.join(map(repr, CUES[cid][:3]))})"
    if cid == "steps.ordered":
        steps = [step for step in params.get("steps", []) if isinstance(step, dict)]
        # One-letter markers spell a word the prompt names (an acrostic: ^H ^O ^P ^E for "HOPE").
        letters = "".join(_literal(str(step.get("marker", ""))) for step in steps)
        acrostic = len(letters) == len(steps) > 1 and fold(letters) in fold(prompt)
        for step in steps:
            if not acrostic:
                yield from _unrequested_marker(str(step.get("marker", "")), prompt)
            for inner in step.get("constraints", []):
                if isinstance(inner, dict):
                    rest = {k: v for k, v in inner.items() if k != "id"}
                    yield from unrequested(str(inner.get("id")), rest, prompt)


def _has_cue(folded: str, cue: str) -> bool:
    """Whether a cue occurs; a cue that starts with a letter must start a word ("plain" is not in "explain")."""
    if cue[:1].isascii() and cue[:1].isalpha():
        return regex.search(rf"(?<![a-z]){regex.escape(cue)}", folded) is not None
    return cue in folded


def _unrequested_marker(marker: str, prompt: str) -> Iterator[str]:
    """A step marker is requested if it matches the prompt or one of its words appears there."""
    try:
        if regex.search(marker, prompt, regex.IGNORECASE, timeout=0.5):
            return
    except (regex.error, TimeoutError):
        pass
    words = [w for w in _literal(marker).split() if len(w) > 1 or has_cjk(w)]
    if not any(fold(word) in fold(prompt) for word in words):
        yield f"steps.ordered: marker {marker!r} matches nothing the prompt mentions"


def _literal(marker: str) -> str:
    """The letters and digits a marker spells, regex syntax (`(?m)`, `\\s`, `^`, `|`) removed."""
    return " ".join(regex.findall(r"[\p{L}\p{N}]+", regex.sub(r"\(\?[a-zA-Z]+\)|\\[a-zA-Z]", " ", marker)))


def _required_fields(schema: Any) -> set[str]:
    """Every property name a JSON Schema lists as required, at any depth."""
    if isinstance(schema, list):
        return set().union(*map(_required_fields, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    names = {name for name in schema.get("required", []) if isinstance(name, str)}
    return names.union(*(_required_fields(value) for value in schema.values()))


EN_NUMBERS = dict(zip(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split(), range(20)))
EN_NUMBERS |= {word: 10 * n for n, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
EN_WORDS = {"single": 1, "once": 1, "twice": 2, "both": 2, "pair": 2, "couple": 2, "thrice": 3, "dozen": 12}
EN_WORDS |= {word: n for n, word in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def prompt_numbers(text: str) -> set[int]:
    """Every number `text` writes: digits (`100`, `1,000`), English words, Chinese numerals."""
    text = unicodedata.normalize("NFKC", text)
    found = {int(match.replace(",", "")) for match in regex.findall(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+", text)}
    current = total = 0
    in_number = False
    # Spaces, hyphens and "and" join number words ("two hundred and fifty", "twenty-one"); anything else ends one.
    for word in regex.findall(r"[a-z]+|[^a-z\s-]", text.lower()) + [""]:
        if word in EN_NUMBERS:
            current, in_number = current + EN_NUMBERS[word], True
        elif word == "hundred":
            current, in_number = max(current, 1) * 100, True
        elif word == "thousand":
            total, current, in_number = total + max(current, 1) * 1000, 0, True
        elif word == "and" and in_number:
            continue
        else:
            if in_number:
                found.add(total + current)
            current = total = 0
            in_number = False
        found.update({EN_NUMBERS[word]} if word in EN_NUMBERS else set())
        if word in EN_WORDS:
            found.add(EN_WORDS[word])
    for run in regex.findall(r"[零〇一二两三四五六七八九十百千万]+", text):
        found.add(_chinese_number(run))
        found.update(CN_DIGITS[ch] for ch in run if ch in CN_DIGITS)
    return found


def _chinese_number(run: str) -> int:
    total = section = digit = 0
    for ch in run:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (digit or 1) * CN_UNITS[ch]
            digit = 0
        else:  # 万
            total += (section + digit or 1) * 10_000
            section = digit = 0
    return total + section + digit

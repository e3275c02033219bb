"""A reply that passes every constraint of a generated task, built mechanically.

`build_reply` lays out a document from what the constraints ask (a start phrase, a title,
headings, body paragraphs of comma-free filler sentences carrying the keywords, questions,
highlights and placeholders, lists, a table, code blocks, step labels, a postscript, an end
phrase; or a JSON object), then searches the free knobs (how many body paragraphs, how many
filler sentences, whether the end phrase has its own paragraph) until `ifbench.check` passes
every constraint. The checkers are the judge: a set this builder cannot satisfy is not generated.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ifbench.checking.evaluate import check
from ifbench.generate.phrasing import Phrasings

MAX_FILLER = 60
MAX_BODY_PARAGRAPHS = 8


@dataclass(frozen=True)
class Spec:
    """The constraints of one reply, by checker id (a generated task uses each id at most once)."""

    constraints: dict[str, dict[str, Any]]
    prompt: str

    def get(self, cid: str) -> dict[str, Any] | None:
        return self.constraints.get(cid)


def _wanted(params: dict[str, Any] | None, default: int = 0) -> int:
    """How many of a counted thing to write for count bounds: exact, else min, else up to 2 under max."""
    if params is None:
        return default
    if params.get("exact") is not None:
        return params["exact"]
    if params.get("min") is not None:
        return params["min"]
    if params.get("max") is not None:
        return min(params["max"], 2)
    return default


def _passes(reply: str, spec: Spec) -> bool:
    return all(check(reply, {"id": cid, **params}, prompt=spec.prompt).passed
               for cid, params in spec.constraints.items())


def build_reply(spec: Spec, ph: Phrasings) -> str | None:
    """A reply passing every constraint of `spec`, or None if this builder finds none."""
    for reply in _candidates(spec, ph):
        if _passes(reply, spec):
            return reply
    return None


def _candidates(spec: Spec, ph: Phrasings) -> Iterator[str]:
    paragraphs = spec.get("length.paragraphs")
    # The paragraph layout first (cheap: one check), then the filler count against everything.
    layouts = []
    for body in range(1, MAX_BODY_PARAGRAPHS + 1):
        for own_end in (False, True):
            if own_end and spec.get("content.end") is None:
                continue
            draft = _render(spec, ph, n_filler=max(body, 12), n_body=body, own_end=own_end)
            if draft is None:
                return
            if paragraphs is None or check(draft, {"id": "length.paragraphs", **paragraphs}).passed:
                layouts.append((body, own_end))
        if paragraphs is None and layouts:
            break
    for body, own_end in layouts[:4]:
        for n in range(0, MAX_FILLER + 1):
            reply = _render(spec, ph, n_filler=n, n_body=body, own_end=own_end)
            if reply is not None:
                yield reply


def _sentences(spec: Spec, ph: Phrasings, n_filler: int) -> list[str]:
    """The body sentences: keyword, frequency, placeholder and question sentences, then filler."""
    vocab = ph.vocab
    out: list[str] = []
    templates = vocab["keyword_sentences"]
    include = spec.get("content.include")
    if include is not None:
        for keyword in include["keywords"]:
            out += [templates[i % len(templates)].format(kw=keyword) for i in range(include.get("min_count", 1))]
    frequency = spec.get("content.frequency")
    if frequency is not None:
        already = sum(1 for s in out if frequency["keyword"] in s)
        need = max(_wanted(frequency, 1) - already, 0)
        out += [templates[(i + 1) % len(templates)].format(kw=frequency["keyword"]) for i in range(need)]
    placeholders = spec.get("format.placeholders")
    for i in range(_wanted(placeholders)):
        name = vocab["placeholders"][i % len(vocab["placeholders"])]
        out.append(vocab["placeholder_sentence"].format(name=name))
    filler = list(vocab["filler"])
    highlights = _wanted(spec.get("format.highlights"))
    body = [filler[i % len(filler)] for i in range(max(n_filler, highlights))]
    for i in range(highlights):  # *the sentence*. : one highlighted span each
        body[i] = f"*{body[i][:-1]}*{body[i][-1]}"
    out += body
    questions = _wanted(spec.get("content.questions"))
    out += [vocab["questions"][i % len(vocab["questions"])] for i in range(questions)]
    return out


def _join(ph: Phrasings, sentences: list[str]) -> str:
    return ph.joiner.join(sentences) if ph.language == "zh" else " ".join(sentences)


def _render(spec: Spec, ph: Phrasings, *, n_filler: int, n_body: int, own_end: bool) -> str | None:
    vocab = ph.vocab
    sentences = _sentences(spec, ph, n_filler)
    if spec.get("format.json") is not None:
        return _render_json(spec, ph, sentences)
    blocks: list[str] = []
    lead = []
    repeat = spec.get("content.repeat_prompt")
    if repeat is not None:
        lead.append(repeat["text"])
    start = spec.get("content.start")
    if start is not None:
        lead.append(start["phrase"] + ("：" if ph.language == "zh" else ":"))
    if lead:
        blocks.append(" ".join(lead) if ph.language == "en" else "".join(lead))
    if spec.get("format.title") is not None:
        blocks.append(f"<<{vocab['titles'][0]}>>")
    headings = spec.get("format.headings")
    n_headings = _wanted(headings, 0)
    hashes = "#" * (headings.get("level") or 2) if headings else "##"
    steps = spec.get("steps.ordered")
    chunks = _split(sentences, n_body)
    for i, chunk in enumerate(chunks):
        text = _join(ph, chunk)
        if steps is not None and i == 0:
            text = _steps_text(ph, steps, chunk)
        if i < n_headings:
            text = f"{hashes} {vocab['heading'].format(i=i + 1)}\n{text}"
        blocks.append(text)
    for i in range(len(chunks), n_headings):
        blocks.append(f"{hashes} {vocab['heading'].format(i=i + 1)}")
    filler = vocab["filler"]
    bullets = _wanted(spec.get("format.bullets"))
    if bullets:
        blocks.append("\n".join(f"- {filler[-1 - i][:-1]}" for i in range(bullets)))
    numbered = _wanted(spec.get("format.numbered"))
    if numbered:
        blocks.append("\n".join(f"{i + 1}. {filler[-10 - i][:-1]}" for i in range(numbered)))
    table = spec.get("format.table")
    if table is not None:
        headers = list(table.get("headers", ["A", "B"]))
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        for row in range(table.get("rows") or table.get("min_rows") or 2):
            lines.append("| " + " | ".join(vocab["table_cell"].format(i=row + 1) for _ in headers) + " |")
        blocks.append("\n".join(lines))
    for _ in range(_wanted(spec.get("format.code_block"), 0)):
        blocks.append(f"```\n{vocab['code']}\n```")
    postscript = spec.get("format.postscript")
    if postscript is not None:
        marker = postscript.get("marker", "P.S.")
        blocks.append(f"{marker}{'' if marker.endswith(('：', ':')) else ' '}{filler[5]}")
    end = spec.get("content.end")
    if spec.get("format.two_responses") is not None:
        blocks = ["\n\n".join(blocks), "******", vocab["second_response"].format(sentence=filler[7])]
        reply = blocks[0] + "\n******\n" + blocks[2]
    else:
        reply = "\n\n".join(blocks)
    if end is not None:
        reply += ("\n\n" if own_end or reply.endswith("```") or reply.endswith("|") else (" " if ph.language == "en" else "")) + end["phrase"]
    if spec.get("content.lowercase") is not None:
        reply = reply.lower()
    if spec.get("content.uppercase") is not None:
        reply = reply.upper()
    if spec.get("format.quoted") is not None:
        left, right = vocab["quotes"]
        reply = f"{left}{reply}{right}"
    return reply


def _steps_text(ph: Phrasings, steps: dict[str, Any], chunk: list[str]) -> str:
    """The first body paragraph becomes the steps: one labelled line per step, in order."""
    markers = [step["marker"] for step in steps["steps"]]
    parts = _split(chunk, len(markers)) if len(chunk) >= len(markers) else [[s] for s in chunk] + [[]] * (len(markers) - len(chunk))
    lines = []
    for marker, part in zip(markers, parts):
        label = marker[:1].upper() + marker[1:]
        lines.append(ph.vocab["step_line"].format(label=label, sentence=_join(ph, part) or ph.vocab["filler"][3]))
    return "\n".join(lines)


def _split(items: list[str], parts: int) -> list[list[str]]:
    """`items` in `parts` contiguous chunks as even as possible (fewer if there are fewer items)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return [chunk for chunk in out if chunk]


def _render_json(spec: Spec, ph: Phrasings, sentences: list[str]) -> str | None:
    for blocked in ("content.start", "content.end", "content.repeat_prompt", "format.quoted", "format.title",
                    "format.code_block", "steps.ordered", "content.uppercase"):
        if spec.get(blocked) is not None:
            return None
    fields = spec.constraints["format.json"]["schema"]["required"]
    halves = _split(sentences, len(fields))
    value = {name: _join(ph, halves[i]) if i < len(halves) else ph.vocab["filler"][0] for i, name in enumerate(fields)}
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.lower() if spec.get("content.lowercase") is not None else text

"""The text of a prompt or a completion as trainers hand them over: a string or chat messages.

A chat is a list of `{"role", "content"}` messages, where `content` is a string or a list of
parts (`{"type": "text", "text": ...}`). A prompt's text is its last user message; a completion's
text is its assistant messages joined (one message in practice).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _content(message: Any) -> str:
    content = message.get("content") if isinstance(message, Mapping) else None
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content
                       if isinstance(part, Mapping) and isinstance(part.get("text"), str))
    return ""


def prompt_text(prompt: Any) -> str | None:
    """The prompt a reply answers: the string itself, or the last user message of a chat."""
    if prompt is None or isinstance(prompt, str):
        return prompt
    if isinstance(prompt, list):
        users = [m for m in prompt if isinstance(m, Mapping) and m.get("role") == "user"]
        return _content(users[-1]) if users else None
    return None


def completion_text(completion: Any) -> Any:
    """The reply's text: the string itself, or the assistant messages of a chat joined.

    Anything else is returned as it is, for the reward to fail it with a reason.
    """
    if isinstance(completion, list):
        return "".join(_content(m) for m in completion
                       if isinstance(m, Mapping) and m.get("role", "assistant") == "assistant")
    return completion

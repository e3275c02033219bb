"""Model backends: protocol, settings, retries, batching, option parsing, and one module per engine."""

from ifbench.run.backends.batching import BatchedBackend
from ifbench.run.backends.factory import parse_model_spec
from ifbench.run.backends.options import (
    parse_engine_args,
    parse_extra_body,
    parse_headers,
)
from ifbench.run.backends.protocol import (
    Backend,
    EngineDied,
    Reply,
    Request,
    RequestFailed,
    TransientError,
)
from ifbench.run.backends.retry import Call, RetryPolicy
from ifbench.run.backends.settings import GenerationMode, GenerationSettings

__all__ = [
    "Backend",
    "BatchedBackend",
    "Call",
    "EngineDied",
    "GenerationMode",
    "GenerationSettings",
    "Reply",
    "Request",
    "RequestFailed",
    "RetryPolicy",
    "TransientError",
    "parse_engine_args",
    "parse_extra_body",
    "parse_headers",
    "parse_model_spec",
]

"""Fresh suites: `ifbench generate` composes lint-clean, passable tasks from our bilingual prompt pool.

`pool` loads the base prompts, `phrasing` the instruction phrasings, `params` draws each checker's
parameters, `satisfy` builds a passing reply, `compose` puts it together and writes the file.
"""

from ifbench.generate.compose import GENERATOR_VERSION, Generated, GenerateError, generate, parse_range
from ifbench.generate.params import SUPPORTED, UNSUPPORTED

__all__ = ["GENERATOR_VERSION", "SUPPORTED", "UNSUPPORTED", "GenerateError", "Generated", "generate", "parse_range"]

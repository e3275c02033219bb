"""Checker verdicts as RL rewards, and adapters for trainers.

    api.py      reward, reward_details (one reply), ConstraintSet (constraints bound once)
    batch.py    rewards (many replies; worker processes with pool.py)
    labels.py   constraint labels of public RL data (open-instruct, IFEval) -> constraint lists
    guards.py   opt-in reward-hacking guards
    trl.py      a TRL GRPOTrainer reward function
    verl.py     verl's compute_score and its batched form
    server.py   the HTTP reward server behind `ifbench serve-rewards` (OpenRLHF's remote RM)
"""

from ifbench.rl.api import ConstraintVerdict, RewardDetails, reward, reward_details
from ifbench.rl.batch import rewards
from ifbench.rl.guards import (
    DEFAULT_GUARDS,
    GuardOutcome,
    MinContentWords,
    NoConstraintEcho,
    NoEmptySections,
    NoPromptCopy,
    PromptLanguage,
)
from ifbench.rl.labels import constraints_from_label

__all__ = [
    "DEFAULT_GUARDS",
    "ConstraintVerdict",
    "GuardOutcome",
    "MinContentWords",
    "NoConstraintEcho",
    "NoEmptySections",
    "NoPromptCopy",
    "PromptLanguage",
    "RewardDetails",
    "constraints_from_label",
    "reward",
    "reward_details",
    "rewards",
]

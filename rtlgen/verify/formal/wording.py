"""How verdicts name registers: one way to list them, one sentence for registers that start free.

The agreement check's note and the formal verdicts speak of the same registers (an initial value that no reset
sets, dropped so the register starts free), so they share the sentence, and every list of names in a message is
cut the same way.
"""
from __future__ import annotations

from collections.abc import Sequence

SHOWN = 8  # names a message lists before " ..." (a verdict stays readable on one line)


def listed(names: Sequence[str], shown: int = SHOWN) -> str:
    """The first ``shown`` names, comma-separated, ending in " ..." when some were left out."""
    return ", ".join(names[:shown]) + (" ..." if len(names) > shown else "")


def started_free(registers: Sequence[str]) -> str:
    """What dropping declared initial values assumes, naming the registers ("" when there are none)."""
    if not registers:
        return ""
    return (f"{len(registers)} registers have an initial value that no reset sets ({listed(registers)}): the "
            "proofs drop it and start them free, as ASIC flip-flops power up in any state, matched by name where a "
            "proof needs equal start values")

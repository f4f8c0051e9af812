"""Simulation dumps (VCD or FST) read with pywellen: the value changes of one scope's signals, and per
1-bit signal its 0<->1 transitions and its time at 1.

pywellen (Rust) loads a dump's signals in bulk, so a gate-level dump with every net of a netlist is read in
a fraction of the simulation's own time. Time at x or z counts neither as 0 nor as 1, and a change from or to
x is no transition: a flip-flop's unknown state before its first reset is not power.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pywellen

from rtlgen.errors import RtlgenError
from rtlgen.synth.power import BitActivity

Value = int | str  # pywellen: an int when every bit is 0 or 1, else the bit string (msb first) with x/z


class WaveError(RtlgenError):
    """A simulation dump is missing, unreadable or lacks the scope asked for; names the file and the scope."""


class Dump:
    """One dump file: its time unit and the signals declared directly in a scope."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():  # pywellen panics on a missing file instead of raising
            raise WaveError(f"simulation dump not found: {path}")
        try:
            self._wave = pywellen.Waveform(str(path))
        except BaseException as exc:  # pyo3 turns a Rust panic into PanicException, a BaseException
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise WaveError(f"{path}: cannot read the simulation dump: {exc}") from None
        self.path = path
        scale = self._wave.timescale
        self.unit_ns = scale.factor * 10.0 ** (scale.unit.to_exponent() + 9)

    def scope(self, name: str) -> dict[str, pywellen.Var]:
        """The variables declared directly in the first scope called ``name`` (outermost first)."""
        scopes = sorted((s for s in self._wave.all_scopes() if s.name == name), key=lambda s: s.full_name.count("."))
        if not scopes:
            raise WaveError(f"{self.path}: no scope named '{name}' in the dump")
        return {var.name: var for var in scopes[0].vars()}

    @staticmethod
    def changes(var: pywellen.Var) -> list[tuple[int, Value]]:
        signal = var.signal
        return [signal[i] for i in range(len(signal))]


def last_change(changes: Iterable[list[tuple[int, Value]]]) -> int:
    """When the last of these signals last changed: where a stimulus ends (pywellen does not show a final time
    stamp without changes, as Icarus writes at ``$finish``)."""
    return max((c[-1][0] for c in changes if c), default=0)


def rising_edges(changes: list[tuple[int, Value]]) -> list[int]:
    """The times a 1-bit signal went from 0 to 1 (not from x)."""
    return [t for (_, a), (t, b) in zip(changes, changes[1:]) if a == 0 and b == 1]


def bit_value(value: Value, width: int, place: int) -> str:
    """Bit ``place`` (0 = lsb) of a dumped ``width``-bit value as '0', '1', 'x' or 'z'."""
    if isinstance(value, int):
        return str((value >> place) & 1)
    text = value.lower()
    text = text.rjust(width, "0" if text[:1] in "01" else text[:1])  # VCD left-extension
    return text[width - 1 - place] if place < width else "x"


def bit_changes(changes: list[tuple[int, Value]], width: int, place: int) -> list[tuple[int, Value]]:
    """One bit of a vector's changes, as the changes of a 1-bit signal (0 and 1 as ints, x and z as text)."""
    return [(time, int(bit) if bit in "01" else bit)
            for time, bit in ((time, bit_value(value, width, place)) for time, value in changes)]


def bit_activity(changes: list[tuple[int, Value]], end: int, unit_ns: float) -> BitActivity:
    """Transitions between 0 and 1 and the time at 1 (up to ``end``) of a 1-bit signal's changes."""
    toggles, high, previous, since = 0, 0, None, 0
    for time, value in changes:
        if previous == 1:
            high += time - since
        if value in (0, 1) and previous in (0, 1) and value != previous:
            toggles += 1
        previous, since = value, time
    if previous == 1:
        high += end - since
    return BitActivity(toggles, high * unit_ns)

"""Numbers as a person reads them: SI prefixes and units (``179 µW``, ``2.34 ns``, ``748 µm²``), never ``1.79e-04``."""
from __future__ import annotations

import math

_PREFIXES = ((1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"),
             (1e-15, "f"))


def si(value: float | None, unit: str, digits: int = 3) -> str:
    """``value`` with an SI prefix and ``digits`` significant digits: ``si(1.79e-4, "W") == "179 µW"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value == 0:
        return f"0 {unit}"
    scale, prefix = next(((s, p) for s, p in _PREFIXES if abs(value) >= s), _PREFIXES[-1])
    scaled = value / scale
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(scaled)))))
    return f"{scaled:.{decimals}f} {prefix}{unit}"


def fixed(value: float | None, unit: str, decimals: int = 2) -> str:
    """``value`` with a fixed number of decimals and thousands separators: ``fixed(1500.25, "µm²") == "1,500.25 µm²"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.{decimals}f} {unit}"

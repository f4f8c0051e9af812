"""Formal equivalence against the spec's reference RTL (Yosys equiv/SAT, ABC pdr). See ``equiv``."""
from rtlgen.verify.formal.equiv import check_equivalence

__all__ = ["check_equivalence"]

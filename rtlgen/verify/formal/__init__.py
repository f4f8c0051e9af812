"""Formal equivalence (Yosys equiv/SAT, ABC pdr): a candidate against the spec's reference RTL
(``check_equivalence``), or two designs against each other (``prove_equivalent``, the optimizer's gate)."""
from rtlgen.verify.formal.equiv import check_equivalence
from rtlgen.verify.formal.pairwise import prove_equivalent

__all__ = ["check_equivalence", "prove_equivalent"]

"""The symbolic FSM optimizer: extract FSMs from RTL, minimise them, re-encode them, regenerate the RTL.

``extract_fsms`` finds each FSM (``extract``), ``minimize`` removes unreachable states and merges
equivalent ones (``minimize``), ``propose`` turns that into ``Proposal`` values for the
optimization loop, whose gate proves every one before it is accepted.
"""
from rtlgen.optimize.fsm.extract import extract_fsms, why_not
from rtlgen.optimize.fsm.minimize import equivalence_classes, minimize
from rtlgen.optimize.fsm.model import Fsm
from rtlgen.optimize.fsm.propose import propose

__all__ = ["Fsm", "equivalence_classes", "extract_fsms", "minimize", "propose", "why_not"]

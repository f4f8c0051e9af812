"""Golden model of designs/fsm_pulse: go -> one arming cycle, two pulse cycles, two gap cycles."""

WAIT, ARM, HIGH1, HIGH2, GAP1, GAP2 = range(6)


class Model:
    def reset(self) -> None:
        self.state = WAIT

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        if not inputs["rst_n"]:
            self.state = WAIT
            return {"pulse": 0, "ready": 1}
        s = self.state
        outputs = {"pulse": int(s in (HIGH1, HIGH2)), "ready": int(s == WAIT)}
        if s == WAIT:
            self.state = ARM if inputs["go"] else WAIT
        else:
            self.state = (s + 1) % 6
        return outputs

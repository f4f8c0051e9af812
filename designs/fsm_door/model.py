"""Golden model of designs/fsm_door: garage-door controller, async active-low reset."""

CLOSED, OPENING, OPEN, CLOSING, STOPPED = range(5)


class Model:
    def reset(self) -> None:
        self.state = CLOSED

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        if not inputs["rst_n"]:
            self.state = CLOSED
            return {"motor_up": 0, "motor_down": 0}
        s, b = self.state, inputs["button"]
        outputs = {"motor_up": int(s == OPENING), "motor_down": int(s == CLOSING)}
        if s == CLOSED:
            self.state = OPENING if b else CLOSED
        elif s == OPENING:
            self.state = OPEN if inputs["at_top"] else STOPPED if b else OPENING
        elif s == OPEN:
            self.state = CLOSING if b else OPEN
        elif s == CLOSING:
            self.state = CLOSED if inputs["at_bottom"] else STOPPED if b else CLOSING
        else:
            self.state = CLOSING if b else STOPPED
        return outputs

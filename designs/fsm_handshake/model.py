"""Golden model of designs/fsm_handshake: four-phase req/ack master, sync reset."""

IDLE, REQ, RELEASE, FINISH = range(4)


class Model:
    def reset(self) -> None:
        self.state = IDLE

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        s = self.state
        outputs = {"req": int(s == REQ), "done": int(s == FINISH), "busy": int(s != IDLE)}
        if inputs["rst"]:
            self.state = IDLE
        elif s == IDLE:
            self.state = REQ if inputs["start"] else IDLE
        elif s == REQ:
            self.state = RELEASE if inputs["ack"] else REQ
        elif s == RELEASE:
            self.state = RELEASE if inputs["ack"] else FINISH
        else:
            self.state = IDLE
        return outputs

"""Golden model of designs/fsm_parity: running parity and count of valid bits, sync reset."""


class Model:
    def reset(self) -> None:
        self.parity, self.count = 0, 0

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        outputs = {"odd": self.parity, "count": self.count}
        if inputs["rst"]:
            self.parity, self.count = 0, 0
        elif inputs["valid"]:
            self.parity ^= inputs["din"] & 1
            self.count = (self.count + 1) & 0xF
        return outputs

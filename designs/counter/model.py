"""Golden model of designs/counter: 8-bit up counter with enable and synchronous reset."""

WIDTH = 8
MASK = (1 << WIDTH) - 1


class Model:
    def reset(self) -> None:
        self.count = 0

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        outputs = {"count": self.count}  # a plain register: visible before the edge
        if inputs["rst"]:
            self.count = 0
        elif inputs["en"]:
            self.count = (self.count + 1) & MASK
        return outputs

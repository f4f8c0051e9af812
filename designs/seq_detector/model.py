"""Golden model of designs/seq_detector: overlapping "1011" Moore detector, async active-low reset."""

# next state per (state, din); state 4 means "1011" was just seen
NEXT = {
    0: (0, 1),
    1: (2, 1),
    2: (0, 3),
    3: (2, 4),
    4: (2, 1),
}


class Model:
    def reset(self) -> None:
        self.state = 0

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        if not inputs["rst_n"]:      # asynchronous: the state is cleared before the edge
            self.state = 0
            return {"detected": 0}
        outputs = {"detected": int(self.state == 4)}
        self.state = NEXT[self.state][inputs["din"] & 1]
        return outputs

"""Golden model of designs/fsm_mealy101: overlapping 1,0,1 Mealy detector, async active-low reset."""


class Model:
    def reset(self) -> None:
        self.seen = 0            # longest suffix that is a prefix of 101: 0 = "", 1 = "1", 2 = "10"

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        if not inputs["rst_n"]:
            self.seen = 0
            return {"match": 0}
        din = inputs["din"] & 1
        outputs = {"match": int(self.seen == 2 and din == 1)}
        self.seen = {0: (0, 1), 1: (2, 1), 2: (0, 1)}[self.seen][din]
        return outputs

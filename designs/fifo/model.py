"""Golden model of designs/fifo: synchronous FIFO, registered read data, DEPTH=4, WIDTH=8."""
from collections import deque

DEPTH = 4
WIDTH = 8
MASK = (1 << WIDTH) - 1


class Model:
    def reset(self) -> None:
        self.entries: deque[int] = deque()
        self.rd_data = 0

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        n = len(self.entries)
        outputs = {
            "rd_data": self.rd_data,
            "full": int(n == DEPTH),
            "empty": int(n == 0),
            "count": n,
        }
        if inputs["rst"]:
            self.reset()
            return outputs
        do_write = inputs["wr_en"] and n < DEPTH   # flags as seen before the edge
        do_read = inputs["rd_en"] and n > 0
        if do_read:
            self.rd_data = self.entries.popleft()
        if do_write:
            self.entries.append(inputs["wr_data"] & MASK)
        return outputs

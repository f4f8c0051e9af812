"""Golden model of designs/uart_tx: 8N1 UART transmitter, CLKS_PER_BIT = 4."""

CLKS_PER_BIT = 4
IDLE, START, DATA, STOP = range(4)


class Model:
    def reset(self) -> None:
        self.state = IDLE
        self.count = 0      # clock cycles spent in the current bit
        self.bit = 0        # data bit being sent
        self.data = 0

    def _tx(self) -> int:
        if self.state == START:
            return 0
        if self.state == DATA:
            return (self.data >> self.bit) & 1
        return 1            # idle and stop bit

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        outputs = {"tx": self._tx(), "busy": int(self.state != IDLE)}
        if inputs["rst"]:
            self.reset()
            return outputs
        bit_done = self.count == CLKS_PER_BIT - 1
        if self.state == IDLE:
            if inputs["tx_start"]:
                self.state, self.count, self.data = START, 0, inputs["tx_data"] & 0xFF
        elif not bit_done:
            self.count += 1
        else:
            self.count = 0
            if self.state == START:
                self.state, self.bit = DATA, 0
            elif self.state == DATA:
                if self.bit == 7:
                    self.state = STOP
                else:
                    self.bit += 1
            else:
                self.state = IDLE
        return outputs

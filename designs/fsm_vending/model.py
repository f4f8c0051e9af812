"""Golden model of designs/fsm_vending: 15-cent vending controller, sync reset."""


class Model:
    def reset(self) -> None:
        self.credit = 0          # nickels inserted so far (0..2), or -1 while dispensing

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        vending = self.credit < 0
        outputs = {"dispense": int(vending), "credit": 0 if vending else self.credit}
        if inputs["rst"]:
            self.credit = 0
        elif vending:
            self.credit = 0
        else:
            coin = 2 if inputs["dime"] else 1 if inputs["nickel"] else 0
            total = self.credit + coin
            self.credit = -1 if total >= 3 else total
        return outputs

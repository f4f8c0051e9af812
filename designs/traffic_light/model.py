"""Golden model of designs/traffic_light: GREEN_TIME=6, YELLOW_TIME=2, CLEAR_TIME=1."""

GREEN_TIME, YELLOW_TIME, CLEAR_TIME = 6, 2, 1

NS_GREEN, NS_YELLOW, CLEAR_TO_EW, EW_GREEN, EW_YELLOW, CLEAR_TO_NS = range(6)
DURATION = [GREEN_TIME, YELLOW_TIME, CLEAR_TIME, GREEN_TIME, YELLOW_TIME, CLEAR_TIME]
# (ns, ew) light per phase: "r", "y" or "g"
LIGHTS = [("g", "r"), ("y", "r"), ("r", "r"), ("r", "g"), ("r", "y"), ("r", "r")]


class Model:
    def reset(self) -> None:
        self.phase = NS_GREEN
        self.elapsed = 0       # cycles already spent in this phase (saturates in NS_GREEN)

    def step(self, inputs: dict[str, int]) -> dict[str, int]:
        ns, ew = LIGHTS[self.phase]
        outputs = {
            "ns_red": int(ns == "r"), "ns_yellow": int(ns == "y"), "ns_green": int(ns == "g"),
            "ew_red": int(ew == "r"), "ew_yellow": int(ew == "y"), "ew_green": int(ew == "g"),
        }
        if inputs["rst"]:
            self.reset()
            return outputs
        done = self.elapsed == DURATION[self.phase] - 1
        if done and (self.phase != NS_GREEN or inputs["ew_car"]):
            self.phase, self.elapsed = (self.phase + 1) % 6, 0
        elif not done:
            self.elapsed += 1
        return outputs

"""Golden model of designs/priority_encoder: highest set bit of an 8-bit request vector."""


def evaluate(inputs: dict[str, int]) -> dict[str, int]:
    req = inputs["req"] & 0xFF
    if req == 0:
        return {"idx": 0, "valid": 0}
    return {"idx": req.bit_length() - 1, "valid": 1}

"""Golden model of designs/gray_code: 8-bit binary <-> Gray code converters."""


def evaluate(inputs: dict[str, int]) -> dict[str, int]:
    b, g = inputs["bin_in"] & 0xFF, inputs["gray_in"] & 0xFF
    decoded = 0
    while g:            # binary = g ^ g>>1 ^ g>>2 ^ ...
        decoded ^= g
        g >>= 1
    return {"gray_out": b ^ (b >> 1), "bin_out": decoded}

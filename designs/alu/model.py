"""Golden model of designs/alu: 8-bit combinational ALU with zero and carry flags."""

MASK = 0xFF


def evaluate(inputs: dict[str, int]) -> dict[str, int]:
    a, b, op = inputs["a"] & MASK, inputs["b"] & MASK, inputs["op"] & 7
    carry = 0
    if op == 0:                      # ADD
        full = a + b
        y, carry = full & MASK, full >> 8
    elif op == 1:                    # SUB, carry = borrow
        y, carry = (a - b) & MASK, int(a < b)
    elif op == 2:
        y = a & b
    elif op == 3:
        y = a | b
    elif op == 4:
        y = a ^ b
    elif op == 5:                    # SHL
        y, carry = (a << 1) & MASK, a >> 7
    elif op == 6:                    # SHR (logical)
        y, carry = a >> 1, a & 1
    else:                            # SLTU
        y = int(a < b)
    return {"y": y, "zero": int(y == 0), "carry": carry}

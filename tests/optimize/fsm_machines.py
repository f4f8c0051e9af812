"""Small FSMs for the FSM optimizer tests, written as Verilog from a state table."""
from __future__ import annotations


def moore(states: dict[str, tuple[str, str, int]], reset: str, width: int = 3, top: str = "m") -> str:
    """A two-process Moore machine: ``states[name] = (next on x=0, next on x=1, output y)``."""
    names = list(states)
    codes = ",\n           ".join(f"{n} = {width}'d{i}" for i, n in enumerate(names))
    arms = "\n".join(f"      {n}: nxt = x ? {b} : {a};" for n, (a, b, _) in states.items())
    ones = [n for n, (_, _, y) in states.items() if y]
    out = " || ".join(f"(s == {n})" for n in ones) or "1'b0"
    return f"""module {top}(input clk, input rst, input x, output y);
  localparam {codes};
  reg [{width - 1}:0] s, nxt;
  always @(*) begin
    case (s)
{arms}
      default: nxt = {reset};
    endcase
  end
  always @(posedge clk) begin
    if (rst) s <= {reset};
    else s <= nxt;
  end
  assign y = {out};
endmodule
"""


# mod-6 counter on x whose output marks multiples of 3: only refinement shows S0~S3, S1~S4, S2~S5
MOD6_AS_MOD3 = moore({f"S{i}": (f"S{i}", f"S{(i + 1) % 6}", int(i % 3 == 0)) for i in range(6)}, "S0")
# the same counter marking only S0: already minimal
MOD6 = moore({f"S{i}": (f"S{i}", f"S{(i + 1) % 6}", int(i == 0)) for i in range(6)}, "S0")
# B~C and D~E by identical rows, F unreachable
DIAMOND = moore({"A": ("B", "C", 0), "B": ("D", "E", 0), "C": ("D", "E", 0), "D": ("A", "A", 1),
                 "E": ("A", "A", 1), "F": ("A", "F", 1)}, "A")

# Mealy: out depends on the state and x; P and Q have equal rows but differ in out when x=1
MEALY_DISTINCT = """module m(input clk, input rst_n, input x, output reg out);
  localparam [1:0] I = 2'd0, P = 2'd1, Q = 2'd2;
  reg [1:0] s, n;
  always @(*) begin
    out = 1'b0;
    case (s)
      I: n = x ? P : Q;
      P: begin n = I; out = x; end
      Q: begin n = I; out = 1'b0; end
      default: n = I;
    endcase
  end
  always @(posedge clk or negedge rst_n)
    if (!rst_n) s <= I;
    else s <= n;
endmodule
"""
# the same with Q's output equal to P's: P and Q merge
MEALY_SAME = MEALY_DISTINCT.replace("Q: begin n = I; out = 1'b0; end", "Q: begin n = I; out = x; end")
# an unspecified (x) output in P where Q drives 0: must not merge
MEALY_DONT_CARE = MEALY_DISTINCT.replace("P: begin n = I; out = x; end", "P: begin n = I; out = 1'bx; end")

# SystemVerilog enum codes; RUN and RUN_AGAIN are equivalent
ENUM_SV = """module m(input logic clk, input logic rst, input logic x, output logic busy);
  typedef enum logic [1:0] {IDLE, RUN, RUN_AGAIN, HALT} st_t;
  st_t s, n;
  always_comb begin
    n = s;
    case (s)
      IDLE:      n = x ? RUN : IDLE;
      RUN:       n = x ? RUN_AGAIN : HALT;
      RUN_AGAIN: n = x ? RUN : HALT;
      HALT:      n = IDLE;
      default:   n = IDLE;
    endcase
  end
  always_ff @(posedge clk) begin
    if (rst) s <= IDLE;
    else s <= n;
  end
  assign busy = (s == RUN) || (s == RUN_AGAIN);
endmodule
"""

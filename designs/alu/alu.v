// alu: 8-bit combinational ALU. op selects ADD, SUB, AND, OR, XOR, SHL, SHR, SLTU;
// carry is the carry out (ADD), the borrow (SUB) or the bit shifted out (SHL/SHR), else 0;
// zero flags a zero result.
module alu (
    input  wire [7:0] a,
    input  wire [7:0] b,
    input  wire [2:0] op,
    output reg  [7:0] y,
    output wire       zero,
    output reg        carry
);

    localparam [2:0] OP_ADD  = 3'b000,
                     OP_SUB  = 3'b001,
                     OP_AND  = 3'b010,
                     OP_OR   = 3'b011,
                     OP_XOR  = 3'b100,
                     OP_SHL  = 3'b101,
                     OP_SHR  = 3'b110,
                     OP_SLTU = 3'b111;

    // One shared 9-bit adder serves ADD, SUB (a + ~b + 1) and SLTU (borrow of a - b).
    wire       subtract = (op == OP_SUB) || (op == OP_SLTU);
    wire [7:0] b_eff    = subtract ? ~b : b;
    wire [8:0] sum      = {1'b0, a} + {1'b0, b_eff} + {8'd0, subtract};
    wire       borrow   = ~sum[8];   // a - b borrows exactly when there is no carry out

    always @(*) begin
        carry = 1'b0;
        case (op)
            OP_ADD:  begin y = sum[7:0]; carry = sum[8]; end
            OP_SUB:  begin y = sum[7:0]; carry = borrow; end
            OP_AND:  y = a & b;
            OP_OR:   y = a | b;
            OP_XOR:  y = a ^ b;
            OP_SHL:  begin y = {a[6:0], 1'b0}; carry = a[7]; end
            OP_SHR:  begin y = {1'b0, a[7:1]}; carry = a[0]; end
            default: y = {7'd0, borrow};    // OP_SLTU
        endcase
    end

    assign zero = (y == 8'd0);

endmodule

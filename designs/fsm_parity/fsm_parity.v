// fsm_parity: running parity of the valid bits of a serial stream, plus a count of valid bits.
// The FSM was drafted with separate states for the first and later bits (EVEN_FIRST/ODD_FIRST
// and EVEN/ODD) that turned out to behave identically. The bit counter is ordinary datapath
// logic that the FSM optimizer must keep as it is.
module fsm_parity (
    input  wire       clk,
    input  wire       rst,
    input  wire       valid,
    input  wire       din,
    output wire       odd,
    output reg  [3:0] count
);

    localparam [1:0] EVEN_FIRST = 2'b00,
                     ODD_FIRST  = 2'b01,
                     EVEN       = 2'b10,
                     ODD        = 2'b11;

    reg [1:0] state, state_nx;

    always @(*) begin
        state_nx = state;
        if (valid) begin
            case (state)
                EVEN_FIRST: state_nx = din ? ODD : EVEN;
                ODD_FIRST:  state_nx = din ? EVEN : ODD;
                EVEN:       state_nx = din ? ODD : EVEN;
                ODD:        state_nx = din ? EVEN : ODD;
                default:    state_nx = EVEN_FIRST;
            endcase
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            state <= EVEN_FIRST;
            count <= 4'd0;
        end else begin
            state <= state_nx;
            if (valid) count <= count + 4'd1;
        end
    end

    assign odd = (state == ODD_FIRST) | (state == ODD);

endmodule

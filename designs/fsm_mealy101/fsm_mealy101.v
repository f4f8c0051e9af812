// fsm_mealy101: Mealy detector of the serial pattern 1,0,1 (overlapping). `match` is 1 in the
// cycle whose `din` completes the pattern. A draft with a redundant state: after a match the
// machine enters S1_AGAIN, which behaves exactly as S1 ("a 1 was seen") although its transitions
// are written differently, so only partition refinement (not row comparison) shows they are equal.
module fsm_mealy101 (
    input  wire clk,
    input  wire rst_n,
    input  wire din,
    output reg  match
);

    localparam [1:0] S0       = 2'd0,   // nothing useful seen
                     S1       = 2'd1,   // "1"
                     S10      = 2'd2,   // "10"
                     S1_AGAIN = 2'd3;   // "1" (right after a match)

    reg [1:0] state, state_next;

    always @(*) begin
        match = 1'b0;
        case (state)
            S0:       state_next = din ? S1 : S0;
            S1:       state_next = din ? S1 : S10;
            S10: begin
                state_next = din ? S1_AGAIN : S0;
                match = din;
            end
            S1_AGAIN: state_next = din ? S1_AGAIN : S10;
            default:  state_next = S0;
        endcase
    end

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) state <= S0;
        else        state <= state_next;
    end

endmodule

// fsm_pulse: on `go`, emits a two-cycle pulse followed by a two-cycle guard gap, then waits for
// the next `go`. States are coded one-hot by hand, which costs flip-flops; the optimizer may
// choose another encoding (the machine itself is already minimal).
module fsm_pulse (
    input  wire clk,
    input  wire rst_n,
    input  wire go,
    output wire pulse,
    output wire ready
);

    localparam [5:0] WAIT  = 6'b000001,
                     ARM   = 6'b000010,
                     HIGH1 = 6'b000100,
                     HIGH2 = 6'b001000,
                     GAP1  = 6'b010000,
                     GAP2  = 6'b100000;

    reg [5:0] cur, nxt;

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) cur <= WAIT;
        else        cur <= nxt;
    end

    always @(*) begin
        case (cur)
            WAIT:    nxt = go ? ARM : WAIT;
            ARM:     nxt = HIGH1;
            HIGH1:   nxt = HIGH2;
            HIGH2:   nxt = GAP1;
            GAP1:    nxt = GAP2;
            GAP2:    nxt = WAIT;
            default: nxt = WAIT;
        endcase
    end

    assign pulse = (cur == HIGH1) || (cur == HIGH2);
    assign ready = (cur == WAIT);

endmodule

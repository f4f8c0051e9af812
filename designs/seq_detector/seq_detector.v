// seq_detector: Moore FSM that flags the serial pattern 1,0,1,1 with overlap.
//
// detected is high for the one cycle after the edge that sampled the final 1.
// rst_n is an asynchronous, active-low reset to the idle state.
module seq_detector (
    input  wire clk,
    input  wire rst_n,
    input  wire din,
    output wire detected
);

    // State = longest suffix of the input so far that is a prefix of 1011.
    localparam [2:0] S_IDLE = 3'd0,   // ""
                     S_1    = 3'd1,   // "1"
                     S_10   = 3'd2,   // "10"
                     S_101  = 3'd3,   // "101"
                     S_1011 = 3'd4;   // "1011": match

    reg [2:0] state;
    reg [2:0] state_next;

    always @(*) begin
        case (state)
            S_IDLE:  state_next = din ? S_1    : S_IDLE;
            S_1:     state_next = din ? S_1    : S_10;
            S_10:    state_next = din ? S_101  : S_IDLE;
            S_101:   state_next = din ? S_1011 : S_10;
            S_1011:  state_next = din ? S_1    : S_10;   // overlap: the last 1 starts anew
            default: state_next = S_IDLE;
        endcase
    end

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n)
            state <= S_IDLE;
        else
            state <= state_next;
    end

    assign detected = (state == S_1011);

endmodule

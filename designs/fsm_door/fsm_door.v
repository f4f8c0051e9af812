// fsm_door: garage-door controller written as a single clocked process. One button toggles the
// motor direction; limit switches stop it. Two states are equivalent (STOPPED_UP and
// STOPPED_DOWN_HALF were meant to differ but were given the same behaviour), and the SERVICE
// state is unreachable (the service input it waited for was removed).
module fsm_door (
    input  wire clk,
    input  wire rst_n,
    input  wire button,
    input  wire at_top,
    input  wire at_bottom,
    output wire motor_up,
    output wire motor_down
);

    localparam CLOSED            = 3'd0,
               OPENING           = 3'd1,
               OPEN              = 3'd2,
               CLOSING           = 3'd3,
               STOPPED_UP        = 3'd4,   // stopped by the button while opening
               STOPPED_DOWN_HALF = 3'd5,   // stopped by the button while closing
               SERVICE           = 3'd6;

    reg [2:0] state;

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            state <= CLOSED;
        end else begin
            case (state)
                CLOSED:            if (button) state <= OPENING;
                OPENING:           if (at_top) state <= OPEN;
                                   else if (button) state <= STOPPED_UP;
                OPEN:              if (button) state <= CLOSING;
                CLOSING:           if (at_bottom) state <= CLOSED;
                                   else if (button) state <= STOPPED_DOWN_HALF;
                STOPPED_UP:        if (button) state <= CLOSING;
                STOPPED_DOWN_HALF: if (button) state <= CLOSING;
                SERVICE:           if (button) state <= CLOSED;
                default:           state <= CLOSED;
            endcase
        end
    end

    assign motor_up   = (state == OPENING);
    assign motor_down = (state == CLOSING);

endmodule

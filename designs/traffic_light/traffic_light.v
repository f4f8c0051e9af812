// traffic_light: NS/EW intersection controller. NS (main road) stays green until a car waits
// on EW and NS has been green for GREEN_TIME cycles; then yellow, an all-red clearance, a fixed
// EW green, EW yellow and a second clearance lead back to NS green. Durations are in cycles.
module traffic_light #(
    parameter GREEN_TIME  = 6,
    parameter YELLOW_TIME = 2,
    parameter CLEAR_TIME  = 1
) (
    input  wire clk,
    input  wire rst,
    input  wire ew_car,
    output wire ns_red,
    output wire ns_yellow,
    output wire ns_green,
    output wire ew_red,
    output wire ew_yellow,
    output wire ew_green
);

    localparam [2:0] P_NS_GREEN    = 3'd0,
                     P_NS_YELLOW   = 3'd1,
                     P_CLEAR_TO_EW = 3'd2,
                     P_EW_GREEN    = 3'd3,
                     P_EW_YELLOW   = 3'd4,
                     P_CLEAR_TO_NS = 3'd5;

    // The timer must hold the longest duration minus one.
    localparam MAX_TIME = (GREEN_TIME > YELLOW_TIME)
                          ? ((GREEN_TIME > CLEAR_TIME) ? GREEN_TIME : CLEAR_TIME)
                          : ((YELLOW_TIME > CLEAR_TIME) ? YELLOW_TIME : CLEAR_TIME);
    localparam T_W = (MAX_TIME > 1) ? $clog2(MAX_TIME) : 1;

    localparam [T_W-1:0] GREEN_LAST  = GREEN_TIME[T_W-1:0]  - 1'b1;
    localparam [T_W-1:0] YELLOW_LAST = YELLOW_TIME[T_W-1:0] - 1'b1;
    localparam [T_W-1:0] CLEAR_LAST  = CLEAR_TIME[T_W-1:0]  - 1'b1;

    reg [2:0]     phase;
    reg [T_W-1:0] elapsed;    // cycles spent in the phase so far
    reg [T_W-1:0] last;       // value of elapsed in the phase's final (minimum) cycle

    always @(*) begin
        case (phase)
            P_NS_GREEN,    P_EW_GREEN:    last = GREEN_LAST;
            P_NS_YELLOW,   P_EW_YELLOW:   last = YELLOW_LAST;
            P_CLEAR_TO_EW, P_CLEAR_TO_NS: last = CLEAR_LAST;
            default:                      last = {T_W{1'b0}};  // codes 6, 7 never occur
        endcase
    end

    wire time_up = (elapsed == last);
    // NS green waits for a car on EW; every other phase just runs out.
    wire advance = time_up && (phase != P_NS_GREEN || ew_car);

    always @(posedge clk) begin
        if (rst) begin
            phase   <= P_NS_GREEN;
            elapsed <= {T_W{1'b0}};
        end else if (advance) begin
            phase   <= (phase == P_CLEAR_TO_NS) ? P_NS_GREEN : phase + 3'd1;
            elapsed <= {T_W{1'b0}};
        end else if (!time_up) begin
            elapsed <= elapsed + 1'b1;
        end
        // NS green with time up and no car: hold (elapsed saturates)
    end

    assign ns_green  = (phase == P_NS_GREEN);
    assign ns_yellow = (phase == P_NS_YELLOW);
    assign ns_red    = !(ns_green || ns_yellow);
    assign ew_green  = (phase == P_EW_GREEN);
    assign ew_yellow = (phase == P_EW_YELLOW);
    assign ew_red    = !(ew_green || ew_yellow);

endmodule

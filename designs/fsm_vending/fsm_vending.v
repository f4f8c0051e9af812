// fsm_vending: 15-cent vending controller (Moore). Coins: nickel (5) and dime (10); a dime wins
// when both are seen in one cycle. Written the way a first draft often is: the 10-cent credit
// and the dispense state exist twice (reached by different coin orders) though they behave the
// same, so the optimizer's equivalent-state merge has something to find.
module fsm_vending (
    input  wire clk,
    input  wire rst,
    input  wire nickel,
    input  wire dime,
    output wire dispense,
    output wire [1:0] credit
);

    localparam [2:0] IDLE   = 3'd0,
                     C5     = 3'd1,
                     C10    = 3'd2,   // 10 cents after two nickels
                     C10_D  = 3'd3,   // 10 cents after one dime (same behaviour as C10)
                     DISP   = 3'd4,   // vend after exactly 15 cents
                     DISP_2 = 3'd5;   // vend after 20 cents (no change given: same as DISP)

    reg [2:0] state, next;

    always @(*) begin
        next = state;
        case (state)
            IDLE:   if (dime) next = C10_D; else if (nickel) next = C5;
            C5:     if (dime) next = DISP;  else if (nickel) next = C10;
            C10:    if (dime) next = DISP_2; else if (nickel) next = DISP;
            C10_D:  if (dime) next = DISP_2; else if (nickel) next = DISP;
            DISP:   next = IDLE;
            DISP_2: next = IDLE;
            default: next = IDLE;
        endcase
    end

    always @(posedge clk) begin
        if (rst) state <= IDLE;
        else     state <= next;
    end

    assign dispense = (state == DISP) || (state == DISP_2);

    reg [1:0] credit_r;   // credit in nickels shown to the customer
    always @(*) begin
        case (state)
            C5:            credit_r = 2'd1;
            C10, C10_D:    credit_r = 2'd2;
            default:       credit_r = 2'd0;
        endcase
    end
    assign credit = credit_r;

endmodule

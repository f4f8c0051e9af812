// uart_tx: UART transmitter, 8 data bits LSB first, no parity, one stop bit (8N1).
//
// Each bit lasts CLKS_PER_BIT clock cycles (>= 2). A request (tx_start) is accepted only when
// idle; the start bit begins in the next cycle and busy stays high for the whole frame.
// tx is driven from a register so the serial line cannot glitch.
module uart_tx #(
    parameter CLKS_PER_BIT = 4
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       tx_start,
    input  wire [7:0] tx_data,
    output reg        tx,
    output wire       busy
);

    localparam CNT_W = $clog2(CLKS_PER_BIT);
    localparam [CNT_W-1:0] LAST_CLK = CLKS_PER_BIT[CNT_W-1:0] - 1'b1;

    localparam [1:0] S_IDLE  = 2'd0,
                     S_START = 2'd1,
                     S_DATA  = 2'd2,
                     S_STOP  = 2'd3;

    reg [1:0]       state;
    reg [CNT_W-1:0] clk_cnt;   // cycles spent in the current bit
    reg [2:0]       bit_idx;   // data bit being sent
    reg [7:0]       shifter;   // remaining data bits, next one in bit 0

    wire bit_done = (clk_cnt == LAST_CLK);

    assign busy = (state != S_IDLE);

    always @(posedge clk) begin
        if (rst) begin
            state   <= S_IDLE;
            clk_cnt <= {CNT_W{1'b0}};
            bit_idx <= 3'd0;
            shifter <= 8'd0;
            tx      <= 1'b1;
        end else begin
            case (state)
                S_IDLE: begin
                    clk_cnt <= {CNT_W{1'b0}};
                    if (tx_start) begin
                        shifter <= tx_data;
                        state   <= S_START;
                        tx      <= 1'b0;            // start bit
                    end
                end
                S_START: begin
                    if (bit_done) begin
                        clk_cnt <= {CNT_W{1'b0}};
                        bit_idx <= 3'd0;
                        state   <= S_DATA;
                        tx      <= shifter[0];      // data bit 0
                    end else begin
                        clk_cnt <= clk_cnt + 1'b1;
                    end
                end
                S_DATA: begin
                    if (bit_done) begin
                        clk_cnt <= {CNT_W{1'b0}};
                        if (bit_idx == 3'd7) begin
                            state <= S_STOP;
                            tx    <= 1'b1;          // stop bit
                        end else begin
                            bit_idx <= bit_idx + 1'b1;
                            shifter <= {1'b0, shifter[7:1]};
                            tx      <= shifter[1];  // next data bit
                        end
                    end else begin
                        clk_cnt <= clk_cnt + 1'b1;
                    end
                end
                default: begin                      // S_STOP
                    if (bit_done) begin
                        clk_cnt <= {CNT_W{1'b0}};
                        state   <= S_IDLE;
                    end else begin
                        clk_cnt <= clk_cnt + 1'b1;
                    end
                end
            endcase
        end
    end

endmodule

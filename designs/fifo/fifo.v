// fifo: single-clock FIFO of DEPTH x WIDTH with a registered read port.
//
// A write is accepted when wr_en is high and the FIFO is not full; a read when rd_en is high
// and it is not empty (flags as seen before the clock edge). The word removed by a read on
// one edge shows on rd_data from the next cycle on and is held until the next read.
// Pointers wrap at DEPTH, so DEPTH need not be a power of two (DEPTH >= 2).
module fifo #(
    parameter WIDTH = 8,
    parameter DEPTH = 4
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             wr_en,
    input  wire [WIDTH-1:0] wr_data,
    input  wire             rd_en,
    output reg  [WIDTH-1:0] rd_data,
    output wire             full,
    output wire             empty,
    output reg  [$clog2(DEPTH+1)-1:0] count
);

    localparam ADDR_W = $clog2(DEPTH);      // pointer width
    localparam CNT_W  = $clog2(DEPTH + 1);  // count width: 0 ... DEPTH
    localparam [ADDR_W-1:0] LAST_ADDR = DEPTH[ADDR_W-1:0] - 1'b1;
    localparam [CNT_W-1:0]  FULL_CNT  = DEPTH[CNT_W-1:0];

    reg [WIDTH-1:0]  mem [0:DEPTH-1];
    reg [ADDR_W-1:0] wr_ptr;
    reg [ADDR_W-1:0] rd_ptr;

    assign full  = (count == FULL_CNT);
    assign empty = (count == {CNT_W{1'b0}});

    wire do_write = wr_en && !full;
    wire do_read  = rd_en && !empty;

    // Storage: no reset, so it maps onto plain RAM or registers without a reset net.
    always @(posedge clk) begin
        if (do_write)
            mem[wr_ptr] <= wr_data;
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_ptr  <= {ADDR_W{1'b0}};
            rd_ptr  <= {ADDR_W{1'b0}};
            count   <= {CNT_W{1'b0}};
            rd_data <= {WIDTH{1'b0}};
        end else begin
            if (do_write)
                wr_ptr <= (wr_ptr == LAST_ADDR) ? {ADDR_W{1'b0}} : wr_ptr + 1'b1;
            if (do_read) begin
                rd_data <= mem[rd_ptr];
                rd_ptr  <= (rd_ptr == LAST_ADDR) ? {ADDR_W{1'b0}} : rd_ptr + 1'b1;
            end
            case ({do_write, do_read})
                2'b10:   count <= count + 1'b1;
                2'b01:   count <= count - 1'b1;
                default: count <= count;  // none, or one in and one out
            endcase
        end
    end

endmodule

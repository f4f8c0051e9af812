// counter: WIDTH-bit up counter with enable and synchronous, active-high reset.
// count is a plain register; reset has priority over enable; it wraps at 2**WIDTH.
module counter #(
    parameter WIDTH = 8
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             en,
    output reg  [WIDTH-1:0] count
);

    always @(posedge clk) begin
        if (rst)
            count <= {WIDTH{1'b0}};
        else if (en)
            count <= count + 1'b1;
    end

endmodule

// priority_encoder: index of the highest set bit of req; valid says whether any bit is set.
module priority_encoder (
    input  wire [7:0] req,
    output reg  [2:0] idx,
    output wire       valid
);

    integer i;

    // Scan from bit 0 upwards so that a higher set bit overrides a lower one.
    always @(*) begin
        idx = 3'd0;
        for (i = 0; i < 8; i = i + 1)
            if (req[i])
                idx = i[2:0];
    end

    assign valid = |req;

endmodule

// gray_code: 8-bit binary-to-Gray encoder and Gray-to-binary decoder, side by side.
module gray_code (
    input  wire [7:0] bin_in,
    input  wire [7:0] gray_in,
    output wire [7:0] gray_out,
    output wire [7:0] bin_out
);

    // Encode: each Gray bit is the XOR of two neighbouring binary bits.
    assign gray_out = bin_in ^ {1'b0, bin_in[7:1]};

    // Decode: each binary bit is the XOR of all Gray bits at and above it.
    assign bin_out[7] = gray_in[7];

    genvar i;
    generate
        for (i = 6; i >= 0; i = i - 1) begin : g_decode
            assign bin_out[i] = bin_out[i + 1] ^ gray_in[i];
        end
    endgenerate

endmodule

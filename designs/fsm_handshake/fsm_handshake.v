// fsm_handshake: four-phase request/acknowledge master. On `start` it raises `req`, waits for
// `ack`, drops `req`, waits for `ack` to fall, then pulses `done`. The ERROR and RETRY states
// are left over from an earlier version with a timeout: nothing enters them any more, so they
// are unreachable and the optimizer may remove them.
module fsm_handshake (
    input  wire clk,
    input  wire rst,
    input  wire start,
    input  wire ack,
    output reg  req,
    output reg  done,
    output reg  busy
);

    localparam [2:0] IDLE     = 3'd0,
                     REQ      = 3'd1,
                     RELEASE  = 3'd2,
                     FINISH   = 3'd3,
                     ERROR    = 3'd4,
                     RETRY    = 3'd5;

    reg [2:0] state, next;

    always @(*) begin
        case (state)
            IDLE:    next = start ? REQ : IDLE;
            REQ:     next = ack ? RELEASE : REQ;
            RELEASE: next = ack ? RELEASE : FINISH;
            FINISH:  next = IDLE;
            ERROR:   next = RETRY;
            RETRY:   next = start ? REQ : ERROR;
            default: next = IDLE;
        endcase
    end

    always @(posedge clk) begin
        if (rst) state <= IDLE;
        else     state <= next;
    end

    always @(*) begin
        req  = 1'b0;
        done = 1'b0;
        busy = 1'b1;
        case (state)
            IDLE:    busy = 1'b0;
            REQ:     req  = 1'b1;
            FINISH:  done = 1'b1;
            ERROR:   busy = 1'b0;
            RETRY:   req  = 1'b1;
            default: ;
        endcase
    end

endmodule

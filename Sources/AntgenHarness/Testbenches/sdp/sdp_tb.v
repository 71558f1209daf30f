// antgen SDP array testbench (Icarus and Verilator --binary --timing alike).
//
//   +vectors=FILE [+bubbles=SEED]
//
// Reads an SDP golden vector file (docs/verification.md, "SDP vectors"), drives one group
// beat per accepted cycle (random in_valid bubbles with +bubbles), and checks (1) every
// issued step's terms (issue_terms) against the golden selection, in issue order, (2) every
// output row against the golden accumulators, (3) the first-row latency S + rows + cols
// when no stall can occur. The build-specific include "sdp_tb_params.vh" (written by antgen)
// defines ROWS, COLS, G, T, ACC_W, CW, TW, WINT8, WORDS and instantiates the DUT.
//
// stdout: MISMATCH / LATENCY / ERROR lines, "TILE id first_accept= last_accept= first_out=
// last_out=", "CASE id PASS|FAIL", then "SUMMARY cases= passed= failed= cycles= errors=".
`timescale 1ns/1ps
`default_nettype none
module sdp_tb;
    reg clock = 1'b0;
    reg reset = 1'b1;
    reg in_valid = 1'b0;
    reg in_last = 1'b0;
    reg cfg_act_signed = 1'b0;
    reg [1:0] cfg_weight_type = 2'd0;
    reg cfg_weight_signed = 1'b0;
    reg cfg_weight_int8 = 1'b0;
    wire in_ready, out_valid, issue_valid;
    wire [31:0] out_row_wide;
`include "sdp_tb_params.vh"
    reg [ROWS*G*8-1:0] a_group_r;
    reg [COLS*G*CW-1:0] w_group_r;
    assign a_group = a_group_r;
    assign w_group = w_group_r;

    reg [63:0] mem [0:WORDS-1];
    integer case_base [0:MAX_CASES-1];
    integer mismatches [0:MAX_CASES-1];
    integer first_accept [0:MAX_CASES-1];
    integer last_accept [0:MAX_CASES-1];
    integer first_out [0:MAX_CASES-1];
    reg [1023:0] path;
    integer ncases, c, b, i, j, e, t, p, beats_of, base, cycle, errors, printed, passed, bubble_seed, idle;
    integer cur_case, cur_beat, iss_case, iss_beat, iss_step, out_case, exp_row, done, last_progress, steps, lat;
    reg bubble, offer;
    reg [63:0] want, got, mask;
    reg [31:0] rng;

    always #5 clock = ~clock;

    // Word address of beat b of case c, and of its parts.
    function integer beat_base(input integer cc, input integer bb);
        beat_base = case_base[cc] + 4 + bb * (ROWS * G + COLS * G + T * ROWS);
    endfunction
    function integer result_base(input integer cc);
        result_base = case_base[cc] + 4 + mem[case_base[cc] + 1] * (ROWS * G + COLS * G + T * ROWS);
    endfunction

    initial begin
        if (!$value$plusargs("vectors=%s", path)) begin
            $display("ERROR no +vectors=FILE"); $finish;
        end
        if (!$value$plusargs("bubbles=%d", bubble_seed)) bubble_seed = 0;
        $readmemh(path, mem);
        if (mem[0] !== 64'h53445031 || mem[1] != ROWS || mem[2] != COLS || mem[3] != G || mem[4] != T || mem[5] != ACC_W || mem[8] != WORDS) begin
            $display("ERROR vector file does not match this build (%0dx%0d G=%0d T=%0d W=%0d)", ROWS, COLS, G, T, ACC_W);
            $finish;
        end
        ncases = mem[7];
        p = 9;
        for (c = 0; c < ncases; c = c + 1) begin
            case_base[c] = p;
            mismatches[c] = 0; first_accept[c] = -1; last_accept[c] = -1; first_out[c] = -1;
            p = result_base(c) + ROWS * COLS;
        end
        mask = ACC_W >= 64 ? ~64'd0 : ((64'd1 << ACC_W) - 1);
        rng = bubble_seed == 0 ? 1 : bubble_seed;
        a_group_r = 0; w_group_r = 0;
        cycle = 0; errors = 0; printed = 0; done = 0;
        cur_case = 0; cur_beat = 0; iss_case = 0; iss_beat = 0; iss_step = 0; out_case = 0; exp_row = ROWS - 1;
        last_progress = 0;
        repeat (3) @(negedge clock);
        reset = 1'b0;
        while (done < ncases && cycle - last_progress < 20000) begin
            @(negedge clock);
            rng = rng ^ (rng << 13); rng = rng ^ (rng >> 17); rng = rng ^ (rng << 5);
            bubble = bubble_seed != 0 && rng[2:0] == 3'd0;
            offer = cur_case < ncases && !bubble;
            in_valid = offer;
            if (cur_case < ncases) begin
                base = beat_base(cur_case, cur_beat);
                in_last = cur_beat == mem[case_base[cur_case] + 1] - 1;
                cfg_act_signed = mem[case_base[cur_case] + 2][0];
                cfg_weight_type = mem[case_base[cur_case] + 3][1:0];
                cfg_weight_signed = mem[case_base[cur_case] + 3][4];
                cfg_weight_int8 = mem[case_base[cur_case] + 3][8];
                for (i = 0; i < ROWS; i = i + 1)
                    for (e = 0; e < G; e = e + 1)
                        a_group_r[(i * G + e) * 8 +: 8] = mem[base + i * G + e][7:0];
                for (j = 0; j < COLS; j = j + 1)
                    for (e = 0; e < G; e = e + 1)
                        w_group_r[(j * G + e) * CW +: CW] = mem[base + ROWS * G + j * G + e][CW-1:0];
            end
            #1;
            // (1) the issued terms, in issue order
            if (issue_valid) begin
                last_progress = cycle;
                if (iss_case >= ncases) begin
                    errors = errors + 1;
                    if (printed < 40) $display("ERROR cycle=%0d issue_valid with no beat in flight", cycle);
                    printed = printed + 1;
                end else begin
                    steps = mem[case_base[iss_case] + 3][8] ? 2 * T : T;
                    t = mem[case_base[iss_case] + 3][8] ? iss_step / 2 : iss_step;
                    base = beat_base(iss_case, iss_beat) + ROWS * G + COLS * G + t * ROWS;
                    for (i = 0; i < ROWS; i = i + 1) begin
                        want = mem[base + i];
                        got = issue_terms[i * TW +: TW];
                        if (want != got) begin
                            mismatches[iss_case] = mismatches[iss_case] + 1;
                            if (printed < 40) $display("MISMATCH case=%0d beat=%0d slot=%0d row=%0d selection expected=0x%0h got=0x%0h",
                                                       mem[case_base[iss_case]], iss_beat, t, i, want, got);
                            printed = printed + 1;
                        end
                    end
                    iss_step = iss_step + 1;
                    if (iss_step == steps) begin
                        iss_step = 0; iss_beat = iss_beat + 1;
                        if (iss_beat == mem[case_base[iss_case] + 1]) begin iss_beat = 0; iss_case = iss_case + 1; end
                    end
                end
            end
            // (2) results
            if (out_valid) begin
                last_progress = cycle;
                if (out_case >= ncases) begin
                    errors = errors + 1;
                    if (printed < 40) $display("ERROR cycle=%0d out_valid with no tile in flight", cycle);
                    printed = printed + 1;
                end else begin
                    if (out_row_wide != exp_row) begin
                        mismatches[out_case] = mismatches[out_case] + 1;
                        if (printed < 40) $display("MISMATCH case=%0d out_row expected=%0d got=%0d", mem[case_base[out_case]], exp_row, out_row_wide);
                        printed = printed + 1;
                    end
                    for (j = 0; j < COLS; j = j + 1) begin
                        want = mem[result_base(out_case) + exp_row * COLS + j] & mask;
                        got = 64'd0;
                        got[ACC_W-1:0] = out_data[j * ACC_W +: ACC_W];
                        if (want != got) begin
                            mismatches[out_case] = mismatches[out_case] + 1;
                            if (printed < 40) $display("MISMATCH case=%0d row=%0d col=%0d expected=0x%0h got=0x%0h", mem[case_base[out_case]], exp_row, j, want, got);
                            printed = printed + 1;
                        end
                    end
                    if (exp_row == ROWS - 1) begin
                        first_out[out_case] = cycle;
                        steps = mem[case_base[out_case] + 3][8] ? 2 * T : T;
                        lat = steps + ROWS + COLS;
                        if (mem[case_base[out_case] + 1] * steps >= ROWS && bubble_seed == 0 && cycle - last_accept[out_case] != lat) begin
                            mismatches[out_case] = mismatches[out_case] + 1;
                            if (printed < 40) $display("LATENCY case=%0d first-row observed=%0d expected=%0d", mem[case_base[out_case]], cycle - last_accept[out_case], lat);
                            printed = printed + 1;
                        end
                    end
                    if (exp_row == 0) begin
                        $display("TILE %0d first_accept=%0d last_accept=%0d first_out=%0d last_out=%0d", mem[case_base[out_case]],
                                 first_accept[out_case], last_accept[out_case], first_out[out_case], cycle);
                        exp_row = ROWS - 1; out_case = out_case + 1; done = done + 1;
                    end else exp_row = exp_row - 1;
                end
            end
            // the beat offered this cycle is taken at the next rising edge when in_ready
            if (offer && in_ready) begin
                if (cur_beat == 0) first_accept[cur_case] = cycle;
                last_progress = cycle;
                if (cur_beat == mem[case_base[cur_case] + 1] - 1) begin
                    last_accept[cur_case] = cycle; cur_beat = 0; cur_case = cur_case + 1;
                end else cur_beat = cur_beat + 1;
            end
            cycle = cycle + 1;
        end
        if (done < ncases) begin
            errors = errors + 1;
            $display("ERROR cycle=%0d no progress: case %0d never completed", cycle, done);
        end
        in_valid = 1'b0;
        for (idle = 0; idle < 2 * (ROWS + COLS) + 8; idle = idle + 1) begin
            @(negedge clock); #1;
            if (out_valid || issue_valid) begin
                errors = errors + 1;
                $display("ERROR cycle=%0d unexpected activity after the last tile", cycle + idle);
            end
        end
        passed = 0;
        for (c = 0; c < ncases; c = c + 1) begin
            if (mismatches[c] == 0 && c < done) passed = passed + 1;
            $display("CASE %0d %s", c, (mismatches[c] == 0 && c < done) ? "PASS" : "FAIL");
        end
        $display("SUMMARY cases=%0d passed=%0d failed=%0d cycles=%0d errors=%0d", ncases, passed, ncases - passed, cycle, errors);
        $finish;
    end
endmodule
`default_nettype wire

// antgen SDP array streaming testbench (`antgen run` on the SDP array), for Icarus and
// for a Verilator --binary build alike.
//
//   [+input=FILE]   (default /dev/stdin)
//
// Reads whitespace-separated hex numbers: the tile count, then per tile "beats act_signed
// mode" (mode = type | signed << 4 | int8 << 8, as OperandMode.packed) and per beat ROWS·G
// activation bytes (row-major: row i, element e) and COLS·G weight codes (column j, element
// e). Tiles are offered back to back, one group beat per cycle whenever in_ready allows,
// with in_valid held high while input is available. It checks nothing against expected
// values: it reports what the array computed, and the caller compares.
//
// stdout, per tile in order: "RESULT id first_beat= last_beat= first_row= last_row=" (cycles
// counted from cycle 0, the one in which the first beat is offered), then ROWS lines
// "ROW r v_0 … v_{COLS−1}" (hex, ACC_W bits each); "ERROR …" lines for protocol problems
// ("ERROR input …" for unreadable input); at the end "SUMMARY tiles= cycles= errors=" with
// cycles = the last result row's cycle + 1 (the count OutputStationaryCycles models).
// The build-specific include "sdp_tb_params.vh" (written by antgen) defines ROWS, COLS, G,
// T, ACC_W, CW, TW and instantiates the DUT.
`timescale 1ns/1ps
`default_nettype none
module sdp_stream_tb;
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

    // Accept cycles of the tiles in flight (tile number modulo 256).
    integer first_accept [0:255];
    integer last_accept [0:255];
    reg [ACC_W-1:0] rows_seen [0:ROWS*COLS-1];
    reg [1023:0] path;
    integer fd, got, ntiles, beats, value, i, j, e, idle;
    reg [8:0] mode;
    reg act_signed;
    integer cycle, errors, printed, last_progress, last_row_cycle;
    integer cur_tile, cur_beat, out_tile, exp_row, first_out;
    reg loaded, input_ok;

    always #5 clock = ~clock;

    // Reads one hex number into `value`; on failure reports once and stops feeding.
    task read_value;
        begin
            got = $fscanf(fd, "%h", value);
            if (got != 1 && input_ok) begin
                $display("ERROR input ended or unreadable at tile %0d beat %0d", cur_tile, cur_beat);
                input_ok = 1'b0;
            end
        end
    endtask

    // Loads the next beat of tile cur_tile (its header first when cur_beat is 0).
    task load_beat;
        begin
            if (cur_beat == 0) begin
                read_value; beats = value;
                read_value; act_signed = value[0];
                read_value; mode = value[8:0];
            end
            in_last = cur_beat == beats - 1;
            cfg_act_signed = act_signed;
            cfg_weight_type = mode[1:0];
            cfg_weight_signed = mode[4];
            cfg_weight_int8 = mode[8];
            for (i = 0; i < ROWS; i = i + 1)
                for (e = 0; e < G; e = e + 1) begin
                    read_value; a_group_r[(i * G + e) * 8 +: 8] = value[7:0];
                end
            for (j = 0; j < COLS; j = j + 1)
                for (e = 0; e < G; e = e + 1) begin
                    read_value; w_group_r[(j * G + e) * CW +: CW] = value[CW-1:0];
                end
            loaded = input_ok;
        end
    endtask

    // Prints tile out_tile's answer (all rows are in rows_seen).
    task print_tile;
        begin
            $display("RESULT %0d first_beat=%0d last_beat=%0d first_row=%0d last_row=%0d", out_tile,
                     first_accept[out_tile % 256], last_accept[out_tile % 256], first_out, cycle);
            for (i = 0; i < ROWS; i = i + 1) begin
                $write("ROW %0d", i);
                for (j = 0; j < COLS; j = j + 1) $write(" %h", rows_seen[i * COLS + j]);
                $write("\n");
            end
        end
    endtask

    initial begin
        if (!$value$plusargs("input=%s", path)) path = "/dev/stdin";
        fd = $fopen(path, "r");
        input_ok = fd != 0;
        ntiles = 0;
        if (!input_ok) $display("ERROR input cannot open +input file");
        else begin
            read_value; ntiles = value;
        end
        a_group_r = 0; w_group_r = 0; loaded = 1'b0;
        cycle = 0; errors = 0; printed = 0; last_progress = 0; last_row_cycle = -1;
        cur_tile = 0; cur_beat = 0; out_tile = 0; exp_row = ROWS - 1; first_out = -1; beats = 1;
        repeat (3) @(negedge clock);
        reset = 1'b0;
        while (out_tile < ntiles && cycle - last_progress < 20000) begin
            @(negedge clock);
            if (!loaded && cur_tile < ntiles && input_ok) load_beat;
            in_valid = loaded;
            #1;
            if (out_valid) begin
                last_progress = cycle;
                if (out_tile >= cur_tile) begin
                    errors = errors + 1;
                    if (printed < 40) $display("ERROR cycle=%0d out_valid with no tile in flight", cycle);
                    printed = printed + 1;
                end
                if (out_row_wide != exp_row) begin
                    errors = errors + 1;
                    if (printed < 40) $display("ERROR cycle=%0d tile %0d out_row=%0d where row %0d was due", cycle, out_tile, out_row_wide, exp_row);
                    printed = printed + 1;
                end
                for (j = 0; j < COLS; j = j + 1) rows_seen[exp_row * COLS + j] = out_data[j * ACC_W +: ACC_W];
                if (exp_row == ROWS - 1) first_out = cycle;
                if (exp_row == 0) begin
                    print_tile;
                    last_row_cycle = cycle;
                    exp_row = ROWS - 1; out_tile = out_tile + 1;
                end else exp_row = exp_row - 1;
            end
            // the beat offered this cycle is taken at the next rising edge when in_ready
            if (in_valid && in_ready) begin
                if (cur_beat == 0) first_accept[cur_tile % 256] = cycle;
                last_progress = cycle;
                loaded = 1'b0;
                if (in_last) begin
                    last_accept[cur_tile % 256] = cycle; cur_beat = 0; cur_tile = cur_tile + 1;
                end else cur_beat = cur_beat + 1;
            end
            cycle = cycle + 1;
        end
        if (out_tile < ntiles) begin
            errors = errors + 1;
            $display("ERROR cycle=%0d no progress: tile %0d never completed", cycle, out_tile);
        end
        in_valid = 1'b0;
        for (idle = 0; idle < 2 * (ROWS + COLS) + 8; idle = idle + 1) begin
            @(negedge clock); #1;
            if (out_valid || issue_valid) begin
                errors = errors + 1;
                $display("ERROR cycle=%0d unexpected activity after the last tile", cycle + idle);
            end
        end
        $display("SUMMARY tiles=%0d cycles=%0d errors=%0d", out_tile, last_row_cycle + 1, errors);
        $finish;
    end
endmodule
`default_nettype wire

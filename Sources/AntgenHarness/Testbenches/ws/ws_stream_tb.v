// Weight-stationary streaming testbench for Icarus Verilog (Verilog-2005): `antgen run
// --dataflow ws --sim icarus`, the cross-check of ws_harness.cpp's --stream mode. It reads
// the same weight-tile stream from +tiles=FILE ("WTILE <id> <M> <act mode> <weight mode>",
// ROWS lines of COLS hex weight codes W[k0 + r][j], M lines of ROWS hex activation codes,
// ..., "END"), drives per tile ROWS load beats (weight rows ROWS - 1 down to 0) and M compute
// beats back to back exactly as ws_harness.cpp does, and prints the same RESULT / ROW /
// ERROR / SUMMARY lines with the same cycle numbers.
//
//   iverilog -g2005 -P antgen_ws_stream_tb.MAXM=<largest M> -I <dir with tb_ports.vh> -I Testbenches/common \
//            -s antgen_ws_stream_tb ws_stream_tb.v <rtl>.v ...
//   vvp -n a.out +tiles=<file>
//
// "tb_ports.vh" is the one ws_tb.v uses (sizes, buses a_bus / w_bus / out_bus, the DUT);
// the ports, checks and answer lines shared with stream_tb.v come from Testbenches/common.
`timescale 1ns/1ps
module antgen_ws_stream_tb;
  parameter MAXM = 1;
`include "tb_array_ports.vh"
  reg in_load = 1'b0;
`include "tb_ports.vh"
`include "tb_checks.vh"
`include "tb_stream.vh"
  localparam TF = 2 * (ROWS + COLS) + 16;
  reg [8*4096-1:0] path;
  reg [8*16-1:0] word;
  reg [COLS*CPW-1:0] wbuf [0:ROWS-1];
  reg [COLS*CPW-1:0] wrow;
  reg [COLS*ACC_W-1:0] rowbuf [0:MAXM-1];
  integer t_id [0:TF-1];
  integer t_m [0:TF-1];
  integer t_first [0:TF-1];
  integer t_last [0:TF-1];
  integer fd, r, n, i, j, cycle, last_progress, errors, tiles, first_beat_all, last_row_all, first_row;
  integer cur_id, cur_m, beat, have_tile, need_beat, input_ended, am, wm, code;
  integer feed, head, tail, pending, out_m, finished, hung;

  task bad_input(input integer what);
    begin
      $display("ERROR input malformed weight-tile stream (%0d)", what);
      $finish;
    end
  endtask

  // Puts beat `beat` of the current tile on the ports: a load beat carries weight row
  // ROWS - 1 - beat; a compute beat's ROWS activation codes are read from the file now.
  task set_beat;
    begin
      if (beat < ROWS) begin
        in_load = 1'b1;
        a_bus = 0;
        w_bus = wbuf[ROWS - 1 - beat];
      end else begin
        in_load = 1'b0;
        w_bus = 0;
        for (n = 0; n < ROWS; n = n + 1) begin
          r = $fscanf(fd, "%h", code);
          if (r != 1) bad_input(1);
          a_bus[n*CPW +: CPW] = code;
        end
      end
    end
  endtask

  // Reads a WTILE header and its ROWS weight rows, or notes the END.
  task read_tile;
    begin
      read_tile_header("WTILE", cur_m);
      if (!input_ended) begin
        if (r != 4 || cur_m < 1 || cur_m > MAXM) bad_input(3);
        for (i = 0; i < ROWS; i = i + 1) begin
          wrow = 0;
          for (j = 0; j < COLS; j = j + 1) begin
            r = $fscanf(fd, "%h", code);
            if (r != 1) bad_input(4);
            wrow[j*CPW +: CPW] = code;
          end
          wbuf[i] = wrow;
        end
        t_id[tail] = cur_id; t_m[tail] = cur_m; t_first[tail] = -1; t_last[tail] = -1;
        feed = tail; tail = (tail + 1) % TF;
        have_tile = 1; beat = 0;
        set_beat;
      end
    end
  endtask

  initial begin
    open_tiles;
    errors = 0; tiles = 0; first_beat_all = -1; last_row_all = -1; cycle = 0; last_progress = 0;
    have_tile = 0; need_beat = 0; input_ended = 0; feed = 0; head = 0; tail = 0; pending = 0; out_m = 0;
    finished = 0; hung = 0; first_row = -1;
    repeat (3) @(posedge clock);
    #1 reset = 1'b0;
    while (!finished && !hung) begin
      #1;
      if (need_beat) begin set_beat; need_beat = 0; end
      if (!have_tile && !input_ended) read_tile;
      if (!have_tile && input_ended && pending == 0) finished = 1;
      else begin
        in_valid = have_tile;
        #1;
        if (in_valid && in_ready) begin
          if (beat == 0) begin
            t_first[feed] = cycle;
            if (first_beat_all < 0) first_beat_all = cycle;
          end
          last_progress = cycle;
          if (beat >= ROWS) pending = pending + 1;
          if (beat == ROWS + cur_m - 1) begin
            t_last[feed] = cycle; have_tile = 0;
          end else begin
            beat = beat + 1; need_beat = 1;
          end
        end
        if (out_valid) begin
          last_progress = cycle;
          if (pending == 0) begin
            errors = errors + 1;
            $display("ERROR cycle=%0d out_valid with no compute beat in flight", cycle);
          end else begin
            pending = pending - 1;
            if (out_m == 0) first_row = cycle;
            rowbuf[out_m] = out_bus;
            if (out_m == t_m[head] - 1) begin
              print_result(t_id[head], t_first[head], t_last[head]);
              for (i = 0; i < t_m[head]; i = i + 1) print_row(i, rowbuf[i]);
              last_row_all = cycle; tiles = tiles + 1;
              head = (head + 1) % TF; out_m = 0;
            end else out_m = out_m + 1;
          end
        end
        @(posedge clock);
        cycle = cycle + 1;
        check_progress;
      end
    end
    drain_outputs(1);
    print_stream_summary;
    $finish;
  end
endmodule

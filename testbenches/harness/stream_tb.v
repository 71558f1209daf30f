// Streaming testbench for Icarus Verilog (Verilog-2005): `antgen run --sim icarus`, the
// cross-check of the Verilator harness's streaming mode (stream.h). It reads the same tile
// stream (TILE / beat lines / END, docs/run.md) from the file +tiles=FILE, drives the beats
// back to back exactly as stream.h does, and prints the same RESULT / ROW / ERROR /
// SUMMARY lines with the same cycle numbers.
//
//   iverilog -g2005 -I <dir with tb_ports.vh> -s antgen_stream_tb stream_tb.v <rtl>.v ...
//   vvp -n a.out +tiles=<file>
`timescale 1ns/1ps
module antgen_stream_tb;
  reg clock = 1'b0;
  reg reset = 1'b1;
  reg in_valid = 1'b0;
  reg in_last = 1'b0;
  reg [1:0] cfg_act_type = 2'd0, cfg_weight_type = 2'd0;
  reg cfg_act_signed = 1'b0, cfg_weight_signed = 1'b0, cfg_act_int8 = 1'b0, cfg_weight_int8 = 1'b0;
  wire in_ready, out_valid;
  wire [31:0] out_row_wide;
`include "tb_ports.vh"
  localparam FIFO = 64;
  reg [8*4096-1:0] path;
  reg [8*16-1:0] word;
  reg [COLS*ACC_W-1:0] rowbuf [0:ROWS-1];
  reg [COLS*ACC_W-1:0] rowtmp;
  integer fifo_id [0:FIFO-1];
  integer fifo_first [0:FIFO-1];
  integer fifo_last [0:FIFO-1];
  integer fd, r, n, i, j, cycle, last_progress, errors, tiles, first_beat_all, last_row_all, first_row;
  integer cur_id, cur_k, cur_first, beat, have_tile, need_beat, input_ended, expect_row, am, wm, code;
  integer head, tail, count, finished, hung;

  always #5 clock = ~clock;

  task bad_input(input integer what);
    begin
      $display("ERROR input malformed tile stream (%0d)", what);
      $finish;
    end
  endtask

  // Reads the next beat's ROWS + COLS codes onto the buses.
  task read_beat;
    begin
      for (n = 0; n < ROWS + COLS; n = n + 1) begin
        r = $fscanf(fd, "%h", code);
        if (r != 1) bad_input(1);
        if (n < ROWS) a_bus[n*CPW +: CPW] = code;
        else w_bus[(n - ROWS)*CPW +: CPW] = code;
      end
    end
  endtask

  // Reads a TILE header and its first beat, or notes the END.
  task read_tile;
    begin
      r = $fscanf(fd, "%s", word);
      if (r != 1 || word == "END") input_ended = 1;
      else begin
        if (word != "TILE") bad_input(2);
        r = $fscanf(fd, "%d %d %h %h", cur_id, cur_k, am, wm);
        if (r != 4 || cur_k < 1) bad_input(3);
        cfg_act_type = am[1:0]; cfg_act_signed = am[4]; cfg_act_int8 = am[8];
        cfg_weight_type = wm[1:0]; cfg_weight_signed = wm[4]; cfg_weight_int8 = wm[8];
        beat = 0; have_tile = 1;
        read_beat;
      end
    end
  endtask

  initial begin
    if (!$value$plusargs("tiles=%s", path)) begin
      $display("ERROR input no +tiles=FILE given"); $finish;
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin $display("ERROR input cannot open the tile file"); $finish; end
    errors = 0; tiles = 0; first_beat_all = -1; last_row_all = -1; cycle = 0; last_progress = 0;
    have_tile = 0; need_beat = 0; input_ended = 0; expect_row = ROWS - 1; head = 0; tail = 0; count = 0;
    finished = 0; hung = 0; first_row = -1;
    repeat (3) @(posedge clock);
    #1 reset = 1'b0;
    while (!finished && !hung) begin
      #1;
      if (need_beat) begin read_beat; need_beat = 0; end
      if (!have_tile && !input_ended) read_tile;
      if (!have_tile && input_ended && count == 0) finished = 1;
      else begin
        in_valid = have_tile;
        in_last = have_tile && beat == cur_k - 1;
        #1;
        if (in_valid && in_ready) begin
          if (beat == 0) begin cur_first = cycle; if (first_beat_all < 0) first_beat_all = cycle; end
          last_progress = cycle;
          if (beat == cur_k - 1) begin
            fifo_id[tail] = cur_id; fifo_first[tail] = cur_first; fifo_last[tail] = cycle;
            tail = (tail + 1) % FIFO; count = count + 1; have_tile = 0;
          end else begin
            beat = beat + 1; need_beat = 1;
          end
        end
        if (out_valid) begin
          last_progress = cycle;
          if (count == 0) begin
            errors = errors + 1;
            $display("ERROR cycle=%0d out_valid with no tile in flight", cycle);
          end else begin
            if (out_row_wide != expect_row) begin
              errors = errors + 1;
              $display("ERROR cycle=%0d tile %0d out_row %0d, expected %0d", cycle, fifo_id[head], out_row_wide, expect_row);
            end
            if (expect_row == ROWS - 1) first_row = cycle;
            rowbuf[expect_row] = out_bus;
            if (expect_row == 0) begin
              $display("RESULT %0d first_beat=%0d last_beat=%0d first_row=%0d last_row=%0d", fifo_id[head], fifo_first[head],
                       fifo_last[head], first_row, cycle);
              for (i = ROWS - 1; i >= 0; i = i - 1) begin
                rowtmp = rowbuf[i];
                $write("ROW %0d", i);
                for (j = 0; j < COLS; j = j + 1) $write(" %h", rowtmp[j*ACC_W +: ACC_W]);
                $write("\n");
              end
              last_row_all = cycle; tiles = tiles + 1;
              head = (head + 1) % FIFO; count = count - 1; expect_row = ROWS - 1;
            end else expect_row = expect_row - 1;
          end
        end
        @(posedge clock);
        cycle = cycle + 1;
        if (cycle - last_progress > 64 * (ROWS + COLS) + 1000) begin
          errors = errors + 1;
          $display("ERROR cycle=%0d no progress", cycle);
          hung = 1;
        end
      end
    end
    in_valid = 1'b0;
    repeat (2 * (ROWS + COLS) + 8) begin
      #1 if (out_valid) begin errors = errors + 1; $display("ERROR unexpected out_valid after the last tile"); end
      @(posedge clock);
    end
    $display("SUMMARY tiles=%0d cycles=%0d first_beat=%0d last_row=%0d errors=%0d", tiles,
             tiles > 0 ? last_row_all - first_beat_all + 1 : 0, first_beat_all, last_row_all, errors);
    $finish;
  end
endmodule

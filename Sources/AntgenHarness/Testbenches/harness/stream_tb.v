// Streaming testbench for Icarus Verilog (Verilog-2005): `antgen run --sim icarus`, the
// cross-check of the Verilator harness's streaming mode (stream.h). It reads the same tile
// stream (TILE / beat lines / END, docs/run.md) from the file +tiles=FILE, drives the beats
// back to back exactly as stream.h does, and prints the same RESULT / ROW / ERROR /
// SUMMARY lines with the same cycle numbers.
//
//   iverilog -g2005 -I <dir with tb_ports.vh> -I Testbenches/common -s antgen_stream_tb stream_tb.v <rtl>.v ...
//   vvp -n a.out +tiles=<file>
`timescale 1ns/1ps
module antgen_stream_tb;
`include "tb_array_ports.vh"
  reg in_last = 1'b0;
  wire [31:0] out_row_wide;
`include "tb_ports.vh"
`include "tb_checks.vh"
`include "tb_stream.vh"
  localparam FIFO = 64;
  reg [8*4096-1:0] path;
  reg [8*16-1:0] word;
  reg [COLS*ACC_W-1:0] rowbuf [0:ROWS-1];
  integer fifo_id [0:FIFO-1];
  integer fifo_first [0:FIFO-1];
  integer fifo_last [0:FIFO-1];
  integer fd, r, n, i, j, cycle, last_progress, errors, tiles, first_beat_all, last_row_all, first_row;
  integer cur_id, cur_k, cur_first, beat, have_tile, need_beat, input_ended, expect_row, am, wm, code;
  integer head, tail, count, finished, hung;

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
      read_tile_header("TILE", cur_k);
      if (!input_ended) begin
        if (r != 4 || cur_k < 1) bad_input(3);
        beat = 0; have_tile = 1;
        read_beat;
      end
    end
  endtask

  initial begin
    open_tiles;
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
              print_result(fifo_id[head], fifo_first[head], fifo_last[head]);
              for (i = ROWS - 1; i >= 0; i = i - 1) print_row(i, rowbuf[i]);
              last_row_all = cycle; tiles = tiles + 1;
              head = (head + 1) % FIFO; count = count - 1; expect_row = ROWS - 1;
            end else expect_row = expect_row - 1;
          end
        end
        @(posedge clock);
        cycle = cycle + 1;
        check_progress;
      end
    end
    drain_outputs(0);
    print_stream_summary;
    $finish;
  end
endmodule

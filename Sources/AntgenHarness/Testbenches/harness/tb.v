// antgen verification testbench for Icarus Verilog (Verilog-2005): the second,
// independent simulator. Same vector files, same protocol and same checks as
// harness.cpp: beats back to back, a synchronous reset half-way through the middle
// case (then every case not fully output is driven again), every output checked,
// first/last-row latency against the manifest (+lat_first_T / +lat_last_T).
//
//   iverilog -g2005 -P antgen_tb.WORDS=<words> -I <build dir> -I Testbenches/common tb.v <rtl>.v ...
//   vvp a.out +vectors=<file> [+lat_first_1=N +lat_last_1=N ...] [+no_reset]
//
// The build-specific part comes from "tb_ports.vh" (written by the runner): the
// localparams ROWS, COLS, ACC_W, CPW (code port width), CODE_W, INT8 and the DUT instance wired to
// the packed buses a_bus, w_bus, out_bus. Output lines match harness.cpp's:
// MISMATCH / LATENCY / ERROR, CASE id PASS|FAIL, SUMMARY. What every array testbench does
// alike (ports, vector file, drain check, the summary) comes from Testbenches/common.
`timescale 1ns/1ps
module antgen_tb;
  parameter WORDS = 16;
`include "tb_array_ports.vh"
  reg in_last = 1'b0;
  wire [31:0] out_row_wide;
`include "tb_ports.vh"
`include "tb_checks.vh"
`include "tb_vector_file.vh"
  reg [63:0] mem [0:WORDS-1];
  integer case_offset [0:WORDS/4];
  integer case_bad [0:WORDS/4];
  integer last_accept [0:WORDS/4];
  reg [8*1024-1:0] path;
  integer lat_first [0:4];
  integer lat_last [0:4];
  integer ncases, c, i, j, k, p, cycle, done, accepted, cur_case, cur_k, expect_row, reset_case, reset_beat_k;
  integer errors, passed, terms, lat, exact_checks, last_progress, do_reset, kk;
  reg [63:0] want, got, mask;
  reg reset_done, hung;

  function [63:0] sext(input [63:0] raw);
    sext = (ACC_W < 64 && raw[ACC_W - 1]) ? (raw | ~mask) : raw;
  endfunction

  // Case c was fully output (tb_vector_file.vh's summary asks).
  function case_complete(input integer c);
    case_complete = c < done;
  endfunction

  // Drive beat (cur_case, cur_k) onto the ports.
  task drive;
    integer base;
    begin
      base = case_offset[cur_case];
      in_last = (cur_k == mem[base + 1] - 1);
      for (i = 0; i < ROWS; i = i + 1) a_bus[i*CPW +: CPW] = mem[base + 4 + cur_k * (ROWS + COLS) + i];
      for (j = 0; j < COLS; j = j + 1) w_bus[j*CPW +: CPW] = mem[base + 4 + cur_k * (ROWS + COLS) + ROWS + j];
      set_modes(mem[base + 2], mem[base + 3]);
    end
  endtask

  task check_latency(input integer which_last, input integer observed, input integer manifest, input integer exact);
    begin
      if (manifest > 0) begin
        if (exact) exact_checks = exact_checks + 1;
        if ((exact && observed != manifest) || (!exact && observed < manifest)) begin
          case_bad[done] = case_bad[done] + 1;
          $display("LATENCY case=%0d %s-row observed=%0d manifest=%0d T=%0d", done, which_last ? "last" : "first", observed, manifest, terms);
        end
      end
    end
  endtask

  initial begin
    load_vectors;
    for (i = 0; i <= 4; i = i + 1) begin lat_first[i] = 0; lat_last[i] = 0; end
    if ($value$plusargs("lat_first_1=%d", lat)) lat_first[1] = lat;
    if ($value$plusargs("lat_last_1=%d", lat)) lat_last[1] = lat;
    if ($value$plusargs("lat_first_2=%d", lat)) lat_first[2] = lat;
    if ($value$plusargs("lat_last_2=%d", lat)) lat_last[2] = lat;
    if ($value$plusargs("lat_first_4=%d", lat)) lat_first[4] = lat;
    if ($value$plusargs("lat_last_4=%d", lat)) lat_last[4] = lat;
    for (c = 0; c < ncases; c = c + 1) begin case_bad[c] = 0; last_accept[c] = -1; end
    reset_case = $test$plusargs("no_reset") || ncases < 2 ? -1 : ncases / 2;
    reset_beat_k = reset_case >= 0 ? mem[case_offset[reset_case] + 1] / 2 : 0;
    reset_done = reset_case < 0;
    errors = 0; exact_checks = 0; done = 0; accepted = 0; cur_case = 0; cur_k = 0; expect_row = ROWS - 1; cycle = 0; last_progress = 0;
    repeat (3) @(posedge clock);
    #1 reset = 1'b0;
    hung = 1'b0;
    while (done < ncases && !hung) begin
      #1;
      do_reset = !reset_done && cur_case == reset_case && cur_k == reset_beat_k;
      if (do_reset) begin
        in_valid = 1'b0; reset = 1'b1;
        repeat (2) @(posedge clock);
        #1 reset = 1'b0;
        reset_done = 1'b1;
        cur_case = done; cur_k = 0; accepted = done; expect_row = ROWS - 1;
        $display("RESET cycle=%0d restart_case=%0d", cycle, done);
      end
      in_valid = cur_case < ncases;
      if (cur_case < ncases) drive;
      #1;
      if (in_valid && in_ready) begin
        if (in_last) begin last_accept[cur_case] = cycle; accepted = accepted + 1; end
        last_progress = cycle;
        if (in_last) begin cur_case = cur_case + 1; cur_k = 0; end else cur_k = cur_k + 1;
      end
      if (out_valid) begin
        last_progress = cycle;
        if (accepted <= done) begin
          errors = errors + 1;
          $display("ERROR cycle=%0d out_valid with no tile in flight", cycle);
        end else begin
          p = case_offset[done];
          kk = mem[p + 1];
          terms = mode_terms(mem[p + 2], mem[p + 3]);
          if (out_row_wide != expect_row) begin
            case_bad[done] = case_bad[done] + 1;
            $display("MISMATCH case=%0d out_row expected=%0d got=%0d", done, expect_row, out_row_wide);
          end
          for (j = 0; j < COLS; j = j + 1) begin
            want = mem[p + 4 + kk * (ROWS + COLS) + expect_row * COLS + j];
            got = out_bus[j*ACC_W +: ACC_W];
            if (got !== want) begin
              case_bad[done] = case_bad[done] + 1;
              $display("MISMATCH case=%0d row=%0d col=%0d expected=0x%0h (%0d) got=0x%0h (%0d) config=%0dx%0d W%0d act=0x%0h weight=0x%0h K=%0d",
                       done, expect_row, j, want, $signed(sext(want)), got, $signed(sext(got)), ROWS, COLS, ACC_W, mem[p + 2], mem[p + 3], kk);
            end
          end
          if (expect_row == ROWS - 1) check_latency(0, cycle - last_accept[done], lat_first[terms], kk * terms >= ROWS);
          if (expect_row == 0) begin
            check_latency(1, cycle - last_accept[done], lat_last[terms], kk * terms >= ROWS);
            done = done + 1;
            expect_row = ROWS - 1;
          end else expect_row = expect_row - 1;
        end
      end
      @(posedge clock);
      cycle = cycle + 1;
      if (cycle - last_progress > 64 * (ROWS + COLS) + 1000) begin
        errors = errors + 1;
        $display("ERROR cycle=%0d no progress: case %0d never completed", cycle, done);
        hung = 1'b1;
      end
    end
    drain_outputs(0);
    print_case_summary;
    $finish;
  end
endmodule

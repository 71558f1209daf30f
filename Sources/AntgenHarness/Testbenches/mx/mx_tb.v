// antgen verification testbench for the MxArray top (Icarus Verilog, -g2005).
//
//   iverilog -g2005 -P mx_tb.WORDS=N [-P mx_tb.MAXCASES=CASES] -I DIR -s mx_tb mx_tb.v <design files>
//   vvp -n tb.vvp +vectors=FILE [+dump=FILE]
//
// The same protocol and checks as mx_harness.cpp (docs/mx.md): reset for 3 cycles, every
// case one tile of K beats back to back, every out_valid row checked (rows R-1 ... 0 of
// each tile, in order). "mx_tb_ports.vh", written by the runner, declares ROWS, COLS,
// CODE_W, the packed buses and the DUT instance. Prints MISMATCH / ERROR lines,
// "CASE id PASS|FAIL" and "SUMMARY cases=.. passed=.. failed=.. cycles=.. stray=.. span=.."
// (span: cycles from the one accepting the first beat through the one showing the last
// output row). +dump=FILE writes every output row as mx_harness.cpp's --dump does.
`timescale 1ns/1ps
module mx_tb;
  parameter WORDS = 16;
  parameter MAXCASES = 8192;
  reg [63:0] mem [0:WORDS-1];
  reg clock = 1'b0;
  reg reset = 1'b1;
  reg in_valid = 1'b0;
  reg in_last = 1'b0;
  reg [2:0] cfg_a_format = 3'd0;
  reg [2:0] cfg_w_format = 3'd0;
  wire out_valid;
  `include "mx_tb_ports.vh"

  integer case_base [0:MAXCASES-1];
  integer case_fail [0:MAXCASES-1];
  integer dump_fd, first_beat, last_row;
  integer ncases, c, beat, i, j, at, beats, check_beats, sent, check_case, rows_seen, expect_row, printed, stray, passed, failed, idle;
  reg [1023:0] path, dump_path;
  reg [31:0] got, want;
  reg [63:0] cycles;
  reg done;

  always #5 clock = ~clock;
  always @(posedge clock) cycles <= cycles + 1;

  // The checker: every out_valid row, sampled away from the rising edge.
  always @(negedge clock) begin
    if (!reset && out_valid) begin
      idle = 0;
      if (check_case >= sent) begin
        stray = stray + 1;
        $display("ERROR out_valid with no tile in flight (cycle %0d)", cycles);
      end else begin
        expect_row = ROWS - 1 - rows_seen;
        last_row = cycles;
        if (dump_fd != 0) $fwrite(dump_fd, "%0d %0d %0d", mem[case_base[check_case]], expect_row, out_row_wide);
        if (out_row_wide != expect_row) begin
          case_fail[check_case] = case_fail[check_case] + 1;
          $display("MISMATCH case=%0d out_row=%0d expected_row=%0d", mem[case_base[check_case]], out_row_wide, expect_row);
        end
        for (j = 0; j < COLS; j = j + 1) begin
          got = out_bus[j*32 +: 32];
          if (dump_fd != 0) $fwrite(dump_fd, " %08x", got);
          check_beats = mem[case_base[check_case] + 1];
          want = mem[case_base[check_case] + 4 + check_beats * (ROWS + COLS) + expect_row * COLS + j];
          if (got !== want) begin
            case_fail[check_case] = case_fail[check_case] + 1;
            if (printed < 40)
              $display("MISMATCH case=%0d row=%0d col=%0d expected=0x%08x got=0x%08x act=%0d weight=%0d K=%0d",
                       mem[case_base[check_case]], expect_row, j, want, got, mem[case_base[check_case] + 2],
                       mem[case_base[check_case] + 3], check_beats);
            printed = printed + 1;
          end
        end
        if (dump_fd != 0) $fwrite(dump_fd, "\n");
        rows_seen = rows_seen + 1;
        if (rows_seen == ROWS) begin
          rows_seen = 0;
          check_case = check_case + 1;
        end
      end
    end
  end

  initial begin
    dump_fd = 0; first_beat = -1; last_row = -1;
    cycles = 0; printed = 0; stray = 0; sent = 0; check_case = 0; rows_seen = 0; idle = 0; done = 1'b0;
    if (!$value$plusargs("vectors=%s", path)) begin
      $display("ERROR no vector file given (+vectors=FILE)");
      $finish;
    end
    if ($value$plusargs("dump=%s", dump_path)) begin
      dump_fd = $fopen(dump_path, "w");
      if (dump_fd == 0) begin
        $display("ERROR cannot write the dump file");
        $finish;
      end
    end
    $readmemh(path, mem);
    if (mem[0] !== 64'h4d585631 || mem[1] !== 64'd1 || mem[11] !== WORDS || mem[3] !== ROWS || mem[4] !== COLS || mem[5] !== CODE_W) begin
      $display("ERROR the vector file does not match this testbench (magic, version, size or shape)");
      $finish;
    end
    ncases = mem[10];
    at = 12;
    for (c = 0; c < ncases; c = c + 1) begin
      case_base[c] = at;
      case_fail[c] = 0;
      at = at + 4 + mem[at + 1] * (ROWS + COLS) + ROWS * COLS;
    end
    repeat (3) @(posedge clock);
    @(negedge clock) reset = 1'b0;
    for (c = 0; c < ncases; c = c + 1) begin
      beats = mem[case_base[c] + 1];
      for (beat = 0; beat < beats; beat = beat + 1) begin
        in_valid = 1'b1;
        if (first_beat < 0) first_beat = cycles;
        in_last = (beat == beats - 1);
        cfg_a_format = mem[case_base[c] + 2];
        cfg_w_format = mem[case_base[c] + 3];
        for (i = 0; i < ROWS; i = i + 1) a_bus[i*16 +: 16] = mem[case_base[c] + 4 + beat * (ROWS + COLS) + i];
        for (i = 0; i < COLS; i = i + 1) w_bus[i*16 +: 16] = mem[case_base[c] + 4 + beat * (ROWS + COLS) + ROWS + i];
        @(negedge clock);
      end
      sent = sent + 1;
    end
    in_valid = 1'b0;
    in_last = 1'b0;
    while (check_case < ncases && idle < 64 * (ROWS + COLS) + 1000) begin
      @(negedge clock);
      idle = idle + 1;
    end
    if (check_case < ncases) $display("ERROR no output for %0d cycles with %0d tiles in flight", idle, ncases - check_case);
    passed = 0; failed = 0;
    for (c = 0; c < ncases; c = c + 1) begin
      if (case_fail[c] == 0 && c < check_case) begin
        $display("CASE %0d PASS", mem[case_base[c]]);
        passed = passed + 1;
      end else begin
        $display("CASE %0d FAIL", mem[case_base[c]]);
        failed = failed + 1;
      end
    end
    if (dump_fd != 0) $fclose(dump_fd);
    $display("SUMMARY cases=%0d passed=%0d failed=%0d cycles=%0d stray=%0d span=%0d", ncases, passed, failed, cycles, stray,
             (first_beat >= 0 && last_row >= first_beat) ? last_row - first_beat + 1 : -1);
    $finish;
  end
endmodule

// Icarus testbench (Verilog-2005) for the weight-stationary WsArray: the second simulator
// of `antgen verify --dataflow ws`. Same vector files and the same schedule as
// testbenches/ws/ws_harness.cpp: per case and per chunk of ROWS reduction indices, ROWS
// load beats (W rows k0 + ROWS - 1 down to k0, code 0 beyond K), then ROWS compute beats
// (vector m: A[m][k0 + r] on a_code_r); the chunks' output rows are summed modulo 2^W and
// compared with the expected tile; every row's latency against +lat_first_T. As the
// Verilator harness, a synchronous reset (2 cycles) half-way through the beats of the middle
// case (+reset_case=N another, +no_reset none) drops every row in flight, and every case not
// yet fully output is driven again from its first load beat.
//
//   iverilog -g2005 -P antgen_ws_tb.WORDS=<words> -I <dir> -s antgen_ws_tb ws_tb.v <rtl>.v ...
//   vvp -n a.out +vectors=<file> [+lat_first_1=N ...] [+no_reset | +reset_case=N]
//
// "tb_ports.vh" (written by the runner) declares ROWS, COLS, ACC_W, CPW, CODE_W, INT8, the
// buses a_bus, w_bus, out_bus and the DUT. Output lines as tb.v: MISMATCH / LATENCY / ERROR,
// CASE id PASS|FAIL, SUMMARY.
`timescale 1ns/1ps
module antgen_ws_tb;
  parameter WORDS = 16;
  localparam FIFO = 2 * (ROWS + COLS) + 16;
  reg clock = 1'b0;
  reg reset = 1'b1;
  reg in_valid = 1'b0;
  reg in_load = 1'b0;
  reg [1:0] cfg_act_type = 2'd0, cfg_weight_type = 2'd0;
  reg cfg_act_signed = 1'b0, cfg_weight_signed = 1'b0, cfg_act_int8 = 1'b0, cfg_weight_int8 = 1'b0;
  wire in_ready, out_valid;
`include "tb_ports.vh"
  reg [63:0] mem [0:WORDS-1];
  integer case_offset [0:WORDS/4];
  integer case_bad [0:WORDS/4];
  integer case_done [0:WORDS/4];
  reg [63:0] sums [0:ROWS*COLS-1];
  integer f_case [0:FIFO-1];
  integer f_m [0:FIFO-1];
  integer f_last [0:FIFO-1];
  integer f_accept [0:FIFO-1];
  integer lat_first [0:4];
  reg [8*1024-1:0] path;
  integer ncases, c, i, j, k, p, base, kk, cycle, errors, passed, exact_checks, last_progress, lat, terms, chunks;
  integer cur_case, cur_chunk, cur_beat, head, tail, count, finished, hung, m, oc;
  integer reset_case, reset_done, restart;
  reg [63:0] want, got, mask;

  always #5 clock = ~clock;

  function integer mode_terms(input [63:0] a_mode, input [63:0] w_mode);
    mode_terms = (a_mode[8] ? 2 : 1) * (w_mode[8] ? 2 : 1);
  endfunction

  // Drive beat (cur_case, cur_chunk, cur_beat) onto the ports.
  task drive;
    begin
      base = case_offset[cur_case];
      kk = mem[base + 1];
      cfg_act_type = mem[base + 2][1:0]; cfg_act_signed = mem[base + 2][4]; cfg_act_int8 = mem[base + 2][8];
      cfg_weight_type = mem[base + 3][1:0]; cfg_weight_signed = mem[base + 3][4]; cfg_weight_int8 = mem[base + 3][8];
      a_bus = 0; w_bus = 0;
      if (cur_beat < ROWS) begin
        in_load = 1'b1;
        k = cur_chunk * ROWS + ROWS - 1 - cur_beat;
        if (k < kk) for (j = 0; j < COLS; j = j + 1) w_bus[j*CPW +: CPW] = mem[base + 4 + k * (ROWS + COLS) + ROWS + j];
      end else begin
        in_load = 1'b0;
        for (i = 0; i < ROWS; i = i + 1) begin
          k = cur_chunk * ROWS + i;
          if (k < kk) a_bus[i*CPW +: CPW] = mem[base + 4 + k * (ROWS + COLS) + cur_beat - ROWS];
        end
      end
    end
  endtask

  initial begin
    if (!$value$plusargs("vectors=%s", path)) begin
      $display("ERROR no +vectors=FILE given"); $finish;
    end
    $readmemh(path, mem);
    mask = (ACC_W >= 64) ? ~64'd0 : ((64'd1 << ACC_W) - 1);
    for (i = 0; i <= 4; i = i + 1) lat_first[i] = 0;
    if ($value$plusargs("lat_first_1=%d", lat)) lat_first[1] = lat;
    if ($value$plusargs("lat_first_2=%d", lat)) lat_first[2] = lat;
    if ($value$plusargs("lat_first_4=%d", lat)) lat_first[4] = lat;
    if (mem[0] !== 64'h414e5447 || mem[1] !== 64'd1 || mem[11] !== WORDS) begin
      $display("ERROR vector file %0s: bad magic, version or word count", path); $finish;
    end
    if (mem[3] != ROWS || mem[4] != COLS || mem[6] != ACC_W || mem[5] != CODE_W || mem[7] != INT8) begin
      $display("ERROR vector file is for another build than this testbench"); $finish;
    end
    ncases = mem[10];
    p = mem[2];
    for (c = 0; c < ncases; c = c + 1) begin
      case_offset[c] = p; case_bad[c] = 0; case_done[c] = 0;
      p = p + 4 + mem[p + 1] * (ROWS + COLS) + ROWS * COLS;
    end
    for (i = 0; i < ROWS * COLS; i = i + 1) sums[i] = 0;
    errors = 0; exact_checks = 0; cycle = 0; last_progress = 0; head = 0; tail = 0; count = 0; finished = 0; hung = 0;
    cur_case = 0; cur_chunk = 0; cur_beat = 0;
    reset_case = ncases >= 2 ? ncases / 2 : -1;
    if ($value$plusargs("reset_case=%d", lat)) reset_case = lat;
    if ($test$plusargs("no_reset")) reset_case = -1;
    reset_done = reset_case < 0 || reset_case >= ncases;
    repeat (3) @(posedge clock);
    #1 reset = 1'b0;
    while (!finished && !hung) begin
      #1;
      // The mid-stream reset, half-way through case reset_case's 2·ROWS beats per chunk.
      if (!reset_done && cur_case == reset_case
          && (cur_chunk * 2 * ROWS + cur_beat) * 2 >= 2 * ROWS * ((mem[case_offset[cur_case] + 1] + ROWS - 1) / ROWS)) begin
        in_valid = 1'b0; reset = 1'b1;
        repeat (2) @(posedge clock);
        #1 reset = 1'b0;
        reset_done = 1;
        restart = 0;
        while (restart < ncases && case_done[restart]) restart = restart + 1;
        $display("RESET case=%0d restart_case=%0d", reset_case, restart);
        cur_case = restart; cur_chunk = 0; cur_beat = 0; head = 0; tail = 0; count = 0; last_progress = cycle;
        for (i = 0; i < ROWS * COLS; i = i + 1) sums[i] = 0;
      end
      if (cur_case >= ncases && count == 0) finished = 1;
      else begin
        in_valid = cur_case < ncases;
        if (cur_case < ncases) drive;
        #1;
        if (in_valid && in_ready) begin
          last_progress = cycle;
          if (cur_beat >= ROWS) begin
            chunks = (mem[case_offset[cur_case] + 1] + ROWS - 1) / ROWS;
            f_case[tail] = cur_case; f_m[tail] = cur_beat - ROWS; f_accept[tail] = cycle;
            f_last[tail] = (cur_chunk == chunks - 1);
            tail = (tail + 1) % FIFO; count = count + 1;
          end
          cur_beat = cur_beat + 1;
          if (cur_beat == 2 * ROWS) begin
            cur_beat = 0; cur_chunk = cur_chunk + 1;
            if (cur_chunk * ROWS >= mem[case_offset[cur_case] + 1]) begin cur_chunk = 0; cur_case = cur_case + 1; end
          end
        end
        if (out_valid) begin
          last_progress = cycle;
          if (count == 0) begin
            errors = errors + 1;
            $display("ERROR cycle=%0d out_valid with no compute beat in flight", cycle);
          end else begin
            oc = f_case[head]; m = f_m[head];
            base = case_offset[oc];
            terms = mode_terms(mem[base + 2], mem[base + 3]);
            if (lat_first[terms] > 0) begin
              exact_checks = exact_checks + 1;
              if (cycle - f_accept[head] != lat_first[terms]) begin
                case_bad[oc] = case_bad[oc] + 1;
                $display("LATENCY case=%0d row=%0d observed=%0d manifest=%0d T=%0d", oc, m, cycle - f_accept[head], lat_first[terms], terms);
              end
            end
            for (j = 0; j < COLS; j = j + 1) sums[m * COLS + j] = (sums[m * COLS + j] + out_bus[j*ACC_W +: ACC_W]) & mask;
            if (f_last[head] && m == ROWS - 1) begin
              kk = mem[base + 1];
              for (i = 0; i < ROWS; i = i + 1)
                for (j = 0; j < COLS; j = j + 1) begin
                  want = mem[base + 4 + kk * (ROWS + COLS) + i * COLS + j];
                  got = sums[i * COLS + j];
                  if (got !== want) begin
                    case_bad[oc] = case_bad[oc] + 1;
                    $display("MISMATCH case=%0d row=%0d col=%0d expected=0x%0h got=0x%0h config=%0dx%0d W%0d ws act=0x%0h weight=0x%0h K=%0d",
                             oc, i, j, want, got, ROWS, COLS, ACC_W, mem[base + 2], mem[base + 3], kk);
                  end
                  sums[i * COLS + j] = 0;
                end
              case_done[oc] = 1;
            end
            head = (head + 1) % FIFO; count = count - 1;
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
      #1 if (out_valid) begin errors = errors + 1; $display("ERROR unexpected out_valid after the last beat"); end
      @(posedge clock);
    end
    passed = 0;
    for (c = 0; c < ncases; c = c + 1) begin
      if (case_bad[c] == 0 && case_done[c]) passed = passed + 1;
      $display("CASE %0d %s", c, (case_bad[c] == 0 && case_done[c]) ? "PASS" : "FAIL");
    end
    $display("SUMMARY cases=%0d passed=%0d failed=%0d cycles=%0d errors=%0d latency_exact=%0d", ncases, passed, ncases - passed, cycle, errors, exact_checks);
    $finish;
  end
endmodule

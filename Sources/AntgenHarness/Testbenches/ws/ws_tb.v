// Icarus testbench (Verilog-2005) for the weight-stationary WsArray: the second simulator
// of `antgen verify --dataflow ws`. Same vector files and the same schedule as
// Testbenches/ws/ws_harness.cpp: per case and per chunk of ROWS reduction indices, ROWS
// load beats (W rows k0 + ROWS - 1 down to k0, code 0 beyond K), then ROWS compute beats
// (vector m: A[m][k0 + r] on a_code_r); the chunks' output rows are summed modulo 2^W and
// compared with the expected tile; every row's latency against +lat_first_T. Like the Verilator
// harness, a synchronous reset (2 cycles) half-way through the beats of the middle
// case (+reset_case=N another, +no_reset none) drops every row in flight, and every case not
// yet fully output is driven again from its first load beat.
//
//   iverilog -g2005 -P antgen_ws_tb.WORDS=<words> -I <dir> -I Testbenches/common -s antgen_ws_tb ws_tb.v <rtl>.v ...
//   vvp -n a.out +vectors=<file> [+lat_first_1=N ...] [+no_reset | +reset_case=N]
//
// "tb_ports.vh" (written by the runner) declares ROWS, COLS, ACC_W, CPW, CODE_W, INT8, the
// buses a_bus, w_bus, out_bus and the DUT. Output lines as tb.v: MISMATCH / LATENCY / ERROR,
// CASE id PASS|FAIL, SUMMARY. What every array testbench does alike (ports, vector file,
// progress and drain checks, the summary) comes from the includes in Testbenches/common.
`timescale 1ns/1ps
module antgen_ws_tb;
  parameter WORDS = 16;
  localparam FIFO = 2 * (ROWS + COLS) + 16;
`include "tb_array_ports.vh"
  reg in_load = 1'b0;
`include "tb_ports.vh"
`include "tb_checks.vh"
`include "tb_vector_file.vh"
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

  // Case c was fully output (tb_vector_file.vh's summary asks).
  function case_complete(input integer c);
    case_complete = case_done[c] != 0;
  endfunction

  // Drive beat (cur_case, cur_chunk, cur_beat) onto the ports.
  task drive;
    begin
      base = case_offset[cur_case];
      kk = mem[base + 1];
      set_modes(mem[base + 2], mem[base + 3]);
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
    load_vectors;
    for (i = 0; i <= 4; i = i + 1) lat_first[i] = 0;
    if ($value$plusargs("lat_first_1=%d", lat)) lat_first[1] = lat;
    if ($value$plusargs("lat_first_2=%d", lat)) lat_first[2] = lat;
    if ($value$plusargs("lat_first_4=%d", lat)) lat_first[4] = lat;
    for (c = 0; c < ncases; c = c + 1) begin case_bad[c] = 0; case_done[c] = 0; end
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
        check_progress;
      end
    end
    drain_outputs(1);
    print_case_summary;
    $finish;
  end
endmodule

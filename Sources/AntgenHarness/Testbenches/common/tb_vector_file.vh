// Reading a golden vector file (docs/verification.md, format v1) in a vector-mode testbench
// (Verilog-2005, included inside the module after "tb_ports.vh"). The including module
// declares `parameter WORDS`, `reg [63:0] mem [0:WORDS-1]`, `integer case_offset [0:WORDS/4]`,
// `reg [8*1024-1:0] path`, `reg [63:0] mask`, `integer ncases, c, p`; for print_case_summary
// also `integer case_bad [..], passed, cycle, errors, exact_checks` and the function
// `case_complete(c)` (case c was fully output).

  // Reads +vectors=FILE into mem, checks magic, version, word count and that the file is
  // for this build (ROWS, COLS, CODE_W, ACC_W, INT8), sets mask (ACC_W ones), ncases and
  // case_offset[c]. Ends the simulation with an ERROR line on any problem.
  task load_vectors;
    begin
      if (!$value$plusargs("vectors=%s", path)) begin
        $display("ERROR no +vectors=FILE given"); $finish;
      end
      $readmemh(path, mem);
      mask = (ACC_W >= 64) ? ~64'd0 : ((64'd1 << ACC_W) - 1);
      if (mem[0] !== 64'h414e5447 || mem[1] !== 64'd1 || mem[11] !== WORDS) begin
        $display("ERROR vector file %0s: bad magic, version or word count", path); $finish;
      end
      if (mem[3] != ROWS || mem[4] != COLS || mem[6] != ACC_W || mem[5] != CODE_W || mem[7] != INT8) begin
        $display("ERROR vector file is for %0dx%0d %0d-bit W%0d int8 %0d, the testbench is %0dx%0d %0d-bit W%0d int8 %0d",
                 mem[3], mem[4], mem[5], mem[6], mem[7], ROWS, COLS, CODE_W, ACC_W, INT8); $finish;
      end
      ncases = mem[10];
      p = mem[2];
      for (c = 0; c < ncases; c = c + 1) begin
        case_offset[c] = p;
        p = p + 4 + mem[p + 1] * (ROWS + COLS) + ROWS * COLS;
      end
    end
  endtask

  // Steps per beat of a case's mode pair (2 per int8 operand).
  function integer mode_terms(input [63:0] a_mode, input [63:0] w_mode);
    mode_terms = (a_mode[8] ? 2 : 1) * (w_mode[8] ? 2 : 1);
  endfunction

  // "CASE c PASS|FAIL" for every case (PASS: no check failed, case_bad[c] == 0, and
  // case_complete(c)), then the SUMMARY line with `cycle`, `errors` and `exact_checks`.
  task print_case_summary;
    begin
      passed = 0;
      for (c = 0; c < ncases; c = c + 1) begin
        if (case_bad[c] == 0 && case_complete(c)) passed = passed + 1;
        $display("CASE %0d %s", c, (case_bad[c] == 0 && case_complete(c)) ? "PASS" : "FAIL");
      end
      $display("SUMMARY cases=%0d passed=%0d failed=%0d cycles=%0d errors=%0d latency_exact=%0d", ncases, passed, ncases - passed, cycle, errors, exact_checks);
    end
  endtask

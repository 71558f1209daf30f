// Checks every array testbench makes the same way (Verilog-2005, included inside the module
// after "tb_ports.vh"). They use the including module's `integer cycle, last_progress,
// errors` and `hung` and its sizes ROWS / COLS.

  // After a clock edge: counts an error and sets `hung` once nothing moved for
  // 64·(ROWS + COLS) + 1000 cycles.
  task check_progress;
    begin
      if (cycle - last_progress > 64 * (ROWS + COLS) + 1000) begin
        errors = errors + 1;
        $display("ERROR cycle=%0d no progress", cycle);
        hung = 1;
      end
    end
  endtask

  // With in_valid low, 2·(ROWS + COLS) + 8 idle cycles in which nothing may come out; each
  // out_valid is an error "after the last tile" (after_beat 0) or "after the last beat" (1).
  task drain_outputs(input integer after_beat);
    begin
      in_valid = 1'b0;
      repeat (2 * (ROWS + COLS) + 8) begin
        #1 if (out_valid) begin
          errors = errors + 1;
          if (after_beat) $display("ERROR unexpected out_valid after the last beat");
          else $display("ERROR unexpected out_valid after the last tile");
        end
        @(posedge clock);
      end
    end
  endtask

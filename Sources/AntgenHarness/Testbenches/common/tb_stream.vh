// The answer side of the streaming testbenches (`antgen run --sim icarus`; Verilog-2005,
// included inside the module after "tb_ports.vh"): opening +tiles=FILE and the RESULT /
// ROW / SUMMARY lines, the same as the Verilator harness's streaming modes print, and the
// tile header. Uses the including module's `reg [8*4096-1:0] path`, `reg [8*16-1:0] word`,
// `integer fd, r, j, cur_id, am, wm, input_ended, first_row, cycle, tiles, first_beat_all,
// last_row_all, errors`, its task bad_input and its sizes COLS / ACC_W.

  // Reads the next tile header from fd: "END" (or the end of the file) sets input_ended;
  // otherwise the word must be `keyword` (else bad_input(2), the including module's task),
  // then "<id> <length> <act mode> <weight mode>" (hex modes) go to cur_id, `length`, am and
  // wm (r: how many were read; the caller checks them) and the modes onto the cfg ports.
  task read_tile_header(input [8*16-1:0] keyword, output integer length);
    begin
      r = $fscanf(fd, "%s", word);
      if (r != 1 || word == "END") input_ended = 1;
      else begin
        if (word != keyword) bad_input(2);
        r = $fscanf(fd, "%d %d %h %h", cur_id, length, am, wm);
        set_modes(am, wm);
      end
    end
  endtask

  // Opens +tiles=FILE as fd; ends the simulation with an ERROR line when it cannot.
  task open_tiles;
    begin
      if (!$value$plusargs("tiles=%s", path)) begin
        $display("ERROR input no +tiles=FILE given"); $finish;
      end
      fd = $fopen(path, "r");
      if (fd == 0) begin $display("ERROR input cannot open the tile file"); $finish; end
    end
  endtask

  // "RESULT id first_beat=.. last_beat=.. first_row=.. last_row=.." for a tile whose last
  // row comes out now (cycle).
  task print_result(input integer id, input integer first_beat, input integer last_beat);
    $display("RESULT %0d first_beat=%0d last_beat=%0d first_row=%0d last_row=%0d", id, first_beat, last_beat, first_row, cycle);
  endtask

  // "ROW index" and the row's COLS sums in hex.
  task print_row(input integer index, input [COLS*ACC_W-1:0] row);
    begin
      $write("ROW %0d", index);
      for (j = 0; j < COLS; j = j + 1) $write(" %h", row[j*ACC_W +: ACC_W]);
      $write("\n");
    end
  endtask

  // The closing SUMMARY line: tiles answered, cycles from the first beat to the last row.
  task print_stream_summary;
    $display("SUMMARY tiles=%0d cycles=%0d first_beat=%0d last_row=%0d errors=%0d", tiles,
             tiles > 0 ? last_row_all - first_beat_all + 1 : 0, first_beat_all, last_row_all, errors);
  endtask

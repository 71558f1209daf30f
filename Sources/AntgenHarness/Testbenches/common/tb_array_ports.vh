// The testbench side of the ports every array top shares (Verilog-2005, included inside a
// testbench module before "tb_ports.vh"): clock (period 10), reset (asserted at power-up),
// in_valid, the cfg_* mode registers and the in_ready / out_valid wires. The including
// module declares its own dataflow's extra inputs (in_last or in_load) and out_row_wide.
  reg clock = 1'b0;
  reg reset = 1'b1;
  reg in_valid = 1'b0;
  reg [1:0] cfg_act_type = 2'd0, cfg_weight_type = 2'd0;
  reg cfg_act_signed = 1'b0, cfg_weight_signed = 1'b0, cfg_act_int8 = 1'b0, cfg_weight_int8 = 1'b0;
  wire in_ready, out_valid;

  always #5 clock = ~clock;

  // Puts a mode word (type | signed << 4 | int8 << 8, docs/verification.md) on the cfg ports.
  task set_modes(input [63:0] act_mode, input [63:0] weight_mode);
    begin
      cfg_act_type = act_mode[1:0]; cfg_act_signed = act_mode[4]; cfg_act_int8 = act_mode[8];
      cfg_weight_type = weight_mode[1:0]; cfg_weight_signed = weight_mode[4]; cfg_weight_int8 = weight_mode[8];
    end
  endtask

"""`ifbench:<instruction id>` (and `ifbench@<commit>:`): AllenAI IFBench's instructions, reproducing its verdicts."""

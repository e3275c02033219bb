"""`ifbench:<instruction id>` (upstream HEAD) and `ifbench@c94da02:<instruction id>` (the published revision): AllenAI IFBench's instructions, reproducing its verdicts (see `_revision`)."""

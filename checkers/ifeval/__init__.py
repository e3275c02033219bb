"""`ifeval:<instruction id>`: Google's IFEval instructions, reproducing the reference verdicts."""

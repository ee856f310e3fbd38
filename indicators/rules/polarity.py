"""Polarity: which way is better for an indicator. Defined here once; the model's choices,
RAG, direction of travel, trajectories and SPC use these."""

HIGHER_IS_BETTER = "higher_is_better"
LOWER_IS_BETTER = "lower_is_better"
NEITHER = "neither"

"""The weekly plan (issue 3): candidate trips, a CP-SAT model over them, a greedy baseline, explanations, a
solver-independent validator, and storing plan runs. ``run.plan_week`` is the entry point; docs/planning.md
describes the model, its weights and its measured performance."""

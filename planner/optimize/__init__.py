"""The weekly plan: candidate trips, a CP-SAT model over them (SCIP over a master for big weeks), a greedy
baseline, explanations and a solver-independent validator. It imports only ``core``: the week comes in as a
``WeekInstance`` and goes out as the plan JSON, which ``planning`` loads and stores. ``run.plan_week`` is the entry
point; docs/planning.md describes the model, its weights and its measured performance."""

"""What people and the weekly run do to the plan: the lead's actions (assign, move, pin, publish, decline), the
conflicts and the changes between runs, proposals over the stored team, loading a week for the optimizer, and
``week_run.plan_and_store``, the one way a week is planned and stored (``planner plan-week`` and Plan again)."""

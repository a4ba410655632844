"""Planning actions that span the optimizer and the store: planning a week and storing it (``week_run``)."""

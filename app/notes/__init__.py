"""Internal notes on a case (issue 14): for the team only. They live in their own table, which nothing that talks
to the LLM (``app/triage``) or leaves the building (``app/delivery``, ``app/escalation``, packets) reads."""

"""Tags (issue 14): free-form labels a team puts on cases (``billing-bug``, ``vip``, ``press``), one at a time
on the case page or in bulk from the queue."""

"""Critical cases handled the way a Trust & Safety team must: ownership, follow-up, preservation, referrals."""

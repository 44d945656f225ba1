"""Presence (issue 14): who else has a case open or is writing a reply to it, so two people do not answer the
same requester twice. Heartbeats are rows in the database: every API process sees every other's viewers."""

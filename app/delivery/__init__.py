"""Outbound delivery: the outbox of approved replies and the senders (SMTP, signed webhook) that deliver them."""

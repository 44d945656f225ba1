"""Inbound channels: raw email (HTTP and SMTP), the public web form and the signed chat/DM webhook.

Every adapter turns what it receives into the ingest shape (``MessageIn``) and hands it to
``app.cases.intake.accept_message``, so idempotency, threading and job queueing are the same for all doors.
"""

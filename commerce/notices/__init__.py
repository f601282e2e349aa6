"""Messages about orders: the buyer's receipt, the seller's new-sale notice, refund
and dispute notices. Recorded with the state change (``services``), sent once by a
durable outbox task (``tasks``), written by ``messages``."""

"""Use-cases. The only layer that opens transactions and writes audit events."""

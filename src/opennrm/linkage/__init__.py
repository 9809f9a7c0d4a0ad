"""Record linkage: finding records that describe the same person."""

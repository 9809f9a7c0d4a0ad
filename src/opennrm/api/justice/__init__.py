"""REST API of the criminal-justice chain."""

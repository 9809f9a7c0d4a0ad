"""Web pages of the criminal-justice chain: proceedings, their steps and participants."""

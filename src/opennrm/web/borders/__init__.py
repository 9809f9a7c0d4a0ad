"""Web pages of group identification operations, stops at the border and incidents."""

"""Web pages of the perpetrators register, alerts, the link view and MLA requests."""

"""Statistics: indicators that count persons, disclosure control, the dashboard's figures."""

"""The HTML interface: thin views that fetch through the access gate and call services."""

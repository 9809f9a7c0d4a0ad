"""Plain-Python record-linkage engine: normalisation, keys and comparisons; no Django."""

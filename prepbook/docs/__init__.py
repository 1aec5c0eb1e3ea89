"""Documents generated from the models: the JSON Schema, the reference pages, the skeleton."""

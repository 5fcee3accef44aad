"""Models: the MLmodel format, python_function, signatures, environments and flavors."""

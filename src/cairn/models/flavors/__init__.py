"""One module per ML library; each imports its library only when called."""

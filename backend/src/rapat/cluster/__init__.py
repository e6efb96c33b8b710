"""Several processes and nodes as one deployment: which node serves a room (its home), each
node's record and load, and the loop that keeps them current (decision 61)."""

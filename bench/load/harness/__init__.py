"""The load benchmark harness behind bench/load/run (standard library only)."""

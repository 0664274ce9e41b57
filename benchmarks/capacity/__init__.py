"""Capacity simulation of a large deployment: the single table's partition keys at target request rates."""

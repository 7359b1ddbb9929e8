"""Stance: claim stance (FNC-1), quotes and actor stance."""

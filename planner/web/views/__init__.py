"""Blueprints: thin web shells over the domain code."""

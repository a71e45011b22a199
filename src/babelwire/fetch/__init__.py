"""The only package that talks HTTP."""
